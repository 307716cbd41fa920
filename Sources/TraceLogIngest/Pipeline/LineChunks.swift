/// What the line-based readers share: lines read in chunks, an over-long line reported as a problem, and a read
/// error met after some lines of a chunk held back until those lines are handed out.
public struct LineChunks: ~Copyable {
    private var lines: JSONLinesReader
    private var deferredError: IngestInputError?
    private var ended = false

    /// Reads `fileDescriptor` (not closed here); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String) {
        lines = JSONLinesReader(fileDescriptor: fileDescriptor, name: name)
    }

    /// Reads lines until the chunk holds at least `limit` items; nil at the end of the input.
    ///
    /// - Parameters:
    ///   - tooLong: the message for an over-long line, from its number and the limit.
    ///   - items: appends what one line holds to the chunk (a unit, several, or a problem).
    /// - Throws: ``IngestInputError`` when the input cannot be read (after handing out the lines before).
    public mutating func nextChunk<Unit: Sendable>(
        limit: Int, tooLong: (_ line: Int, _ limit: Int) -> String,
        _ items: (JSONLine, inout InputChunk<Unit>) -> Void
    ) throws(IngestInputError) -> InputChunk<Unit>? {
        if let deferredError { throw deferredError }
        if ended { return nil }
        var chunk = InputChunk<Unit>()
        chunk.reserveCapacity(limit)
        while chunk.count < limit {
            do throws(JSONLinesError) {
                guard let line = try lines.nextLine() else {
                    ended = true
                    break
                }
                items(line, &chunk)
            } catch {
                switch error {
                case .lineTooLong(let line, let limit):
                    chunk.append(problem: InputProblem(position: line, message: tooLong(line, limit)))
                case .readFailed(let failure):
                    // Not a bad line but an unreadable input (a directory, an I/O error): ingest stops.
                    let error = IngestInputError(failure.description)
                    if chunk.isEmpty { throw error }
                    deferredError = error
                    chunk.bytesRead = lines.bytesRead
                    return chunk
                }
            }
        }
        if chunk.isEmpty && ended { return nil }
        chunk.bytesRead = lines.bytesRead
        return chunk
    }
}
