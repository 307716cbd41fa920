import Foundation
import HTTPTypes
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// A `POST /v1/webhooks/{hook}` request as a trigger instance of trigger `webhook.<hook>` (source `webhook`).
///
/// Its payload is StackStorm's webhook shape, `{"headers": {…}, "body": <the request body>}`: the body is kept
/// byte for byte (a leading byte-order mark and surrounding whitespace aside), the headers by lowercase name.
/// `St2-Trace-Tag` sets the trace tag and is not kept; credentials (`Authorization`, `Cookie`) are never kept.
/// Without a tag the trace gets the automatic tag `webhook-<hook>-<32 hex>` (SPEC §2 rule 5).
struct WebhookEvent {
    /// The event to ingest.
    let event: IncomingEvent
    /// The generated trigger-instance id (24 lowercase hex characters).
    let triggerInstanceID: String
    /// The tag of the trace the webhook starts.
    let traceTag: String

    /// Headers that are never stored: the trace tag is metadata, the others are credentials.
    static let droppedHeaders: Set<String> = ["st2-trace-tag", "authorization", "proxy-authorization", "cookie"]
    /// The longest accepted hook name and trace tag.
    static let maximumHookLength = 128
    static let maximumTagLength = 1024
    /// The deepest accepted nesting of a body's arrays and objects. The body is stored at level 3 of a native
    /// line (the line, the payload, then the body), so that `tracelog replay` prints lines `ingest` reads back.
    static let maximumBodyDepth = NativeEventParser.defaultMaximumDepth - 2

    /// Builds the event; 400 when the hook name, the tag or the body is not acceptable.
    init(hook: String, headers: HTTPFields, body: [UInt8]) throws(APIError) {
        guard Self.isValidHookName(hook) else {
            throw .badRequest(
                "webhook name \(hook): expected 1 to \(Self.maximumHookLength) letters, digits, '.', '_' or '-'")
        }
        let bodyText = try Self.validatedJSON(body)
        let tagHeader = headers[values: .traceTag].first?.trimmingCharacters(in: .whitespaces) ?? ""
        guard tagHeader.utf8.count <= Self.maximumTagLength else {
            throw .badRequest("St2-Trace-Tag longer than \(Self.maximumTagLength) bytes")
        }
        triggerInstanceID = Self.randomHex(bytes: 12)
        traceTag = tagHeader.isEmpty ? "webhook-\(hook)-\(TraceID.random())" : tagHeader
        var payload = #"{"headers":"#
        Self.storedHeaders(headers).write(to: &payload)
        payload += #","body":"#
        payload += bodyText
        payload += "}"
        let instance = TriggerInstance(
            id: triggerInstanceID, trigger: "webhook.\(hook)", source: .webhook, payload: RawJSON(payload), hook: hook)
        event = IncomingEvent(body: .triggerInstance(instance), trace: TraceContext(tag: traceTag))
    }

    private static func isValidHookName(_ hook: String) -> Bool {
        (1...maximumHookLength).contains(hook.utf8.count)
            && hook.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    /// The body as JSON text: valid UTF-8 holding exactly one JSON value, nested at most ``maximumBodyDepth`` deep.
    private static func validatedJSON(_ body: [UInt8]) throws(APIError) -> String {
        var bytes = body[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        while let first = bytes.first, JSONArraySplitter.isWhitespace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, JSONArraySplitter.isWhitespace(last) { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { throw .badRequest("empty body: a webhook body must be JSON") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badRequest("the body is not valid UTF-8")
        }
        // Checked before Foundation parses the body: it refuses deep nesting without saying why.
        guard nestingStaysWithin(maximumBodyDepth, bytes) else {
            throw .badRequest("the body nests deeper than \(maximumBodyDepth) levels")
        }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw .badRequest("the body is not valid JSON")
        }
        return text
    }

    /// Whether the arrays and objects of JSON text `bytes` nest at most `limit` deep (brackets in strings aside).
    /// One pass without recursion, so any depth is safe to check; the text is validated separately.
    static func nestingStaysWithin(_ limit: Int, _ bytes: some Collection<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                depth += 1
                if depth > limit { return false }
            } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                depth -= 1
            }
        }
        return true
    }

    /// The request headers to store, by lowercase name in first-seen order; repeated headers joined by `, `.
    private static func storedHeaders(_ headers: HTTPFields) -> JSONValue {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for field in headers {
            let name = field.name.canonicalName
            guard !droppedHeaders.contains(name) else { continue }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(field.value)
        }
        return .object(order.map { ($0, .string(values[$0]!.joined(separator: ", "))) })
    }

    private static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(2 * count)
        for _ in 0..<count {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
