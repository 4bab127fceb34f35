/// How a serial port is configured: the Contec legacy protocol needs 8O1 and XON/XOFF, most
/// others 8N1 without flow control.
public struct SerialSettings: Sendable, Hashable {
    public enum Parity: String, Sendable, Hashable, CaseIterable { case none, odd, even }
    public enum FlowControl: String, Sendable, Hashable, CaseIterable { case none, hardware, software }

    public var baud: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int
    public var flowControl: FlowControl

    public init(baud: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1, flowControl: FlowControl = .none) {
        self.baud = baud
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
    }

    public static let supportedBauds = [1_200, 2_400, 4_800, 9_600, 19_200, 38_400, 57_600, 115_200, 230_400]
}
