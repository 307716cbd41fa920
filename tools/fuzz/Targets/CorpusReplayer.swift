import Foundation

/// Runs corpus files through the fuzz targets without libFuzzer: the cheap regression check of every seed
/// and every crash reproducer, for the tests and for `tracelog-fuzz replay`.
public enum CorpusReplayer {
    /// What a replay did and found.
    public struct Report: Sendable {
        /// Files read.
        public var files = 0
        /// Target runs (files × targets).
        public var runs = 0
        /// Failed checks, with the file that failed them.
        public var findings: [(file: String, finding: FuzzFinding)] = []
    }

    /// Runs every file under `root` (recursively) through every target in `targets`.
    ///
    /// Every file goes through every target, not just the one whose directory it is in: inputs of one target
    /// are interesting bytes for the others too, and it costs little.
    public static func replay(corpus root: String, targets: [FuzzTarget] = FuzzTarget.allCases) throws -> Report {
        var report = Report()
        for path in try files(under: root) {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            report.files += 1
            for target in targets {
                report.runs += 1
                do throws(FuzzFinding) {
                    try target.run(bytes)
                } catch {
                    report.findings.append((path, error))
                }
            }
        }
        return report
    }

    /// The regular files under `root`, recursively, sorted by path; hidden files are left out.
    public static func files(under root: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
            let walk = FileManager.default.enumerator(
                at: URL(fileURLWithPath: root), includingPropertiesForKeys: keys)
        else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: root])
        }
        var paths: [String] = []
        for case let url as URL in walk where !url.lastPathComponent.hasPrefix(".") {
            if try url.resourceValues(forKeys: Set(keys)).isRegularFile == true { paths.append(url.path) }
        }
        return paths.sorted()
    }
}
