/// The serial protocols Vigil speaks, by the names `vigil decode --protocol` and `Devices/*.yaml`
/// use.
public enum DeviceProtocol: String, Sendable, Hashable, CaseIterable, Codable {
    case contecV7 = "contec-v7"
    case contecLegacy = "contec-legacy"
    case masimoASCII = "masimo-ascii"
    case nonin2 = "nonin-2"
    case nonin7 = "nonin-7"
    case nonin8 = "nonin-8"
    case nonin13 = "nonin-13"
    case suntech

    /// The decoder the agent and `vigil decode` use: the protocol's frame decoder inside the
    /// stream checks (``StreamCheck``).
    public func makeDecoder() -> any DeviceDecoder { StreamCheck(self) }

    /// The protocol's frame decoder alone: every check a single frame allows, none across frames.
    public func makeFrameDecoder() -> any DeviceDecoder {
        switch self {
        case .contecV7: ContecV7Decoder()
        case .contecLegacy: ContecLegacyDecoder()
        case .masimoASCII: MasimoDecoder()
        case .nonin2: NoninDecoder(format: .two)
        case .nonin7: NoninDecoder(format: .seven)
        case .nonin8: NoninDecoder(format: .eight)
        case .nonin13: NoninSpotCheckDecoder()
        case .suntech: SunTechDecoder()
        }
    }

    /// The port settings the device uses unless its profile says otherwise.
    public var defaultSettings: SerialSettings {
        switch self {
        case .contecV7: SerialSettings(baud: 115_200)
        case .contecLegacy: SerialSettings(baud: 19_200, parity: .odd, flowControl: .software)
        case .masimoASCII, .nonin2, .nonin7, .nonin8, .nonin13, .suntech: SerialSettings(baud: 9_600)
        }
    }

    /// Frames a second the device sends when streaming (the line rate a decoder must keep up with).
    public var framesPerSecond: Double {
        switch self {
        case .contecV7, .contecLegacy: 60
        case .masimoASCII, .nonin8, .nonin13: 1
        case .nonin2, .nonin7: 75
        case .suntech: 5
        }
    }

    /// Frames that must follow each other, back to back, before ``StreamCheck`` trusts them:
    /// more where a frame's own checks are weak. Random bytes pass a Contec legacy frame's sync
    /// bits one time in 32 (no checksum, no reserved bits) and a Nonin #8 record's sync and
    /// reserved bits one time in 512; every other protocol has a checksum or a long fixed
    /// pattern and trusts a frame on its own.
    public var framesInARow: Int {
        switch self {
        case .contecLegacy: 5
        case .nonin8: 3
        default: 1
        }
    }

    /// Whether the device streams continuously (so silence means trouble) or answers commands.
    public var isContinuous: Bool { self != .suntech && self != .nonin13 }
}
