import Foundation

/// Finds the package's executables, which `swift build`/`swift test` put next to the test bundle.
enum ToolLocator {
    static func path(of tool: String) -> String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary may sit inside a `.xctest` bundle directory on some platforms.
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent(tool).path
    }
}
