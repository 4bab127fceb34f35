/// One thing wrong in a configuration file, printed as `FILE:LINE: key: what is wrong` so an
/// editor can jump to it.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var key: String
    public var message: String

    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String { "\(file):\(line): \(key): \(message)" }
}

/// Every problem found in one file, in line order; reading a config reports them all, not just
/// the first.
public struct ConfigProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(_ problems: [ConfigProblem]) {
        self.problems = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
