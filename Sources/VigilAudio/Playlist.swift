import Foundation
import VigilCore

/// An M3U8 playlist whose sections belong to session phases:
///
/// ```
/// #EXTM3U
/// #VIGIL-PHASE:baseline
/// settling/drone-a.flac
/// #VIGIL-PHASE:peak
/// peak/wide-pads.ogg
/// ```
///
/// Paths are relative to the playlist's folder. Tracks before any cue belong to every phase
/// that has no section of its own.
public struct Playlist: Sendable, Hashable {
    public struct Track: Sendable, Hashable {
        public var path: String
        /// From `#EXTINF:seconds,title`, when given.
        public var title: String?
        public init(path: String, title: String? = nil) {
            self.path = path
            self.title = title
        }
    }

    public var tracks: [Track]
    /// The index of each phase's first track and how many follow.
    public var sections: [Phase: Range<Int>]
    /// Tracks before the first cue.
    public var unsectioned: Range<Int>

    /// Reads a playlist; problems (an unknown phase) are thrown with the file and line.
    public static func load(path: String) throws -> Playlist {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigProblems([ConfigProblem(file: path, line: 0, key: "playlist", message: "cannot be read")])
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path,
                         folder: (path as NSString).deletingLastPathComponent)
    }

    public static func parse(_ text: String, file: String, folder: String) throws -> Playlist {
        var tracks: [Track] = []
        var starts: [(Phase?, Int)] = [(nil, 0)]
        var problems: [ConfigProblem] = []
        var title: String?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line.hasPrefix("#VIGIL-PHASE:") {
                let name = String(line.dropFirst("#VIGIL-PHASE:".count)).trimmingCharacters(in: .whitespaces)
                guard let phase = Phase(rawValue: name) else {
                    problems.append(ConfigProblem(file: file, line: number + 1, key: "VIGIL-PHASE",
                                                  message: "\"\(name)\" is not one of \(Phase.allCases.map(\.rawValue).joined(separator: ", "))"))
                    continue
                }
                starts.append((phase, tracks.count))
            } else if line.hasPrefix("#EXTINF:") {
                title = line.split(separator: ",", maxSplits: 1).dropFirst().first.map(String.init)
            } else if !line.hasPrefix("#") {
                let path = line.hasPrefix("/") ? line : (folder as NSString).appendingPathComponent(line)
                tracks.append(Track(path: path, title: title))
                title = nil
            }
        }
        guard problems.isEmpty else { throw ConfigProblems(problems) }
        var sections: [Phase: Range<Int>] = [:]
        var unsectioned = 0..<0
        for (i, (phase, start)) in starts.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1].1 : tracks.count
            if let phase { sections[phase] = start..<end } else { unsectioned = start..<end }
        }
        return Playlist(tracks: tracks, sections: sections, unsectioned: unsectioned)
    }

    /// The tracks to play in `phase`: its own section, or the unsectioned tracks, or everything.
    public func tracks(for phase: Phase) -> Range<Int> {
        if let own = sections[phase], !own.isEmpty { return own }
        if !unsectioned.isEmpty { return unsectioned }
        return tracks.indices
    }
}
