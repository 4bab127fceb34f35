import Foundation
import PackagePlugin

/// Stamps the `vigil` binary with the git revision it was built from, for `vigil --version`:
/// before each build, a shell writes `Revision.swift` (only when the revision changed, so an
/// unchanged tree rebuilds nothing). Outside a git checkout the revision reads `unknown`.
@main
struct RevisionStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Revision")
        let file = output.appending(path: "Revision.swift").path()
        let script = """
            mkdir -p '\(output.path())'
            cd '\(context.package.directoryURL.path())'
            revision=$(git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
            [ "$revision" = unknown ] || git diff --quiet HEAD 2>/dev/null || revision="$revision-dirty"
            text="/// The git revision this binary was built from (made by the RevisionStamp plugin).
            let buildRevision = \\"$revision\\""
            [ "$(cat '\(file)' 2>/dev/null)" = "$text" ] || printf '%s\\n' "$text" > '\(file)'
            """
        return [.prebuildCommand(displayName: "Stamping the git revision", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script], outputFilesDirectory: output)]
    }
}
