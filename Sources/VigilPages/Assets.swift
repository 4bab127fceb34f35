import Foundation

/// The pages' CSS, JavaScript and the API's OpenAPI document, bundled with the program: found in
/// the package's resources, or where an installed Vigil keeps them (`/usr/share/vigil/web`).
/// Nothing comes from a CDN: the pages work with the clinic's internet down.
public enum Assets {
    /// Folders searched in order; the first holding the file wins: the resources bundle SwiftPM
    /// puts beside the program (a checkout's build), then the installed files.
    ///
    /// Not `Bundle.module`: its generated accessor aborts the process when the bundle is not
    /// beside the program, and an agent whose pages ask for a stylesheet must never stop.
    static let folders: [URL] = [
        Bundle.main.bundleURL.appendingPathComponent("Vigil_VigilPages.resources/Assets"),
        URL(fileURLWithPath: "/usr/share/vigil/web"),
    ]

    /// The asset's bytes and content type, or `nil` for a name that is not one of ours.
    public static func named(_ name: String) -> (data: Data, contentType: String)? {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), let type = contentType(of: name) else { return nil }
        for folder in folders {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) {
                return (data, type)
            }
        }
        return nil
    }

    static func contentType(of name: String) -> String? {
        switch (name as NSString).pathExtension {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "yaml": "application/yaml; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        default: nil
        }
    }
}
