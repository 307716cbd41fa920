import TraceLog
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension StromaImporter {
    /// The events of a well-formed `to_json()` document, read by one forward scan that builds no tree (the
    /// native parser's ``JSONScanner``), where the general path builds each element's members before reading
    /// them: `tracelog ingest --format stroma` of 500,005 attempts took 2.9 s instead of 4.9 s.
    ///
    /// Nil as soon as anything is not as a valid document has it — invalid JSON, a missing, unknown, duplicate or
    /// mistyped key, an escaped key, a value out of range, an element over the length limit — and the caller then
    /// converts the document the general way, which reports the problem (so every error message comes from one
    /// place). Import ids are drawn only once the whole document has been checked, in element order, as the
    /// general path draws them.
    package func scannedEvents(from json: [UInt8]) -> [ImportedEvent]? {
        let attempts: [Attempt]? = json.withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw, maximumDepth: Self.maximumDepth)
            do throws(JSONError) {
                return try Self.scanAttempts(&scanner, maximumElementLength: maximumElementLength)
            } catch {
                return nil
            }
        }
        guard let attempts else { return nil }
        var runs: [String: RunState] = [:]
        var events: [ImportedEvent] = []
        events.reserveCapacity(attempts.count)
        for (index, attempt) in attempts.enumerated() {
            events.append(ImportedEvent(event(attempt, runs: &runs), at: .element(index)))
        }
        return events
    }

    /// Every element's checked fields, or nil at the first thing the general path would report or read
    /// differently.
    private static func scanAttempts(_ scanner: inout JSONScanner, maximumElementLength: Int) throws(JSONError)
        -> [Attempt]?
    {
        var attempts: [Attempt] = []
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "[") else { return nil }
        try scanner.enterContainer()
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "]") {
            scanner.position += 1
            scanner.depth -= 1
        } else {
            while true {
                scanner.skipWhitespace()
                let start = scanner.position
                guard let attempt = try scanAttempt(&scanner),
                    scanner.position - start <= maximumElementLength
                else { return nil }
                attempts.append(attempt)
                scanner.skipWhitespace()
                guard scanner.current == UInt8(ascii: ",") else { break }
                scanner.position += 1
            }
            guard scanner.current == UInt8(ascii: "]") else { return nil }
            scanner.position += 1
            scanner.depth -= 1
        }
        try scanner.expectEnd()
        return attempts
    }

    /// One element: an object with each of Stroma's nine keys once, each of the type and range it must have.
    private static func scanAttempt(_ scanner: inout JSONScanner) throws(JSONError) -> Attempt? {
        guard scanner.current == UInt8(ascii: "{") else { return nil }
        try scanner.enterContainer()
        var fields = Attempt(
            node: "", runID: "", attempt: 0, time: nil, input: .emptyObject, output: nil, durationMs: 0,
            failure: nil, failureMessage: nil)
        var seen: UInt16 = 0
        var isFirst = true
        while let key = try scanner.nextKey(isFirst: &isFirst) {
            guard !key.hasEscapes, let slot = keySlot(scanner.slice(key.content)), seen & (1 << slot) == 0 else {
                return nil
            }
            seen |= 1 << slot
            switch slot {
            case 0, 1:  // node_id, run_id: non-empty strings
                guard let text = try string(&scanner), !text.isEmpty else { return nil }
                if slot == 0 { fields.node = text } else { fields.runID = text }
            case 2:  // attempt: an integer in 1...UInt32.max
                guard let lexeme = try number(&scanner), let value = Int64(lexeme),
                    (1...Int64(UInt32.max)).contains(value)
                else { return nil }
                fields.attempt = UInt32(value)
            case 3:  // timestamp_utc: RFC 3339
                guard let text = try string(&scanner), let time = Timestamp(rfc3339: text) else { return nil }
                fields.time = time
            case 4:  // input_state: an object, kept byte for byte
                guard scanner.current == UInt8(ascii: "{") else { return nil }
                fields.input = RawJSON(String(decoding: scanner.slice(try scanner.skipValue()), as: UTF8.self))
            case 5:  // output_state: an object, kept byte for byte, or null
                if scanner.current == UInt8(ascii: "n") {
                    guard try scanner.scanLiteral() == .null else { return nil }
                } else {
                    guard scanner.current == UInt8(ascii: "{") else { return nil }
                    fields.output = RawJSON(String(decoding: scanner.slice(try scanner.skipValue()), as: UTF8.self))
                }
            case 6:  // duration_ms: a finite number ≥ 0
                guard let lexeme = try number(&scanner), let value = Double(lexeme), value.isFinite, value >= 0 else {
                    return nil
                }
                fields.durationMs = value
            case 7:  // failure: a failure class's name, or null
                if try !isNull(&scanner) {
                    guard let name = try string(&scanner), let failure = FailureClass(name: name) else { return nil }
                    fields.failure = failure
                }
            default:  // failure_message: a string or null
                if try !isNull(&scanner) {
                    guard let text = try string(&scanner) else { return nil }
                    fields.failureMessage = text
                }
            }
        }
        return seen == 0x1FF ? fields : nil
    }

    /// The position of a key in ``keys``: picked by its first byte, then compared byte for byte (comparing with
    /// each name through `String.UTF8View` took a sixth of the scan).
    private static func keySlot(_ key: UnsafeRawBufferPointer) -> Int? {
        guard let first = key.first else { return nil }
        let candidates: (Int, Int)
        switch first {
        case UInt8(ascii: "n"): candidates = (0, 0)
        case UInt8(ascii: "r"): candidates = (1, 1)
        case UInt8(ascii: "a"): candidates = (2, 2)
        case UInt8(ascii: "t"): candidates = (3, 3)
        case UInt8(ascii: "i"): candidates = (4, 4)
        case UInt8(ascii: "o"): candidates = (5, 5)
        case UInt8(ascii: "d"): candidates = (6, 6)
        case UInt8(ascii: "f"): candidates = (7, 8)
        default: return nil
        }
        if isKey(candidates.0, key) { return candidates.0 }
        return candidates.1 != candidates.0 && isKey(candidates.1, key) ? candidates.1 : nil
    }

    private static func isKey(_ slot: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        keyBytes[slot].withUnsafeBytes { name in
            name.count == key.count && memcmp(name.baseAddress!, key.baseAddress!, key.count) == 0
        }
    }

    /// ``keys`` as bytes, for ``keySlot(_:)``.
    private static let keyBytes: [[UInt8]] = keys.map { Array($0.utf8) }

    /// The string at the cursor, decoded; nil (consuming nothing) for any other value.
    private static func string(_ scanner: inout JSONScanner) throws(JSONError) -> String? {
        guard scanner.current == UInt8(ascii: "\"") else { return nil }
        return scanner.string(try scanner.scanString())
    }

    /// The number at the cursor as its text; nil (consuming nothing) for any other value.
    private static func number(_ scanner: inout JSONScanner) throws(JSONError) -> String? {
        let byte = scanner.current
        guard byte == UInt8(ascii: "-") || JSONScanner.isDigit(byte) else { return nil }
        return String(decoding: scanner.slice(try scanner.scanNumber().range), as: UTF8.self)
    }

    /// Consumes a `null` at the cursor and returns true; false (consuming nothing) for any other value.
    private static func isNull(_ scanner: inout JSONScanner) throws(JSONError) -> Bool {
        guard scanner.current == UInt8(ascii: "n") else { return false }
        return try scanner.scanLiteral() == .null
    }
}
