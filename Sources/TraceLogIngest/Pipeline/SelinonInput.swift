public import TraceLog

/// Selinon trace lines, split on the parse thread; each line is converted on the ingest thread, in order,
/// because ``SelinonImporter`` keeps state across lines (flows, tasks, attempts) that a rejected line must not
/// change.
public struct SelinonLinesReader: IngestReader, ~Copyable {
    private var lines: JSONLinesReader
    private var deferredError: IngestInputError?
    private var ended = false

    /// Reads `fileDescriptor` (not closed here); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String) {
        lines = JSONLinesReader(fileDescriptor: fileDescriptor, name: name)
    }

    public mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<[UInt8]>? {
        if let deferredError { throw deferredError }
        if ended { return nil }
        var chunk = InputChunk<[UInt8]>()
        while chunk.items.count < limit {
            do throws(JSONLinesError) {
                guard let line = try lines.nextLine() else {
                    ended = true
                    break
                }
                chunk.items.append(.unit(line.bytes, position: line.number))
            } catch {
                switch error {
                case .lineTooLong(let line, let limit):
                    let problem = ImportError(
                        format: .selinon, location: .line(line), reason: "longer than the limit of \(limit) bytes")
                    chunk.items.append(.problem(InputProblem(position: line, message: problem.description)))
                case .readFailed(let failure):
                    let error = IngestInputError(failure.description)
                    if chunk.items.isEmpty { throw error }
                    deferredError = error
                    chunk.bytesRead = lines.bytesRead
                    return chunk
                }
            }
        }
        if chunk.items.isEmpty && ended { return nil }
        chunk.bytesRead = lines.bytesRead
        return chunk
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
