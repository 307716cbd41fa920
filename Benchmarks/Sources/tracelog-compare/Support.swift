import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Monotonic time in nanoseconds (CLOCK_MONOTONIC).
@inline(__always)
func nowNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Runs `body` and returns its result and wall time in seconds.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = nowNanoseconds()
    let value = try body()
    return (value, Double(nowNanoseconds() - start) / 1e9)
}

func timedAsync<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = nowNanoseconds()
    let value = try await body()
    return (value, Double(nowNanoseconds() - start) / 1e9)
}

/// Latency samples in nanoseconds.
struct Latencies {
    var samples: [UInt64] = []

    mutating func add(_ nanoseconds: UInt64) { samples.append(nanoseconds) }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return Double(sorted[rank]) / 1000  // µs
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
}

/// A small deterministic generator (splitmix64) for picking query keys with a fixed seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How the page cache is emptied for cold measurements: `drop_caches` when this process may write it
/// (root on a VM that allows it), otherwise `posix_fadvise(POSIX_FADV_DONTNEED)` on every file involved.
enum ColdCache {
    static let canDropAll: Bool = {
        let fd = open("/proc/sys/vm/drop_caches", O_WRONLY)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }()

    static var method: String {
        canDropAll
            ? "`sync; echo 3 > /proc/sys/vm/drop_caches` before each sample (plus posix_fadvise DONTNEED on the files)"
            : "posix_fadvise(POSIX_FADV_DONTNEED) on every file of the store before each sample"
    }

    /// Evicts `paths` (files, or every file in a directory) from the page cache.
    static func evict(_ paths: [String]) {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            let fd = open(file, O_RDONLY)
            guard fd >= 0 else { continue }
            fdatasync(fd)
            posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
            close(fd)
        }
        if canDropAll {
            Glibc.sync()
            let fd = open("/proc/sys/vm/drop_caches", O_WRONLY)
            if fd >= 0 {
                _ = "3\n".withCString { write(fd, $0, 2) }
                close(fd)
            }
        }
    }
}

/// Bytes of a file or of every file in a directory.
func diskBytes(_ path: String) -> Int64 {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
    if !isDirectory.boolValue {
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.reduce(0) { $0 + diskBytes(path + "/" + $1) }
}

/// What this machine is, for the report.
enum Machine {
    static func describe() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" }
            ?? "unknown CPU"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memKB =
            meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        var uts = utsname()
        uname(&uts)
        let kernel = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let flags = cpuinfo.contains(" sse4_2") ? "SSE4.2" : "no SSE4.2"
        return
            "\(cores) cores (nproc), \(model), \(flags), \(String(format: "%.1f", Double(memKB) / 1_048_576)) GiB RAM, Linux \(kernel)"
    }
}

func formatRate(_ perSecond: Double) -> String {
    if perSecond >= 1e6 { return String(format: "%.2f M/s", perSecond / 1e6) }
    if perSecond >= 1e3 { return String(format: "%.0f k/s", perSecond / 1e3) }
    return String(format: "%.0f /s", perSecond)
}

func formatMBps(_ bytesPerSecond: Double) -> String {
    String(format: "%.0f MB/s", bytesPerSecond / 1e6)
}

func formatMicros(_ micros: Double) -> String {
    if micros >= 10_000 { return String(format: "%.1f ms", micros / 1000) }
    if micros >= 100 { return String(format: "%.0f µs", micros) }
    return String(format: "%.1f µs", micros)
}

func formatRatio(_ value: Double) -> String {
    guard value.isFinite else { return "–" }
    if value >= 10 { return String(format: "%.0f×", value) }
    return String(format: "%.2f×", value)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("[compare] \(message)\n".utf8))
}

/// This process's I/O so far: major page faults (`getrusage`) and bytes it caused to be read from storage
/// (`read_bytes` in `/proc/self/io`, which counts reads through page faults as well as `read`/`pread`).
struct IOCounters {
    var majorFaults: Int
    var readBytes: Int

    static func now() -> IOCounters {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let descriptor = open("/proc/self/io", O_RDONLY)
        let count = descriptor >= 0 ? read(descriptor, &buffer, buffer.count) : 0
        if descriptor >= 0 { close(descriptor) }
        let text = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("read_bytes:") }
        let bytes = line.flatMap { Int($0.dropFirst("read_bytes:".count).trimmingCharacters(in: .whitespaces)) }
        return IOCounters(majorFaults: usage.ru_majflt, readBytes: bytes ?? 0)
    }
}

/// Read requests the block device holding a path has completed, and the bytes they read (`/sys/dev/block/M:m/
/// stat`, fields 1 and 3; requests after the kernel merged adjacent ones). Device-wide: on a quiet machine the
/// difference across one cold query is the query's own reads. On these VMs a cold read request costs about 50 µs
/// alone and about 10 µs more for each one in flight beside it, so the request count, not the round trips,
/// bounds a cold lookup; it is also what the latency noise of a shared machine does not move.
struct DeviceReads {
    var requests: Int
    var bytes: Int

    /// The `stat` file of the device holding `path`, if the system exposes one.
    static func statFile(for path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let major = (info.st_dev >> 8) & 0xfff | (info.st_dev >> 32) & ~0xfff
        let minor = info.st_dev & 0xff | (info.st_dev >> 12) & ~0xff
        let file = "/sys/dev/block/\(major):\(minor)/stat"
        return FileManager.default.isReadableFile(atPath: file) ? file : nil
    }

    static func now(_ statFile: String?) -> DeviceReads? {
        guard let statFile, let text = try? String(contentsOfFile: statFile, encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ").compactMap { Int($0) }
        guard fields.count >= 3 else { return nil }
        return DeviceReads(requests: fields[0], bytes: fields[2] * 512)
    }

    static func - (after: DeviceReads, before: DeviceReads) -> DeviceReads {
        DeviceReads(requests: after.requests - before.requests, bytes: after.bytes - before.bytes)
    }
}

/// Medians of the device reads of a series of cold queries (open and query), for the report.
struct ColdReads {
    var requests: [Int] = []
    var kibibytes: [Int] = []

    mutating func add(_ reads: DeviceReads?) {
        guard let reads else { return }
        requests.append(reads.requests)
        kibibytes.append(reads.bytes / 1024)
    }

    /// "N requests, K KiB" (medians), or "not measured".
    var summary: String {
        guard !requests.isEmpty else { return "not measured" }
        return "\(requests.sorted()[requests.count / 2]) requests, \(kibibytes.sorted()[kibibytes.count / 2]) KiB"
    }
}
