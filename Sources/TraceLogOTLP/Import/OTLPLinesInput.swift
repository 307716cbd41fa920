public import TraceLog
public import TraceLogIngest

/// One span of an OTLP/JSON line, as the ingest pipeline carries it: its event and where it is in the line.
public struct OTLPSpanUnit: Sendable {
    /// The span as an execution attempt (resolved in OpenTelemetry mode).
    public var event: IncomingEvent
    /// `resourceSpans[0].scopeSpans[0].spans[2]`.
    public var path: String
}

/// OTLP/JSON lines — one `ExportTraceServiceRequest` per line, the Collector's file exporter's output — decoded
/// and mapped on the pipeline's parse thread (`tracelog ingest --format otlp`).
///
/// A line that does not decode is one problem (`line N: field "…": …`) and writes nothing; a span the mapping
/// refuses is one problem with its path (`line N: resourceSpans[0].scopeSpans[0].spans[2]: …`), and the other
/// spans of its line are still stored, as the receiver does with a partial success. Each span is its own unit:
/// a span that trace resolution refuses does not take its line's others along. Spans may come in any order.
public struct OTLPLinesReader: IngestReader, ~Copyable {
    private var lines: LineChunks

    /// Reads `fileDescriptor` (not closed here); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String) {
        lines = LineChunks(fileDescriptor: fileDescriptor, name: name)
    }

    public mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<OTLPSpanUnit>? {
        try lines.nextChunk(
            limit: limit,
            tooLong: {
                ImportError(format: .otlp, location: .line($0), reason: "longer than the limit of \($1) bytes")
                    .description
            }
        ) { line, chunk in Self.items(of: line, into: &chunk) }
    }

    /// A line's spans, or the problems of the line or of its spans.
    private static func items(of line: JSONLine, into chunk: inout InputChunk<OTLPSpanUnit>) {
        let request: OTLPExportTraceServiceRequest
        do {
            request = try OTLPJSONDecoder().request(from: line.bytes)
        } catch {
            let problem = ImportError(
                format: .otlp, location: .line(line.number), field: error.field, reason: error.reason)
            chunk.append(problem: InputProblem(position: line.number, message: problem.description))
            return
        }
        let mapped = SpanMapping.events(from: request)
        for rejection in mapped.rejected {
            let problem = ImportError(
                format: .otlp, location: .lineItem(line: line.number, item: rejection.path), reason: rejection.reason)
            chunk.append(problem: InputProblem(position: line.number, message: problem.description))
        }
        for span in mapped.spans {
            chunk.append(OTLPSpanUnit(event: span.event, path: span.path), position: line.number)
        }
    }
}

/// Hands a mapped span's event through (the mapping keeps no state across lines).
public struct OTLPSpanConverter: IngestConverter {
    /// Creates the converter.
    public init() {}

    public func convert(_ unit: OTLPSpanUnit, position: Int, into events: inout [IncomingEvent]) {
        events.append(unit.event)
    }

    public func restore(_ checkpoint: Void) {}

    public func location(of unit: OTLPSpanUnit, at position: Int) -> String { "line \(position): \(unit.path)" }
}

extension IngestPipeline {
    /// Runs OTLP/JSON lines from a file descriptor through the pipeline: `tracelog ingest --format otlp`.
    public func runOTLP(fileDescriptor: Int32, name: String) async throws(IngestPipelineError) -> IngestSummary {
        try await run(
            reader: { OTLPLinesReader(fileDescriptor: fileDescriptor, name: name) }, converter: OTLPSpanConverter())
    }
}
