import Foundation
import VigilCore
import Yams

/// Files a `vigil.yaml` names are relative to the config's own folder.
enum ConfigPath {
    static func resolve(_ name: String, relativeTo folder: String) -> String {
        name.hasPrefix("/") ? name : (folder as NSString).appendingPathComponent(name)
    }

    /// A file that must exist and be readable now; otherwise a problem on its line.
    static func existingFile(_ node: Node, _ key: String, _ reader: YAMLReader, _ folder: String) -> String? {
        guard let name = reader.string(node, key) else { return nil }
        let path = resolve(name, relativeTo: folder)
        guard FileManager.default.isReadableFile(atPath: path) else {
            reader.report(node, key, "\(path) does not exist or cannot be read")
            return nil
        }
        return path
    }
}
