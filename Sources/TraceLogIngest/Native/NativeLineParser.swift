import TraceLogStorage

/// The state of parsing one line: the scanner over its bytes, and the line number for errors.
///
/// Every `JSONError` is turned into a ``NativeEventError`` for the line (no field); every shape or value
/// error names its field. Kept small on purpose (the fields read so far live in a separate ``NativeFields``):
/// the compiler may copy `self` when a mutating method calls a non-mutating one.
struct NativeLineParser {
    /// The cursor over the line's bytes.
    var scanner: JSONScanner
    /// The 1-based line number, for errors.
    let lineNumber: Int

    /// Creates a parser for one line.
    init(bytes: UnsafeRawBufferPointer, lineNumber: Int, maximumDepth: Int) {
        scanner = JSONScanner(bytes: bytes, maximumDepth: maximumDepth)
        self.lineNumber = lineNumber
    }

    /// Reads the whole line: one JSON object and nothing after it but whitespace.
    @inline(__always)
    mutating func parseEvent() throws(NativeEventError) -> NativeEvent {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else {
            let range = try skipValue()
            throw NativeEventError(line: lineNumber, reason: "expected a JSON object, got \(excerpt(range))")
        }
        try enterObject()
        var fields = NativeFields()
        var isFirst = true
        while try nextKeyStart(isFirst: &isFirst) {
            try readMember(key: try topLevelKey(), into: &fields)
        }
        do { try scanner.expectEnd() } catch { throw invalidJSON(error) }
        return try finishEvent(fields)
    }

    /// Checks and builds the event from everything the line said. (`fields` is a parameter here, not a local
    /// `var`, so it is passed on by reference instead of being copied for each call.)
    @inline(__always)
    private func finishEvent(_ fields: borrowing NativeFields) throws(NativeEventError) -> NativeEvent {
        let type = try checkKeys(of: fields)
        let traceStartID = type == .trace ? try traceStartID(of: fields) : nil
        return NativeEvent(
            body: makeBody(type, from: fields), time: fields.time,
            trace: makeTraceContext(from: fields, traceStartID: traceStartID),
            mode: fields.otlp == nil ? .standard : .openTelemetry)
    }

    /// The top-level key whose opening quote is at the cursor, leaving the cursor on its value. A key spelled
    /// plainly is recognized in place (``NativeKey/matchQuoted(in:at:)``); any other is scanned and decoded, and
    /// rejected as unknown once its colon has been read (so malformed JSON is reported first, as it always was).
    @inline(__always)
    private mutating func topLevelKey() throws(NativeEventError) -> NativeKey {
        if let (key, length) = NativeKey.matchQuoted(in: scanner.bytes, at: scanner.position + 1) {
            scanner.position += 1 + length
            do { try scanner.finishKey() } catch { throw invalidJSON(error) }
            return key
        }
        let token = try scanString()
        do { try scanner.finishKey() } catch { throw invalidJSON(error) }
        guard let key = matchKey(token, NativeKey.match) else { throw fieldError(keyName(token), "unknown key") }
        return key
    }

    /// Reads the value of one top-level member; the cursor is on the value.
    private mutating func readMember(key: NativeKey, into fields: inout NativeFields) throws(NativeEventError) {
        guard !fields.seen.contains(key) else { throw fieldError(key.fieldName, "duplicate key") }
        fields.seen.insert(NativeKeySet(key))
        if try consumeNull() { return }
        fields.present.insert(NativeKeySet(key))
        switch key {
        case .type: fields.type = try readEventType()
        case .id: fields.id = try readIdentifier("id")
        case .time: fields.time = try readTime()
        case .trace: fields.trace = try readTraceContext()
        case .causedBy: fields.causedBy = try readEntityRef(key)
        case .trigger: fields.trigger = try readIdentifier("trigger")
        case .payload: fields.payload = try readRawJSON()
        case .source: fields.source = try readTriggerSource()
        case .hook: fields.hook = try readString("hook")
        case .timer: fields.timer = try readString("timer")
        case .rule: (fields.ruleID, fields.ruleRef) = try readRule()
        case .triggerInstance: fields.triggerInstance = try readIdentifier("trigger_instance")
        case .execution: fields.execution = try readIdentifier("execution")
        case .action: fields.action = try readIdentifier("action")
        case .runID: fields.runID = try readString("run_id")
        case .attempt: fields.attempt = try readAttempt()
        case .status: fields.status = try readString("status")
        case .parent: fields.parent = try readIdentifier("parent")
        case .rerunOf: fields.rerunOf = try readIdentifier("rerun_of")
        case .input: fields.input = try readRawJSON()
        case .output: fields.output = try readRawJSON()
        case .durationMs: fields.durationMs = try readDuration()
        case .failure: fields.failure = try readFailureClass()
        case .failureMessage: fields.failureMessage = try readString("failure_message")
        case .event: fields.event = try readIdentifier("event")
        case .details: fields.details = try readRawObject("details")
        case .node: fields.node = try readString("node")
        case .tag: fields.tag = try readString("tag")
        case .origin: fields.origin = try readEntityRef(key)
        case .entity: fields.entity = try readEntityRef(key)
        case .otlp: fields.otlp = try readRawObject("otlp")
        }
    }

    // MARK: Plumbing shared by the readers

    /// The error for the line when its JSON is invalid.
    func invalidJSON(_ error: JSONError) -> NativeEventError {
        NativeEventError(line: lineNumber, reason: error.description)
    }

    // Scanner steps whose `JSONError`s become errors for the line.

    /// See ``JSONScanner/scanString()``.
    mutating func scanString() throws(NativeEventError) -> JSONStringToken {
        do { return try scanner.scanString() } catch { throw invalidJSON(error) }
    }

    /// See ``JSONScanner/scanNumber()``.
    mutating func scanNumber() throws(NativeEventError) -> JSONNumberToken {
        do { return try scanner.scanNumber() } catch { throw invalidJSON(error) }
    }

    /// See ``JSONScanner/skipValue()``.
    mutating func skipValue() throws(NativeEventError) -> Range<Int> {
        do { return try scanner.skipValue() } catch { throw invalidJSON(error) }
    }

    /// See ``JSONScanner/enterContainer()``.
    mutating func enterObject() throws(NativeEventError) {
        do { try scanner.enterContainer() } catch { throw invalidJSON(error) }
    }

    /// See ``JSONScanner/nextKeyStart(isFirst:)``.
    @inline(__always)
    mutating func nextKeyStart(isFirst: inout Bool) throws(NativeEventError) -> Bool {
        do { return try scanner.nextKeyStart(isFirst: &isFirst) } catch { throw invalidJSON(error) }
    }

    /// See ``JSONScanner/nextKey(isFirst:)``.
    mutating func nextKey(isFirst: inout Bool) throws(NativeEventError) -> JSONStringToken? {
        do { return try scanner.nextKey(isFirst: &isFirst) } catch { throw invalidJSON(error) }
    }

    /// An error naming `field`.
    func fieldError(_ field: String, _ reason: String) -> NativeEventError {
        NativeEventError(line: lineNumber, field: field, reason: reason)
    }

    /// Consumes a `null` at the cursor and returns true, or returns false for any other value.
    @inline(__always)
    mutating func consumeNull() throws(NativeEventError) -> Bool {
        guard scanner.current == UInt8(ascii: "n") else { return false }
        do { _ = try scanner.scanLiteral() } catch { throw invalidJSON(error) }
        return true
    }

    /// Matches a key with `match`, decoding it first if it holds escapes (`"\u0069d"` is the key `id`).
    @inline(__always)
    func matchKey<Key>(_ token: JSONStringToken, _ match: (UnsafeRawBufferPointer) -> Key?) -> Key? {
        guard token.hasEscapes else { return match(scanner.slice(token.content)) }
        var decoded = scanner.string(token)
        return decoded.withUTF8 { match(UnsafeRawBufferPointer($0)) }
    }

    /// A key as text for an error message, cut to 64 characters.
    func keyName(_ token: JSONStringToken) -> String {
        let name = scanner.string(token)
        return name.utf8.count <= 64 ? name : String(name.prefix(64)) + "…"
    }

    /// A value's input text for an error message, cut to 40 bytes (on a character boundary).
    func excerpt(_ range: Range<Int>) -> String {
        let text = String(copyingValidUTF8: scanner.slice(range))
        guard text.utf8.count > 40 else { return text }
        var cut = ""
        for character in text {
            guard cut.utf8.count + character.utf8.count <= 40 else { break }
            cut.append(character)
        }
        return cut + "…"
    }

    /// The error for a value of the wrong shape at the cursor: consumes it to quote it.
    mutating func mismatch(_ field: String, _ expectation: String) throws(NativeEventError) -> NativeEventError {
        let range = try skipValue()
        return fieldError(field, "\(expectation), got \(excerpt(range))")
    }
}
