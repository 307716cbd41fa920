import TraceLog
public import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ImportIngestor {
    /// Reads a whole foreign input from `fileDescriptor` and ingests it: Selinon line by line (streaming), Stroma
    /// and StackStorm as one JSON document.
    ///
    /// A Stroma or StackStorm document is converted completely before anything is written: if one element cannot
    /// be converted, that is reported (`element N: …`) and nothing of the document is written. A Selinon line that
    /// cannot be converted is reported (`line N: …`) and the other lines are stored (or ingest stops there with
    /// `stopOnError`). Events that trace resolution rejects are reported by their line or element.
    ///
    /// - Throws: ``LogError`` when the log fails, or `.io` when reading the input fails.
    public mutating func ingest(_ format: IngestFormat, fileDescriptor: Int32, name: String) async throws(LogError) {
        switch format {
        case .native:
            throw .invalidArgument("native input is read by the native line ingestor, not ImportIngestor")
        case .otlp:
            throw .invalidArgument("otlp input is read by ingestOTLP(fileDescriptor:name:) of TraceLogOTLP")
        case .selinon:
            var reader = JSONLinesReader(fileDescriptor: fileDescriptor, name: name)
            var importer = SelinonImporter()
            while !stopped {
                do {
                    guard let line = try reader.nextLine() else { break }
                    do {
                        try await add(try importer.events(from: line))
                    } catch let error as ImportError {
                        try await reject(error)
                    }
                } catch let error as JSONLinesError {
                    switch error {
                    case .lineTooLong(let line, let limit):
                        try await reject(
                            ImportError(
                                format: .selinon, location: .line(line),
                                reason: "longer than the limit of \(limit) bytes"))
                    case .readFailed(let failure): throw .io(failure)
                    }
                } catch let error as LogError {
                    throw error
                } catch {
                    throw .invalidArgument("\(error)")
                }
            }
        case .stroma, .st2:
            let bytes = try Self.readAll(fileDescriptor, name: name)
            do {
                let events =
                    format == .stroma
                    ? try StromaImporter().events(from: bytes) : try StackStormImporter().events(from: bytes)
                var start = 0
                while start < events.count {  // one element's events at a time
                    var end = start + 1
                    while end < events.count, events[end].location == events[start].location { end += 1 }
                    try await add(Array(events[start..<end]))
                    start = end
                }
            } catch let error as ImportError {
                try await reject(error)
            } catch let error as LogError {
                throw error
            } catch {
                throw .invalidArgument("\(error)")
            }
        }
        try await finish()
    }

    /// Every byte of `fileDescriptor` until the end of input.
    static func readAll(_ fileDescriptor: Int32, name: String) throws(LogError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(SystemError(operation: "read", path: name, errno: errno))
            }
            bytes += chunk[..<count]
        }
    }
}
