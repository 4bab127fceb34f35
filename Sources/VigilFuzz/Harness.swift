// The fuzzing harness. Built by `make fuzz` with `-sanitize=fuzzer,address -parse-as-library
// -DFUZZING`, libFuzzer owns `main` and calls `LLVMFuzzerTestOneInput` with each input for the
// target `VIGIL_FUZZ_TARGET` names. Built plainly, it replays files through a target's checks:
// `VigilFuzz <target> FILE...`, to see a finding again without the sanitizers.
import Foundation
import VigilFuzzing

#if FUZZING
/// The target libFuzzer drives, chosen once before the first input.
nonisolated(unsafe) private var target: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>>>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    let name = environment["VIGIL_FUZZ_TARGET"] ?? ""
    if name == "list" {
        print(FuzzTarget.all.map(\.name).joined(separator: "\n"))
        exit(0)
    }
    guard let chosen = FuzzTarget.named(name) else {
        FileHandle.standardError.write(Data("VIGIL_FUZZ_TARGET must name a target (VIGIL_FUZZ_TARGET=list lists them)\n".utf8))
        exit(2)
    }
    target = chosen
    // An empty corpus folder is seeded once with the target's own seeds.
    if let folder = environment["VIGIL_FUZZ_SEED_INTO"] {
        for (n, seed) in chosen.seeds().enumerated() {
            FileManager.default.createFile(atPath: "\(folder)/seed-\(n)", contents: Data(seed))
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let target else { return 0 }
    let bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    if let finding = target.check(bytes) { fatalError("\(target.name): \(finding)") }
    return 0
}
/// libFuzzer's driver, which it exports for a program whose `main` is its own.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
               _ test: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's `main` to `<module>_main`; here that hands over to libFuzzer.
@_cdecl("VigilFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { testOneInput($0, $1) }
}
#else
/// Without libFuzzer: replays files through one target's checks.
@main
enum Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget.named(name) else {
            print("usage: VigilFuzz TARGET FILE...   (targets: \(FuzzTarget.all.map(\.name).joined(separator: ", ")))")
            exit(2)
        }
        var failed = false
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot be read")
                failed = true
                continue
            }
            let finding = target.check([UInt8](data))
            print("\(path): \(finding ?? "holds")")
            failed = failed || finding != nil
        }
        exit(failed ? 1 : 0)
    }
}
#endif
