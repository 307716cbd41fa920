import TraceLogIngest

/// (e) The native JSON-lines parser: the input split at `\n`, each piece parsed as one line.
///
/// A line that parses is written back with ``NativeEventWriter`` (what `tracelog replay` prints); that text
/// must parse again to the same event, and writing that event must give the same text. (Line breaks inside
/// raw JSON values become spaces when written, so for a line with `\r` in it only the text is compared.)
enum NativeEventTarget {
    static let parser = NativeEventParser()
    static let shallowParser = NativeEventParser(maximumDepth: 2)

    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        var number = 0
        for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let bytes = UnsafeRawBufferPointer(rebasing: line)
            _ = try? shallowParser.parse(line: bytes, lineNumber: number)
            let event: NativeEvent
            do {
                event = try parser.parse(line: bytes, lineNumber: number)
            } catch {
                try check(error.line == number, "error for line \(error.line) reported on line \(number)")
                continue
            }
            try checkWrittenBack(event, hasCarriageReturn: bytes.contains(0x0D))
        }
    }

    private static func checkWrittenBack(_ event: NativeEvent, hasCarriageReturn: Bool) throws(Violation) {
        let writer = NativeEventWriter()
        let written = writer.line(for: event)
        let again: NativeEvent
        do {
            again = try parser.parse(line: Array(written.utf8), lineNumber: 1)
        } catch {
            throw Violation(message: "the written line does not parse (\(error)): \(written)")
        }
        try check(hasCarriageReturn || again == event, "written and read back, the event changed: \(written)")
        try check(writer.line(for: again) == written, "writing is not stable: \(written)")
    }
}
