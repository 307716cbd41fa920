import TraceLogStorage

/// Readers for scalar and free-form values. Each starts with the cursor on a non-null value, consumes it,
/// and names `field` in its errors, quoting the offending value's text.
extension NativeLineParser {
    /// A string, left in the line.
    mutating func readString(_ field: String) throws(NativeEventError) -> JSONStringToken {
        guard scanner.current == UInt8(ascii: "\"") else { throw try mismatch(field, "expected a string") }
        return try scanString()
    }

    /// A non-empty string, left in the line: an entity id or ref, which an empty string cannot usefully name.
    mutating func readIdentifier(_ field: String) throws(NativeEventError) -> JSONStringToken {
        guard scanner.current == UInt8(ascii: "\"") else { throw try mismatch(field, "expected a non-empty string") }
        let token = try scanString()
        guard !token.content.isEmpty else { throw fieldError(field, "expected a non-empty string, got \"\"") }
        return token
    }

    /// Any JSON value: its exact input bytes.
    mutating func readRawJSON() throws(NativeEventError) -> Range<Int> {
        try skipValue()
    }

    /// A JSON object: its exact input bytes.
    mutating func readRawObject(_ field: String) throws(NativeEventError) -> Range<Int> {
        guard scanner.current == UInt8(ascii: "{") else { throw try mismatch(field, "expected an object") }
        return try readRawJSON()
    }

    /// `type`: one of the six event types.
    mutating func readEventType() throws(NativeEventError) -> NativeEventType {
        try readEnumeration("type", NativeEventType.expectation, NativeEventType.match)
    }

    /// `source`: where a trigger instance came from.
    mutating func readTriggerSource() throws(NativeEventError) -> TriggerSource {
        let expectation = "expected sensor, webhook, action_trigger, notify_trigger, timer or api"
        return try readEnumeration("source", expectation, TriggerSource.init(wireBytes:))
    }

    /// `failure`: a failure class.
    mutating func readFailureClass() throws(NativeEventError) -> FailureClass {
        let expectation = "expected RECOVERABLE, TERMINAL or AMBIGUOUS"
        return try readEnumeration("failure", expectation, FailureClass.init(wireBytes:))
    }

    /// A string that must be one of a fixed set of spellings.
    mutating func readEnumeration<Value>(
        _ field: String, _ expectation: String, _ match: (UnsafeRawBufferPointer) -> Value?
    ) throws(NativeEventError) -> Value {
        guard scanner.current == UInt8(ascii: "\"") else { throw try mismatch(field, expectation) }
        let token = try scanString()
        guard let value = matchKey(token, match) else {
            throw fieldError(field, "\(expectation), got \(excerpt(token.token))")
        }
        return value
    }

    /// `attempt`: an integer from 1 to `UInt32.max`, spelled without a fraction or exponent.
    mutating func readAttempt() throws(NativeEventError) -> UInt32 {
        let expectation = "expected an integer ≥ 1"
        let first = scanner.current
        guard first == UInt8(ascii: "-") || JSONScanner.isDigit(first) else {
            throw try mismatch("attempt", expectation)
        }
        let number = try scanNumber()
        guard let value = scanner.unsignedIntegerValue(number), value <= UInt32.max else {
            let tooLarge = number.isInteger && !number.isNegative
            let reason = tooLarge ? "expected an integer ≤ \(UInt32.max)" : expectation
            throw fieldError("attempt", "\(reason), got \(excerpt(number.range))")
        }
        guard value >= 1 else { throw fieldError("attempt", "\(expectation), got \(excerpt(number.range))") }
        return UInt32(value)
    }

    /// `duration_ms`: a finite number ≥ 0 (`-0` reads as 0).
    mutating func readDuration() throws(NativeEventError) -> Double {
        let expectation = "expected a number ≥ 0"
        let first = scanner.current
        guard first == UInt8(ascii: "-") || JSONScanner.isDigit(first) else {
            throw try mismatch("duration_ms", expectation)
        }
        let number = try scanNumber()
        let value = scanner.doubleValue(number)
        guard value >= 0 else { throw fieldError("duration_ms", "\(expectation), got \(excerpt(number.range))") }
        guard value.isFinite else {
            throw fieldError("duration_ms", "expected a finite number ≥ 0, got \(excerpt(number.range))")
        }
        return value + 0  // -0 + 0 == +0
    }

    /// `time`: an RFC 3339 date-time, converted to UTC.
    mutating func readTime() throws(NativeEventError) -> Timestamp {
        let expectation = "expected an RFC 3339 time like 2026-11-22T10:00:00Z"
        guard scanner.current == UInt8(ascii: "\"") else { throw try mismatch("time", expectation) }
        let token = try scanString()
        guard let time = matchKey(token, Timestamp.init(rfc3339Bytes:)) else {
            throw fieldError("time", "\(expectation), got \(excerpt(token.token))")
        }
        return time
    }
}

extension TriggerSource {
    /// The source spelled by `bytes`, or nil (no array of all cases is built).
    init?(wireBytes bytes: UnsafeRawBufferPointer) {
        let candidate: TriggerSource? =
            switch bytes.first {
            case UInt8(ascii: "s"): .sensor
            case UInt8(ascii: "w"): .webhook
            case UInt8(ascii: "a"): bytes.count == 3 ? .api : .actionTrigger
            case UInt8(ascii: "n"): .notifyTrigger
            case UInt8(ascii: "t"): .timer
            default: nil
            }
        guard let candidate, bytes.spells(candidate.wireName) else { return nil }
        self = candidate
    }

    /// ``name`` as a static string, for comparisons without building a `String`.
    var wireName: StaticString {
        switch self {
        case .sensor: "sensor"
        case .webhook: "webhook"
        case .actionTrigger: "action_trigger"
        case .notifyTrigger: "notify_trigger"
        case .timer: "timer"
        case .api: "api"
        }
    }
}

extension FailureClass {
    /// The failure class spelled by `bytes`, or nil (no array of all cases is built).
    init?(wireBytes bytes: UnsafeRawBufferPointer) {
        let candidate: FailureClass? =
            switch bytes.first {
            case UInt8(ascii: "R"): .recoverable
            case UInt8(ascii: "T"): .terminal
            case UInt8(ascii: "A"): .ambiguous
            default: nil
            }
        guard let candidate, bytes.spells(candidate.wireName) else { return nil }
        self = candidate
    }

    /// ``name`` as a static string, for comparisons without building a `String`.
    var wireName: StaticString {
        switch self {
        case .recoverable: "RECOVERABLE"
        case .terminal: "TERMINAL"
        case .ambiguous: "AMBIGUOUS"
        }
    }
}
