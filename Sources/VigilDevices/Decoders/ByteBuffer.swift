/// The unconsumed bytes of a stream; decoders read at `start` and drop what they have used.
struct ByteBuffer: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var start = 0

    var count: Int { bytes.count - start }
    subscript(i: Int) -> UInt8 { bytes[start + i] }

    mutating func append(_ more: [UInt8]) {
        if start > 4096 && start * 2 > bytes.count {
            bytes.removeFirst(start)
            start = 0
        }
        bytes.append(contentsOf: more)
    }

    mutating func drop(_ n: Int) { start += min(n, count) }

    func slice(_ n: Int) -> [UInt8] { Array(bytes[start..<(start + n)]) }
}

extension Sequence where Element == UInt8 {
    /// The sum of the bytes modulo 256, as most serial protocols check their frames.
    var checksum: UInt8 { reduce(0) { $0 &+ $1 } }
}
