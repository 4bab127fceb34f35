import VigilCore
import VigilDevices

/// Bytes written as in `shared/devices.md`: `"01 E0 85 B3"`.
func hex(_ text: String) -> [UInt8] {
    text.split(separator: " ").map { UInt8($0, radix: 16)! }
}

/// The vitals of every `.values` message, flattened.
func values(_ messages: [DeviceMessage]) -> [DeviceValue] {
    messages.flatMap { message -> [DeviceValue] in
        if case .values(let v, _) = message { v } else { [] }
    }
}

extension DeviceDecoder {
    /// Feeds the bytes one at a time, as a slow serial line might deliver them.
    mutating func decodeByteByByte(_ bytes: [UInt8]) -> [DeviceMessage] {
        bytes.flatMap { decode([$0]) }
    }
}

/// A small deterministic generator, so corruption tests fail the same way every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
}
