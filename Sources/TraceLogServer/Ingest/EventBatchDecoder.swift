import TraceLog
import TraceLogIngest

/// The events of one `POST /v1/events` body, with the line (or array element) each came from.
struct EventBatch {
    var events: [IncomingEvent] = []
    /// `lines[i]` is the 1-based line (JSON lines) or element number (JSON array) of `events[i]`.
    var lines: [Int] = []
}

/// Decodes a `POST /v1/events` body: native JSON lines, or one JSON array of native event objects.
///
/// Every line is parsed before anything is written; if any is bad, the whole request is rejected with every
/// bad line listed. A leading UTF-8 byte-order mark is dropped; blank lines are skipped but counted.
struct EventBatchDecoder {
    private let parser = NativeEventParser()

    func decode(_ body: [UInt8]) throws(APIError) -> EventBatch {
        var start = 0
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let first = body[start...].firstIndex { !JSONArraySplitter.isWhitespace($0) }
        guard let first else { throw .badRequest("the request holds no events") }
        let pieces: [(number: Int, range: Range<Int>)]
        if body[first] == UInt8(ascii: "[") {
            pieces = try JSONArraySplitter.elements(of: body, from: first).enumerated().map {
                ($0.offset + 1, $0.element)
            }
        } else {
            pieces = Self.lines(of: body, from: start)
        }
        guard !pieces.isEmpty else { throw .badRequest("the request holds no events") }
        var batch = EventBatch()
        var errors: [APIError.LineError] = []
        batch.events.reserveCapacity(pieces.count)
        batch.lines.reserveCapacity(pieces.count)
        // Parsed from the body's bytes in place (the generic `some Collection` entry point ran unspecialized).
        body.withUnsafeBytes { bytes in
            for piece in pieces {
                do throws(NativeEventError) {
                    let line = UnsafeRawBufferPointer(rebasing: bytes[piece.range])
                    batch.events.append(Self.incoming(try parser.parse(line: line, lineNumber: piece.number)))
                    batch.lines.append(piece.number)
                } catch {
                    errors.append(error.lineError)
                }
            }
        }
        if !errors.isEmpty {
            throw APIError(
                .badRequest, "\(errors.count) of \(pieces.count) events rejected; nothing was stored", lines: errors)
        }
        return batch
    }

    /// Non-blank lines (`\n` or `\r\n` terminated, the last one maybe not), numbered from 1.
    private static func lines(of body: [UInt8], from start: Int) -> [(number: Int, range: Range<Int>)] {
        var lines: [(number: Int, range: Range<Int>)] = []
        var number = 0
        var lineStart = start
        while lineStart < body.count {
            let end = body[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? body.count
            number += 1
            let line = lineStart..<end
            if body[line].contains(where: { !JSONArraySplitter.isWhitespace($0) }) { lines.append((number, line)) }
            lineStart = end + 1
        }
        return lines
    }

    private static func incoming(_ event: NativeEvent) -> IncomingEvent {
        IncomingEvent(
            body: event.body, time: event.time,
            trace: event.trace.map { TraceLog.TraceContext(id: $0.id, tag: $0.tag) })
    }
}
