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

    public func makeDecoder() -> any DeviceDecoder {
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

    /// Whether the device streams continuously (so silence means trouble) or answers commands.
    public var isContinuous: Bool { self != .suntech && self != .nonin13 }
}
