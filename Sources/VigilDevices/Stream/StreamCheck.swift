import VigilCore

/// The checks a single frame cannot make, on every stream a decoder reads — in the agent
/// (`DeviceConnection`) and in `vigil decode` alike, since both get their decoder from
/// `DeviceProtocol.makeDecoder()`. Around the protocol's frame decoder it adds:
///
/// 1. **Frames in a row.** A device sends its frames back to back. After skipped bytes or a
///    rejected frame, frames wait until ``framesInARow`` of them have followed each other with
///    nothing between; if the run breaks first, they are rejected. A frame of random bytes
///    passes a Contec legacy frame's sync bits one time in 32 and a Nonin #8 record's sync and
///    reserved bits one time in 512, which no per-frame check can improve: a run of them is
///    what noise almost never makes. Protocols with a checksum or a long fixed pattern need a
///    run of one (no waiting).
/// 2. **Plausibility** (``PlausibilityFilter``), for the continuous oximeters: an isolated
///    frame whose SpO2 or pulse jumps 20 points or more from its neighbours is rejected.
///
/// Both count what they reject in `stats.rejected`; `stats.decoded` counts the frames that came
/// out. Waiting adds latency only after a break (``framesInARow`` − 1 frames) or on a jump (two
/// frames); a steady stream comes out frame by frame as it arrives.
///
/// The frame decoder is fed one byte at a time so that each frame's end is known — `vigil
/// decode` prints where a reading's frame ended, and a break between two frames of one chunk
/// is seen where it happened.
public struct StreamCheck: DeviceDecoder {
    /// One frame's messages, where its last byte was, and which frame of the stream it was.
    public struct Frame: Sendable, Hashable {
        public var messages: [DeviceMessage]
        /// 1 for the first frame the frame decoder accepted, whether or not it came out.
        public var index: Int
        /// Bytes from the start of the stream to the end of the frame.
        public var offset: Int

        public init(messages: [DeviceMessage], index: Int, offset: Int) {
            self.messages = messages
            self.index = index
            self.offset = offset
        }
    }

    public let framesInARow: Int
    private var frameDecoder: any DeviceDecoder
    private var filter: PlausibilityFilter?
    private var run = 0
    private var waiting: [Frame] = []
    private var bytesSeen = 0
    private var released = 0
    private var unconfirmed = 0

    /// The checks a protocol's stream gets: its run length, and plausibility when it streams.
    public init(_ proto: DeviceProtocol) {
        self.init(proto.makeFrameDecoder(), framesInARow: proto.framesInARow, plausibility: proto.isContinuous)
    }

    public init(_ frameDecoder: any DeviceDecoder, framesInARow: Int = 1, plausibility: Bool) {
        precondition(framesInARow >= 1, "a run is at least one frame")
        self.frameDecoder = frameDecoder
        self.framesInARow = framesInARow
        filter = plausibility ? PlausibilityFilter() : nil
    }

    public var stats: DecoderStats {
        var s = frameDecoder.stats
        s.decoded = released
        s.rejected += unconfirmed + (filter?.rejected ?? 0)
        return s
    }

    public var framesSeen: Int { frameDecoder.stats.decoded }

    public mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage] {
        frames(bytes).flatMap(\.messages)
    }

    public mutating func finish() -> [DeviceMessage] {
        finishFrames().flatMap(\.messages)
    }

    /// Like ``decode(_:)``, keeping each frame's position in the stream.
    public mutating func frames(_ bytes: [UInt8]) -> [Frame] {
        var out: [Frame] = []
        // One array for every byte: the decoder copies what it is given, so this one is never
        // shared and is rewritten in place, not allocated nine times a frame.
        var one: [UInt8] = [0]
        for byte in bytes {
            bytesSeen += 1
            one[0] = byte
            let before = frameDecoder.stats
            let messages = frameDecoder.decode(one)
            let after = frameDecoder.stats
            // A byte can end a bad frame and a good one (a decoder rescanning what it holds);
            // the break is taken to come first, which at worst makes the good frame wait.
            if after.rejected > before.rejected || after.skippedBytes > before.skippedBytes { breakRun() }
            let count = after.decoded - before.decoded
            guard count > 0 else {
                // No decoder speaks without a frame; should one, its words pass unchecked.
                if !messages.isEmpty { out.append(Frame(messages: messages, index: after.decoded, offset: bytesSeen)) }
                continue
            }
            for i in 1...count {
                out += take(Frame(messages: i == count ? messages : [], index: before.decoded + i, offset: bytesSeen))
            }
        }
        return out
    }

    /// The stream ended: frames still waiting for their run are rejected, and the filter gives
    /// its verdict on what it holds.
    public mutating func finishFrames() -> [Frame] {
        breakRun()
        let out = filter?.finish() ?? []
        released += out.count
        return out
    }

    private mutating func take(_ frame: Frame) -> [Frame] {
        run += 1
        guard run >= framesInARow else {
            waiting.append(frame)
            return []
        }
        let ready = waiting + [frame]
        waiting.removeAll()
        var out = ready
        if filter != nil { out = ready.flatMap { filter!.take($0) } }
        released += out.count
        return out
    }

    private mutating func breakRun() {
        unconfirmed += waiting.count
        waiting.removeAll()
        run = 0
    }
}
