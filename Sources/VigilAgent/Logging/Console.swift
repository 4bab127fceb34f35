import Foundation
import Synchronization

/// Lines for a person watching, written at once even when standard output is a pipe (`print`
/// would hold them in a buffer until exit, and a log collector would see nothing live).
///
/// If whoever reads standard output goes away (a closed pipe: EPIPE), the room must keep
/// monitoring and alarming: the loss is said once on standard error and the lines carry on
/// there (under systemd both reach the journal). Nothing written here can end the agent.
public enum Console {
    private static let standardOutputGone = Atomic(false)

    public static func line(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        if !standardOutputGone.load(ordering: .relaxed) {
            guard !writeAll(bytes, to: STDOUT_FILENO) else { return }
            guard !standardOutputGone.exchange(true, ordering: .relaxed) else {
                writeAll(bytes)
                return
            }
            let reason = String(cString: strerror(errno))
            writeAll(Array("vigil: standard output is gone (\(reason)); monitoring carries on, its lines go to standard error\n".utf8))
        }
        writeAll(bytes)
    }

    /// A line for standard error only (the journal's fallback, where standard output is not the log).
    static func standardError(_ text: String) {
        writeAll(Array((text + "\n").utf8))
    }

    /// Writes every byte (or gives up on an error: there is nowhere left to tell).
    @discardableResult
    private static func writeAll(_ bytes: [UInt8], to fd: Int32 = STDERR_FILENO) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
