import Foundation
import Testing
import VigilDevices

/// The real serial path over a real pseudo-terminal.
@Suite("Serial port over a pseudo-terminal")
struct SerialPortTests {
    @Test("Bytes cross both ways, and closing the device end ends the stream with a 'gone' error")
    func roundTripAndUnplug() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.path, settings: SerialSettings(baud: 19_200, parity: .odd, flowControl: .software))
        let frame = hex("87 40 05 48 61")
        var iterator = port.bytes().makeAsyncIterator()
        #expect(pty.write(frame))
        var received: [UInt8] = []
        while received.count < frame.count, let chunk = try await iterator.next() { received += chunk }
        #expect(received == frame)

        try port.write(hex("7D 81 A1 80 80 80 80 80 80"))
        #expect(pty.waitForInput(milliseconds: 2000))
        #expect(pty.readAvailable() == hex("7D 81 A1 80 80 80 80 80 80"))

        pty.close()
        do {
            while try await iterator.next() != nil {}
            Issue.record("the stream should end with an error when the device goes away")
        } catch let error as SerialPortError {
            #expect(error.isGone)
        }
        port.close()
    }

    @Test("Every baud, parity and flow-control setting configures a real tty")
    func settings() throws {
        let pty = try PseudoTerminal()
        for baud in SerialSettings.supportedBauds {
            for parity in SerialSettings.Parity.allCases {
                for flow in SerialSettings.FlowControl.allCases {
                    let port = try SerialPort.open(path: pty.path, settings: SerialSettings(baud: baud, parity: parity, flowControl: flow))
                    port.close()
                }
            }
        }
        #expect(throws: SerialPortError.self) { try SerialPort.open(path: pty.path, settings: SerialSettings(baud: 12_345)) }
    }

    @Test("A second reader of a port is refused in plain words, and takes it once the first has closed it")
    func oneReaderAPort() async throws {
        let pty = try PseudoTerminal()
        let first = try SerialPort.open(path: pty.path, settings: SerialSettings(baud: 115_200))
        var refused: SerialPortError?
        do {
            let second = try SerialPort.open(path: pty.path, settings: SerialSettings(baud: 115_200))
            second.close()
        } catch let error as SerialPortError {
            refused = error
        }
        let error = try #require(refused, "a second open while the first holds the port")
        #expect(error.isInUse)
        #expect(error.description == "\(pty.path): in use by another program that holds it (another vigil, or a program that locks the port): a port has one reader")
        first.close()
        let again = try SerialPort.open(path: pty.path, settings: SerialSettings(baud: 115_200))
        // A port being read lets go of its lock as soon as it is closed, before its reader
        // thread closes the descriptor: the next open does not wait.
        _ = again.bytes()
        again.close()
        let third = try SerialPort.open(path: pty.path, settings: SerialSettings(baud: 115_200))
        third.close()
        pty.close()
    }

    @Test("A path that does not exist fails with a clear 'gone' error")
    func missingPath() {
        do {
            _ = try SerialPort.open(path: "/dev/serial/by-id/no-such-oximeter", settings: SerialSettings(baud: 9_600))
            Issue.record("opened a path that does not exist")
        } catch let error as SerialPortError {
            #expect(error.isGone)
            #expect(error.description == "/dev/serial/by-id/no-such-oximeter: no such port (is the device plugged in, and is this its path?)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
