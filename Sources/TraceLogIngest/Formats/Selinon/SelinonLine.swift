import TraceLogStorage

/// One Selinon trace line, split into its parts: from the JSON sink
/// (`{"details": {…}, "event": "…", "node": "<host>", "time": "…"}`) or from the logging sink
/// (`[prefix] SELINON <host> - <EVENT> : {"details": {…}, "event": "…", "time": "…"}`).
struct SelinonLine {
    /// The event name (checked against Selinon's 53).
    var event: String
    /// The `details` object.
    var details: SourceJSON
    /// The exact text of `details`.
    var detailsText: String
    /// The host that printed it: `node` of a JSON line, the host of a logging line.
    var host: String?
    /// `time`: Python's `str(datetime.utcnow())`, UTC without a zone.
    var time: Timestamp
    /// The line's bytes (the values' ranges point into them).
    var bytes: [UInt8]

    /// The keys a JSON sink line may have.
    private static let jsonSinkKeys = ["details", "event", "node", "time"]
    /// The keys the JSON of a logging sink line may have.
    private static let loggingSinkKeys = ["details", "event", "time"]

    /// The logging sink's marker.
    private static let marker = Array("SELINON ".utf8)

    /// Parses one line; throws an ``ImportError`` naming the line and the field.
    static func parse(_ bytes: [UInt8], lineNumber: Int) throws(ImportError) -> SelinonLine {
        let location = ImportLocation.line(lineNumber)
        func failure(_ field: String?, _ reason: String) -> ImportError {
            ImportError(format: .selinon, location: location, field: field, reason: reason)
        }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        var host: String?
        var prefixEvent: String?
        var jsonStart = start
        if start >= bytes.count || bytes[start] != UInt8(ascii: "{") {
            guard let parts = loggingPrefix(bytes) else {
                throw failure(
                    nil,
                    "not a Selinon trace line (expected a JSON object or '… SELINON <host> - <EVENT> : {json}')")
            }
            (host, prefixEvent, jsonStart) = parts
            guard SelinonEventName.isKnown(prefixEvent!) else {
                throw failure(nil, "unknown Selinon event \"\(prefixEvent!)\"")
            }
        }
        let document: SourceJSON
        do {
            // `details` sits at level 2 here as in a native flow_event line, so the native limit keeps every
            // stored line replayable.
            document = try SourceJSONParser.parse(
                bytes, range: jsonStart..<bytes.count, maximumDepth: NativeEventParser.defaultMaximumDepth)
        } catch {
            throw failure(nil, "invalid JSON at byte \(error.offset + 1): \(error.reason)")
        }
        let allowed = prefixEvent == nil ? Self.jsonSinkKeys : Self.loggingSinkKeys
        let reader = FieldReader(format: .selinon, location: location, source: bytes)
        let members = try reader.members(of: document, allowed: allowed)
        let event = try reader.requiredString(members, "event")
        guard SelinonEventName.isKnown(event) else { throw failure("event", "unknown Selinon event \"\(event)\"") }
        if let prefixEvent, prefixEvent != event {
            throw failure("event", "the logging prefix says \(prefixEvent), the JSON says \(event)")
        }
        guard let details = members["details"] else { throw failure("details", "missing") }
        guard case .object = details.value else {
            throw failure("details", "expected an object, got \(details.typeName)")
        }
        if prefixEvent == nil { host = try reader.string(members, "node") }
        let time = try reader.time(members, "time", required: true, naiveUTC: true)!
        return SelinonLine(
            event: event, details: details, detailsText: details.text(in: bytes), host: host, time: time, bytes: bytes)
    }

    /// Finds `SELINON <host> - <EVENT> : ` and returns the host, the event and where the JSON starts.
    private static func loggingPrefix(_ bytes: [UInt8]) -> (String, String, Int)? {
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index..<index + marker.count].elementsEqual(marker), index == 0 || bytes[index - 1] == 0x20,
                let parts = afterMarker(bytes, from: index + marker.count)
            {
                return parts
            }
            index += 1
        }
        return nil
    }

    /// Parses `<spaces><host> - <EVENT> : ` starting at `position` (the host is right-aligned by `%10s`).
    private static func afterMarker(_ bytes: [UInt8], from position: Int) -> (String, String, Int)? {
        var cursor = position
        while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
        guard let dash = find(Array(" - ".utf8), in: bytes, from: cursor) else { return nil }
        let host = String(decoding: bytes[cursor..<dash], as: UTF8.self)
        let eventStart = dash + 3
        guard let colon = find(Array(" : ".utf8), in: bytes, from: eventStart) else { return nil }
        let event = String(decoding: bytes[eventStart..<colon], as: UTF8.self)
        guard !host.isEmpty, !event.isEmpty, !event.contains(" ") else { return nil }
        return (host, event, colon + 3)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
