import Foundation

/// The standard Prometheus process metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// `process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`, `process_start_time_seconds`), read
/// from `/proc/self` when `/metrics` is scraped. On a system without `/proc` they are left out.
struct ProcessMetrics {
    var cpuSeconds: Double
    var residentBytes: Double
    var virtualBytes: Double
    var openFileDescriptors: Int
    var maximumFileDescriptors: Int?
    var startTimeSeconds: Double?

    /// Clock ticks per second and the page size, for `/proc/self/stat`.
    private static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    private static let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    /// The figures now; nil where `/proc` cannot be read.
    static func read() -> ProcessMetrics? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name, which may hold spaces; field 3 (state) is the first here.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 22, let user = Double(fields[11]), let system = Double(fields[12]),
            let startTicks = Double(fields[19]), let virtual = Double(fields[20]), let resident = Double(fields[21])
        else { return nil }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limit = rlimit()
        let maximum = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(limit.rlim_cur) : nil
        return ProcessMetrics(
            cpuSeconds: (user + system) / ticks, residentBytes: resident * pageSize, virtualBytes: virtual,
            openFileDescriptors: open, maximumFileDescriptors: maximum,
            startTimeSeconds: bootTime().map { $0 + startTicks / ticks })
    }

    /// The boot time in Unix seconds (`btime` in `/proc/stat`).
    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count))
        }
        return nil
    }

    /// The exposition text.
    var text: String {
        var lines: [String] = []
        func add(_ name: String, _ type: String, _ help: String, _ value: String) {
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) \(type)", "\(name) \(value)"]
        }
        add("process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.", "\(cpuSeconds)")
        add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", "\(residentBytes)")
        add("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", "\(virtualBytes)")
        add("process_open_fds", "gauge", "Number of open file descriptors.", "\(openFileDescriptors)")
        if let maximumFileDescriptors {
            add("process_max_fds", "gauge", "Maximum number of open file descriptors.", "\(maximumFileDescriptors)")
        }
        if let startTimeSeconds {
            add(
                "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.",
                "\(startTimeSeconds)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Optional where Wrapped == ProcessMetrics {
    /// The exposition text, empty when the figures could not be read.
    var text: String { self?.text ?? "" }
}
