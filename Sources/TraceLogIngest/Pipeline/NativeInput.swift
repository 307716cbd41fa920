public import TraceLog

/// Native JSON lines (see <doc:NativeEventFormat>), parsed on the parse thread: one unit per line.
public struct NativeLinesReader: IngestReader, ~Copyable {
    private var lines: JSONLinesReader
    private let parser: NativeEventParser
    /// A read error met after some lines of a chunk: thrown at the next call, once those lines are handed out.
    private var deferredError: IngestInputError?
    private var ended = false

    /// Reads `fileDescriptor` (not closed here); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String, parser: NativeEventParser = NativeEventParser()) {
        lines = JSONLinesReader(fileDescriptor: fileDescriptor, name: name)
        self.parser = parser
    }

    public mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<IncomingEvent>? {
        if let deferredError { throw deferredError }
        if ended { return nil }
        var chunk = InputChunk<IncomingEvent>()
        chunk.items.reserveCapacity(limit)
        while chunk.items.count < limit {
            do throws(JSONLinesError) {
                guard let line = try lines.nextLine() else {
                    ended = true
                    break
                }
                do throws(NativeEventError) {
                    chunk.items.append(.unit(try parser.parse(line), position: line.number))
                } catch {
                    chunk.items.append(.problem(InputProblem(position: line.number, message: error.description)))
                }
            } catch {
                switch error {
                case .lineTooLong(let line, _):
                    chunk.items.append(.problem(InputProblem(position: line, message: error.description)))
                case .readFailed(let failure):
                    // Not a bad line but an unreadable input (a directory, an I/O error): ingest stops.
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

/// Hands parsed native events through unchanged: a native line needs no state from earlier lines.
public struct NativeEventConverter: IngestConverter {
    /// Creates the converter.
    public init() {}

    public func convert(_ unit: IncomingEvent, position: Int, into events: inout [IncomingEvent]) {
        events.append(unit)
    }

    public func restore(_ checkpoint: Void) {}

    public func location(of unit: IncomingEvent, at position: Int) -> String { "line \(position)" }
}
