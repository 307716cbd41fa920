import Foundation
import TraceLogStorage

/// A structured comparison of two runs (SPEC §4): keyed by (node, attempt), time and duration ignored.
///
/// **Fix** of Stroma: entries are data (kind, key, field names, both values), not repr strings; run ids can
/// be ignored (otherwise two runs always differ); and an attempt present in one run only is its own entry,
/// so a node retried more often in one run than the other shows up.
public struct RunDiff: Hashable, Sendable {
    /// What differs about one (node, attempt).
    public enum Kind: String, Hashable, Sendable {
        /// In run A only.
        case missing
        /// In run B only.
        case extra
        /// In both, with different fields.
        case changed
    }

    /// One changed field with both values (JSON; `null` when absent).
    public struct FieldChange: Hashable, Sendable {
        public var field: String
        public var a: JSONValue
        public var b: JSONValue
    }

    /// One difference.
    public struct Entry: Hashable, Sendable {
        public var kind: Kind
        public var node: String
        public var attempt: UInt32
        /// For `changed`: the fields that differ, in Stroma's field order.
        public var changes: [FieldChange]
    }

    /// Differences in (node, numeric attempt) order; empty when the runs are equal.
    public var entries: [Entry]

    /// Whether the runs are equal.
    public var isEmpty: Bool { entries.isEmpty }

    /// Compares run `a` with run `b`.
    public init(_ a: RunProjection, _ b: RunProjection, ignoreRunID: Bool = false) {
        struct Key: Hashable, Comparable {
            var node: String
            var attempt: UInt32
            static func < (lhs: Key, rhs: Key) -> Bool { (lhs.node, lhs.attempt) < (rhs.node, rhs.attempt) }
        }
        func keyed(_ run: RunProjection) -> [Key: RunAttempt] {
            // If an attempt was recorded twice (status updates), the last record is the attempt's final state.
            Dictionary(
                run.attempts.map { (Key(node: $0.node, attempt: $0.attempt), $0) },
                uniquingKeysWith: { _, last in last })
        }
        let left = keyed(a)
        let right = keyed(b)
        entries = Set(left.keys).union(right.keys).sorted().compactMap { key in
            switch (left[key], right[key]) {
            case (let x?, let y?):
                let changes = Self.changes(x, y, ignoreRunID: ignoreRunID)
                return changes.isEmpty
                    ? nil : Entry(kind: .changed, node: key.node, attempt: key.attempt, changes: changes)
            case (_?, nil): return Entry(kind: .missing, node: key.node, attempt: key.attempt, changes: [])
            case (nil, _?): return Entry(kind: .extra, node: key.node, attempt: key.attempt, changes: [])
            case (nil, nil): return nil
            }
        }
    }

    private static func changes(_ x: RunAttempt, _ y: RunAttempt, ignoreRunID: Bool) -> [FieldChange] {
        var changes: [FieldChange] = []
        if !ignoreRunID, x.runID != y.runID {
            changes.append(FieldChange(field: "run_id", a: .string(x.runID), b: .string(y.runID)))
        }
        if !JSONEquality.equal(x.input, y.input) {
            changes.append(FieldChange(field: "input_state", a: json(x.input), b: json(y.input)))
        }
        if !JSONEquality.equal(x.output, y.output) {
            changes.append(FieldChange(field: "output_state", a: json(x.output), b: json(y.output)))
        }
        if x.failure != y.failure {
            changes.append(FieldChange(field: "failure", a: .string(x.failure?.name), b: .string(y.failure?.name)))
        }
        if x.failureMessage != y.failureMessage {
            changes.append(
                FieldChange(field: "failure_message", a: .string(x.failureMessage), b: .string(y.failureMessage)))
        }
        return changes
    }

    private static func json(_ value: RawJSON?) -> JSONValue { value.map { .raw($0.text) } ?? .null }

    /// `[{"kind","node_id","attempt","changes":[{"field","a","b"}]}]`.
    public var json: JSONValue {
        .array(
            entries.map { entry in
                .object([
                    ("kind", .string(entry.kind.rawValue)), ("node_id", .string(entry.node)),
                    ("attempt", .int(Int64(entry.attempt))),
                    (
                        "changes",
                        .array(entry.changes.map { .object([("field", .string($0.field)), ("a", $0.a), ("b", $0.b)]) })
                    ),
                ])
            })
    }
}

/// Semantic equality of stored JSON values: `{"a": 1}` equals `{"a":1}` and `{"a":1.0}`; key order is ignored.
enum JSONEquality {
    static func equal(_ x: RawJSON?, _ y: RawJSON?) -> Bool {
        switch (x, y) {
        case (nil, nil): return true
        case (let x?, let y?):
            if x.text == y.text { return true }
            guard let left = parse(x.text), let right = parse(y.text) else { return false }
            return left.isEqual(right)
        default:
            // An absent value and an explicit null are the same (Stroma's output_state is None on failure).
            return (x?.text ?? "null") == "null" && (y?.text ?? "null") == "null"
        }
    }

    private static func parse(_ text: String) -> NSObject? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) as? NSObject
    }
}
