import TraceLogStorage

/// Readers for the small fixed-shape objects: `trace`, `caused_by` / `origin` / `entity`, and `rule`.
/// Their keys are checked like top-level keys: unknown or duplicate keys are rejected, null is absent.
extension NativeLineParser {
    /// `trace`: `{"id": "<32 hex>"}`, `{"tag": "…"}` or both; at least one must be set (an empty tag is unset).
    mutating func readTraceContext() throws(NativeEventError) -> TraceSlot {
        var context = TraceSlot()
        var members = try beginMembers(of: "trace", allowed: .traceContext)
        while let member = try nextMember(&members) {
            if member == .id {
                guard scanner.current == UInt8(ascii: "\"") else {
                    throw try mismatch("trace.id", TraceIDHex.expectation)
                }
                let token = try scanString()
                guard let id = matchKey(token, TraceIDHex.parse) else {
                    throw fieldError("trace.id", "\(TraceIDHex.expectation), got \(excerpt(token.token))")
                }
                context.id = id
            } else {
                let tag = try readString("trace.tag")
                context.tag = tag.content.isEmpty ? nil : tag
            }
        }
        guard context.id != nil || context.tag != nil else {
            throw fieldError("trace", "trace context needs an id or a tag")
        }
        return context
    }

    /// `caused_by`, `origin` or `entity` (named by `key`): `{"type": "trigger_instance" | "rule" | "execution",
    /// "id": "…"}`, both required.
    mutating func readEntityRef(_ key: NativeKey) throws(NativeEventError) -> EntityRefSlot {
        let (parent, typeField, idField): (String, String, String) =
            switch key {
            case .causedBy: ("caused_by", "caused_by.type", "caused_by.id")
            case .origin: ("origin", "origin.type", "origin.id")
            default: ("entity", "entity.type", "entity.id")
            }
        var type: EntityType?
        var id: JSONStringToken?
        var members = try beginMembers(of: parent, allowed: .entityRef)
        while let member = try nextMember(&members) {
            if member == .type {
                let expectation = "expected trigger_instance, rule or execution"
                type = try readEnumeration(typeField, expectation, EntityType.init(referenceBytes:))
            } else {
                id = try readIdentifier(idField)
            }
        }
        guard let type else { throw fieldError(typeField, "missing (required)") }
        guard let id else { throw fieldError(idField, "missing (required)") }
        return EntityRefSlot(type: type, id: id)
    }

    /// `rule`: `{"id": "…", "ref": "pack.name"}`, both required.
    mutating func readRule() throws(NativeEventError) -> (id: JSONStringToken, ref: JSONStringToken) {
        var id: JSONStringToken?
        var ref: JSONStringToken?
        var members = try beginMembers(of: "rule", allowed: .rule)
        while let member = try nextMember(&members) {
            if member == .id {
                id = try readIdentifier("rule.id")
            } else {
                ref = try readIdentifier("rule.ref")
            }
        }
        guard let id else { throw fieldError("rule.id", "missing (required)") }
        guard let ref else { throw fieldError("rule.ref", "missing (required)") }
        return (id, ref)
    }

    /// Enters the object at the cursor, the value of `parent`, whose keys must be among `allowed`.
    private mutating func beginMembers(of parent: String, allowed: NestedKeys) throws(NativeEventError)
        -> NestedMembers
    {
        guard scanner.current == UInt8(ascii: "{") else { throw try mismatch(parent, "expected an object") }
        try enterObject()
        return NestedMembers(parent: parent, allowed: allowed)
    }

    /// Moves to the next member with a non-null value, leaving the cursor on the value, or returns nil after
    /// the closing `}`. Rejects keys outside `members.allowed` and repeated keys.
    private mutating func nextMember(_ members: inout NestedMembers) throws(NativeEventError) -> NestedKey? {
        while let token = try nextKey(isFirst: &members.isFirst) {
            guard let key = matchKey(token, NestedKey.match), members.allowed.contains(NestedKeys(key)) else {
                throw fieldError("\(members.parent).\(keyName(token))", "unknown key")
            }
            guard !members.seen.contains(NestedKeys(key)) else {
                throw fieldError("\(members.parent).\(keyName(token))", "duplicate key")
            }
            members.seen.insert(NestedKeys(key))
            if try !consumeNull() { return key }
        }
        return nil
    }
}

/// The progress of reading one nested object.
struct NestedMembers {
    /// The key whose value the object is, for errors.
    let parent: String
    /// The keys the object may have.
    let allowed: NestedKeys
    /// The keys seen so far.
    var seen = NestedKeys()
    /// Whether no member has been read yet.
    var isFirst = true
}

/// The keys of the nested objects.
enum NestedKey: UInt8 {
    case id, tag, type, ref

    /// The key spelled by `bytes`, or nil.
    static func match(_ bytes: UnsafeRawBufferPointer) -> NestedKey? {
        let candidate: (NestedKey, StaticString)? =
            switch (bytes.count, bytes.first) {
            case (2, _): (.id, "id")
            case (3, UInt8(ascii: "t")): (.tag, "tag")
            case (3, _): (.ref, "ref")
            case (4, _): (.type, "type")
            default: nil
            }
        guard let candidate, bytes.spells(candidate.1) else { return nil }
        return candidate.0
    }
}

/// A set of ``NestedKey``s, one bit each.
struct NestedKeys: OptionSet {
    var rawValue: UInt8

    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The set holding only `key`.
    init(_ key: NestedKey) {
        rawValue = 1 << key.rawValue
    }

    /// The keys of `trace`.
    static let traceContext = NestedKeys(rawValue: 1 << NestedKey.id.rawValue | 1 << NestedKey.tag.rawValue)
    /// The keys of `caused_by`, `origin` and `entity`.
    static let entityRef = NestedKeys(rawValue: 1 << NestedKey.type.rawValue | 1 << NestedKey.id.rawValue)
    /// The keys of `rule`.
    static let rule = NestedKeys(rawValue: 1 << NestedKey.id.rawValue | 1 << NestedKey.ref.rawValue)
}

extension EntityType {
    /// A type a reference may point at (`trigger_instance`, `rule`, `execution`; not `trace`) spelled by
    /// `bytes`, or nil.
    init?(referenceBytes bytes: UnsafeRawBufferPointer) {
        let candidate: EntityType? =
            switch bytes.count {
            case 16: .triggerInstance
            case 4: .rule
            case 9: .execution
            default: nil
            }
        guard let candidate, bytes.spells(candidate.wireName) else { return nil }
        self = candidate
    }

    /// ``name`` as a static string, for comparisons and writing without building a `String` (`name` builds one
    /// each time, a tenth of a replayed line's cost).
    var wireName: StaticString {
        switch self {
        case .triggerInstance: "trigger_instance"
        case .rule: "rule"
        case .execution: "execution"
        case .trace: "trace"
        }
    }
}
