import Hummingbird
import HummingbirdCore
import TraceLog
import TraceLogStorage

/// A request's query parameters, checked strictly: an unknown or repeated parameter is a 400, so a typo never
/// silently widens a query.
struct QueryParameters {
    private let values: [String: String]

    /// Reads the query of `uri`, accepting only the `allowed` names.
    init(_ uri: URI, allowed: Set<String>) throws(APIError) {
        var values: [String: String] = [:]
        for (key, value) in uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                throw .badRequest(
                    "unknown query parameter \(name); expected one of \(allowed.sorted().joined(separator: ", "))")
            }
            guard values.updateValue(String(value), forKey: name) == nil else {
                throw .badRequest("query parameter \(name) given more than once")
            }
        }
        self.values = values
    }

    /// The value, or nil when absent or empty.
    func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// An integer, `defaultValue` when absent; 400 when not an integer in `range`.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw .badRequest("query parameter \(name): expected an integer ≥ \(range.lowerBound), got \(text)")
        }
        return value
    }

    /// A flag: absent is false; present with no value, `true` or `1` is true; `false` or `0` is false.
    func flag(_ name: String) throws(APIError) -> Bool {
        guard let value = values[name] else { return false }
        switch value {
        case "", "true", "1": return true
        case "false", "0": return false
        default: throw .badRequest("query parameter \(name): expected true or false, got \(value)")
        }
    }

    /// `allow_damaged`: answer from the readable records when damaged data may hide part of the answer, with a
    /// `damage` member in the JSON body; without it such a query fails (500, naming each damaged region).
    func damagePolicy() throws(APIError) -> DamagePolicy {
        try flag("allow_damaged") ? .allow : .fail
    }

    /// An RFC 3339 time, nil when absent.
    func time(_ name: String) throws(APIError) -> Timestamp? {
        guard let text = string(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw .badRequest(
                "query parameter \(name): expected an RFC 3339 time like 2026-11-22T10:00:00Z, got \(text)")
        }
        return time
    }
}
