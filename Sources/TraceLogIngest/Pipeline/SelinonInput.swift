public import TraceLog

/// Selinon trace lines, split and parsed on the parse thread (``SelinonImporter/parse(line:number:)``: the line's
/// JSON and fields, which need no state); each parsed line is converted on the ingest thread, in order, because
/// ``SelinonImporter`` keeps state across lines (flows, tasks, attempts) that a rejected line must not change. A
/// line that does not parse is a problem of its chunk, reported in its place exactly as a conversion error.
public struct SelinonLinesReader: IngestReader, ~Copyable {
    private var lines: LineChunks

    /// Reads `fileDescriptor` (not closed here); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String) {
        lines = LineChunks(fileDescriptor: fileDescriptor, name: name)
    }

    public mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<SelinonParsedLine>? {
        try lines.nextChunk(
            limit: limit,
            tooLong: {
                ImportError(format: .selinon, location: .line($0), reason: "longer than the limit of \($1) bytes")
                    .description
            }
        ) { line, chunk in
            do throws(ImportError) {
                chunk.append(try SelinonImporter.parse(line: line.bytes, number: line.number), position: line.number)
            } catch {
                chunk.append(problem: InputProblem(position: line.number, message: error.description))
            }
        }
    }
}

extension SelinonImporter: IngestConverter {
    public mutating func convert(_ unit: SelinonParsedLine, position: Int, into events: inout [IncomingEvent])
        throws(InputProblem) -> Checkpoint
    {
        do throws(ImportError) {
            let converted = try convert(unit)
            events.append(contentsOf: converted.events)
            return converted.checkpoint
        } catch {
            throw InputProblem(position: position, message: error.description)
        }
    }

    public func location(of unit: SelinonParsedLine, at position: Int) -> String { "line \(position)" }
}
