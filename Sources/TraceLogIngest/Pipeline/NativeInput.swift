public import TraceLog

/// Native JSON lines (see <doc:NativeEventFormat>), parsed on the parse thread: one unit per line.
public struct NativeLinesReader: IngestReader, ~Copyable {
    private var lines: LineChunks
    private let parser: NativeEventParser

    /// Reads `fileDescriptor` (not closed here); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String, parser: NativeEventParser = NativeEventParser()) {
        lines = LineChunks(fileDescriptor: fileDescriptor, name: name)
        self.parser = parser
    }

    public mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<IncomingEvent>? {
        try lines.nextChunk(limit: limit, tooLong: { JSONLinesError.lineTooLong(line: $0, limit: $1).description }) {
            [parser] line, chunk in
            do throws(NativeEventError) {
                chunk.append(try parser.parse(line), position: line.number)
            } catch {
                chunk.append(problem: InputProblem(position: line.number, message: error.description))
            }
        }
    }
}

/// Hands parsed native events through unchanged: a native line needs no state from earlier lines.
public struct NativeEventConverter: IngestConverter {
    /// Creates the converter.
    public init() {}

    public func convert(_ unit: IncomingEvent, position: Int, into events: inout [IncomingEvent]) {
        events.append(unit)
    }

    /// Moves the event out of `unit` (its strings are not copied), leaving an empty trace-start event behind.
    public func convert(moving unit: inout IncomingEvent, position: Int, into events: inout [IncomingEvent]) {
        var event = IncomingEvent(body: .traceStart(TraceStart(tag: "")))
        swap(&event, &unit)
        events.append(event)
    }

    public func restore(_ checkpoint: Void) {}

    /// Runs `body` on the units: each is one event, passed on unchanged.
    public static func withUnitsAsEvents(
        _ units: inout [IncomingEvent], _ body: (inout [IncomingEvent]) throws(LogError) -> Void
    ) throws(LogError) -> Bool {
        try body(&units)
        return true
    }

    public func location(of unit: IncomingEvent, at position: Int) -> String { "line \(position)" }
}
