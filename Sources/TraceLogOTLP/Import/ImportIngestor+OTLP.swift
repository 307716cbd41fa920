public import TraceLogIngest
public import TraceLogStorage

extension ImportIngestor {
    /// Reads OTLP/JSON lines from `fileDescriptor` — one `ExportTraceServiceRequest` per line, the Collector's file
    /// exporter's output — and ingests their spans (`tracelog ingest --format otlp`).
    ///
    /// A line that does not decode is reported (`line N: field "…": …`) and writes nothing; a span the mapping
    /// refuses is reported with its path (`line N: resourceSpans[0].scopeSpans[0].spans[2]: …`) and the other spans
    /// of its line are stored, as the receiver does with a partial success. With `stopOnError`, ingest stops at the
    /// first bad line or span. Spans may come in any order: a child before its parent is stored and linked.
    ///
    /// - Throws: ``LogError`` when the log fails, or `.io` when reading the input fails.
    public mutating func ingestOTLP(fileDescriptor: Int32, name: String) async throws(LogError) {
        var reader = JSONLinesReader(fileDescriptor: fileDescriptor, name: name)
        while !stopped {
            let line: JSONLine
            do {
                guard let next = try reader.nextLine() else { break }
                line = next
            } catch {
                switch error {
                case .lineTooLong(let number, let limit):
                    try await reject(
                        ImportError(
                            format: .otlp, location: .line(number), reason: "longer than the limit of \(limit) bytes"))
                    continue
                case .readFailed(let failure): throw .io(failure)
                }
            }
            let request: OTLPExportTraceServiceRequest
            do {
                request = try OTLPJSONDecoder().request(from: line.bytes)
            } catch {
                try await reject(
                    ImportError(format: .otlp, location: .line(line.number), field: error.field, reason: error.reason))
                continue
            }
            let mapped = SpanMapping.events(from: request)
            for rejection in mapped.rejected {
                try await reject(
                    ImportError(
                        format: .otlp, location: .lineItem(line: line.number, item: rejection.path),
                        reason: rejection.reason))
            }
            // Each span is its own unit: a span that trace resolution refuses does not take its line's others along.
            for span in mapped.spans {
                try await add([ImportedEvent(span.event, at: .lineItem(line: line.number, item: span.path))])
            }
        }
        try await finish()
    }
}
