public import TraceLog

/// Selinon trace lines, split on the parse thread; each line is converted on the ingest thread, in order,
/// because ``SelinonImporter`` keeps state across lines (flows, tasks, attempts) that a rejected line must not
/// change.
public struct SelinonLinesReader: IngestReader, ~Copyable {
    private var lines: LineChunks

    /// Reads `fileDescriptor` (not closed here); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String) {
        lines = LineChunks(fileDescriptor: fileDescriptor, name: name)
    }

    public mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<[UInt8]>? {
        try lines.nextChunk(
            limit: limit,
            tooLong: {
                ImportError(format: .selinon, location: .line($0), reason: "longer than the limit of \($1) bytes")
                    .description
            }
        ) { line, chunk in chunk.append(line.bytes, position: line.number) }
    }
}

extension SelinonImporter: IngestConverter {
    public mutating func convert(_ unit: [UInt8], position: Int, into events: inout [IncomingEvent])
        throws(InputProblem) -> Checkpoint
    {
        do throws(ImportError) {
            let converted = try convert(line: unit, number: position)
            events.append(contentsOf: converted.events)
            return converted.checkpoint
        } catch {
            throw InputProblem(position: position, message: error.description)
        }
    }

    public func location(of unit: [UInt8], at position: Int) -> String { "line \(position)" }
}
