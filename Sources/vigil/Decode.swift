import ArgumentParser
import Foundation
import VigilDevices

/// `vigil decode`: what did the device actually send? For captures from the field.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a captured byte stream (device to host) into readings, one JSON object a line.",
        discussion: "Protocols: \(DeviceProtocol.allCases.map(\.rawValue).joined(separator: ", ")). "
            + "The last line counts frames decoded and rejected."
    )

    @Option(name: .customLong("protocol"), help: "The device protocol.")
    var proto: String

    @Argument(help: "The capture file, or - (the default) for standard input.")
    var file: String = "-"

    func run() throws {
        guard let p = DeviceProtocol(rawValue: proto) else {
            throw ValidationError("unknown protocol \"\(proto)\"; one of: \(DeviceProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let contents = FileManager.default.contents(atPath: file) {
            data = contents
        } else {
            FileHandle.standardError.write(Data("vigil decode: \(file): no such file or not readable\n".utf8))
            throw ExitCode(1)
        }
        for line in CaptureDecoding.lines(for: [UInt8](data), protocol: p) { print(line) }
    }
}
