import VigilCore

/// Decodes a captured byte stream for `vigil decode`: one JSON line per reading or event, each
/// stamped with the frame index and the byte offset where its frame ended, then a summary line.
/// The capture goes through the same checks as a live device (``StreamCheck``).
public enum CaptureDecoding {
    public static func lines(for bytes: [UInt8], protocol proto: DeviceProtocol) -> [String] {
        var decoder = StreamCheck(proto)
        var out: [String] = []
        for frame in decoder.frames(bytes) + decoder.finishFrames() {
            for message in frame.messages {
                out += lines(for: message, frame: frame.index, offset: frame.offset, device: proto.rawValue)
            }
        }
        var summary = JSONLine()
        summary.add("frames_decoded", decoder.stats.decoded)
        summary.add("frames_rejected", decoder.stats.rejected)
        summary.add("bytes_skipped", decoder.stats.skippedBytes)
        summary.add("bytes", bytes.count)
        return out + [summary.description]
    }

    static func lines(for message: DeviceMessage, frame: Int, offset: Int, device: String) -> [String] {
        func line(_ fill: (inout JSONLine) -> Void) -> String {
            var j = JSONLine()
            j.add("time", frame)
            j.add("offset", offset)
            fill(&j)
            j.add("device", device)
            return j.description
        }
        switch message {
        case .values(let values, let deviceTime):
            return values.map { v in
                line {
                    $0.add("vital", v.vital.rawValue)
                    $0.add("value", v.value)
                    $0.add("quality", v.quality.rawValue)
                    if let deviceTime { $0.add("device_time", JSONLine.timestamp(deviceTime)) }
                }
            }
        case .acknowledged(let ack): return [line { $0.add("ack", "\(ack)") }]
        case .cuffPressure(let p): return [line { $0.add("cuff_pressure", p) }]
        case .measurementFailed(let code, let reason):
            return [line { $0.add("error_code", Int(code)); $0.add("error", reason) }]
        case .info(let text): return [line { $0.add("info", text) }]
        }
    }
}
