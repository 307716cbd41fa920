import Synchronization
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#endif

/// A small log on disk whose first segment is sealed and has an index file; the index target replaces that
/// file with each input and reads the log through it.
///
/// Made once per process (in `$TMPDIR`, else `/dev/shm`, else `/tmp`) and removed at exit. Its records are
/// ``FuzzSamples/records``, so the index file it starts with is the same in every process.
final class IndexFixture: Sendable {
    /// The log directory.
    let directory: String
    /// The index file of the sealed first segment.
    let indexPath: String
    /// The index file as the writer's process made it.
    let originalIndex: [UInt8]
    /// The log's filter stack as the writer's process made it at close (the stack target's seed); the log
    /// keeps no stack file between runs.
    let originalStack: [UInt8]
    /// What the stack target's lookups answer on this log without a stack.
    let answersWithoutStack: [[UInt64]?]
    /// Held while one run replaces the index file and reads the log (the tests replay from several threads).
    private let inUse = Mutex(())

    /// The fixture of this process.
    static let shared: IndexFixture = {
        do {
            let fixture = try IndexFixture()
            atexit { IndexFixture.shared.remove() }
            return fixture
        } catch {
            fatalError("cannot create the index target's log: \(error)")
        }
    }()

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    private init() throws {
        let parent =
            ProcessEnvironment.value("TMPDIR") ?? (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp")
        var template = Array("\(parent)/tracelog-fuzz-index.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SetupError(description: "mkdtemp failed in \(parent)") }
        directory = String(cString: made)
        indexPath = directory + "/00000000000000000000.tlidx"
        // All but the last records go to segment 0 in several batches; reopening with a tiny segment size seals
        // it before the last batch, so the log has a sealed segment and an active one.
        let records = FuzzSamples.records
        let writer = try LogWriter.open(directory: directory, options: LogOptions(durability: .none))
        for chunk in stride(from: 0, to: records.count - 4, by: 5) {
            try writer.appendWritten(Array(records[chunk..<min(chunk + 5, records.count - 4)]))
        }
        try writer.close()
        let roller = try LogWriter.open(
            directory: directory, options: LogOptions(durability: .none, segmentMaxBytes: 64))
        try roller.appendWritten(Array(records.suffix(4)))
        try roller.close()
        // The writer's process writes index files of sealed segments when it loads them.
        _ = try LogReader(directory: directory, persistsIndexes: true).traceStarts()
        guard let bytes = Self.contents(of: indexPath) else {
            throw SetupError(description: "no index file was written")
        }
        originalIndex = bytes
        // A close by the writer's process writes the stack (and checkpoints the last segment's index).
        try LogReader(directory: directory, persistsIndexes: true).persistIndexes()
        let stackPath = directory + "/" + Self.stackName
        guard let stack = Self.contents(of: stackPath) else {
            throw SetupError(description: "no filter stack was written")
        }
        originalStack = stack
        unlink(stackPath)
        answersWithoutStack = StackTarget.lookups(try LogReader(directory: directory))
    }

    /// The filter stack's file name (`FilterStack.fileName` in TraceLogStorage).
    static let stackName = "filters.tlfs"

    /// The filter stack's path in the log.
    var stackPath: String { directory + "/" + Self.stackName }

    /// Writes `bytes` as the log's filter stack.
    func replaceStack(with bytes: [UInt8]) {
        Self.write(bytes, to: stackPath)
    }

    /// Removes the log's filter stack.
    func removeStack() {
        unlink(stackPath)
    }

    /// Runs `body` with nobody else replacing the index file meanwhile.
    func exclusively<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        try inUse.withLock { _ throws(Failure) in try body() }
    }

    /// Replaces the sealed segment's index file with `bytes`.
    func replaceIndex(with bytes: [UInt8]) {
        Self.write(bytes, to: indexPath)
    }

    private static func write(_ bytes: [UInt8], to path: String) {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { fatalError("cannot open \(path): errno \(errno)") }
        defer { Glibc.close(descriptor) }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { fatalError("short write to \(path)") }
    }

    private func remove() {
        guard let entries = opendir(directory) else { return }
        while let entry = readdir(entries) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { unlink(directory + "/" + name) }
        }
        closedir(entries)
        rmdir(directory)
    }

    private static func contents(of path: String) -> [UInt8]? {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return count == 0 ? bytes : nil }
            bytes += chunk[0..<count]
        }
    }
}

/// Environment variables without Foundation.
enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
