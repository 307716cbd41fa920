/// Which index keys one record contributes, read from its zero-copy view (no JSON, no string allocation).
enum IndexEntries {
    /// Calls `body` with each (kind, key hash) of the record; the same key is never reported twice.
    static func forEach(_ view: RecordView, _ body: (IndexKind, UInt64) -> Void) {
        body(.traceID, KeyHash.hash(view.traceID))
        switch view.kind {
        case .traceStart:
            if let tag = view.field(.tag) { body(.tag, KeyHash.hash(.tag, tag)) }
        case .triggerInstance:
            if let id = view.field(.entityID) { body(.triggerInstance, KeyHash.hash(.triggerInstance, id)) }
        case .ruleEnforcement:
            // Up to three keys; two locals instead of an array (two allocations per record).
            var first: UInt64?
            var second: UInt64?
            func report(_ tag: FieldTag) {
                guard let value = view.field(tag) else { return }
                let hash = KeyHash.hash(.rule, value)
                guard hash != first, hash != second else { return }
                if first == nil { first = hash } else { second = hash }
                body(.rule, hash)
            }
            report(.entityID)
            report(.ruleID)
            report(.ref)
        case .executionAttempt, .flowEvent:
            if let id = view.field(.entityID) { body(.execution, KeyHash.hash(.execution, id)) }
        case .causationLink:
            if let id = view.field(.entityID), let kind = entityIndex(EntityType(rawValue: view.auxByte)) {
                body(kind, KeyHash.hash(kind, id))
            }
        }
    }

    /// Whether the record really has `key` under `kind` (to weed out hash collisions).
    static func matches(_ view: RecordView, kind: IndexKind, key: String) -> Bool {
        var key = key
        return key.withUTF8 { utf8 in
            let wanted = UnsafeRawBufferPointer(utf8)
            func equal(_ tag: FieldTag) -> Bool {
                guard let value = view.field(tag) else { return false }
                return value.elementsEqual(wanted)
            }
            switch kind {
            case .traceID: return TraceID(hex: String(decoding: wanted, as: UTF8.self)) == view.traceID
            case .tag: return view.kind == .traceStart && equal(.tag)
            case .triggerInstance:
                return (view.kind == .triggerInstance || isLink(view, .triggerInstance)) && equal(.entityID)
            case .rule:
                return (view.kind == .ruleEnforcement && (equal(.entityID) || equal(.ruleID) || equal(.ref)))
                    || (isLink(view, .rule) && equal(.entityID))
            case .execution:
                return (view.kind == .executionAttempt || view.kind == .flowEvent || isLink(view, .execution))
                    && equal(.entityID)
            }
        }
    }

    /// Whether the record is about exactly this entity (its own record, or a causation link about it).
    static func isEntity(_ view: RecordView, _ entity: EntityRef) -> Bool {
        let type: EntityType?
        switch view.kind {
        case .triggerInstance: type = .triggerInstance
        case .ruleEnforcement: type = .rule
        case .executionAttempt, .flowEvent: type = .execution
        case .causationLink: type = EntityType(rawValue: view.auxByte)
        case .traceStart: type = nil
        }
        guard type == entity.type, let id = view.field(.entityID) else { return false }
        var wanted = entity.id
        return wanted.withUTF8 { id.elementsEqual(UnsafeRawBufferPointer($0)) }
    }

    private static func isLink(_ view: RecordView, _ type: EntityType) -> Bool {
        view.kind == .causationLink && view.auxByte == type.rawValue
    }

    static func entityIndex(_ type: EntityType?) -> IndexKind? {
        switch type {
        case .execution: .execution
        case .rule: .rule
        case .triggerInstance: .triggerInstance
        case .trace, nil: nil
        }
    }
}

/// One trace that starts in a segment: what `trace list` sorts, filters and pages through.
public struct TraceStartEntry: Hashable, Sendable {
    /// The trace's start time (its trace-start record's time), µs.
    public var time: Int64
    /// Sequence number of the trace-start record.
    public var seq: UInt64
    /// The trace.
    public var traceID: TraceID
    /// Hash of the tag (for cheap tag filtering before verification).
    var tagHash: UInt64

    init(time: Int64, seq: UInt64, traceID: TraceID, tagHash: UInt64) {
        self.time = time
        self.seq = seq
        self.traceID = traceID
        self.tagHash = tagHash
    }

    /// The entry of a trace-start record.
    public init(_ stored: StoredRecord) {
        var tagHash: UInt64 = 0
        if case .traceStart(let start) = stored.record.body { tagHash = KeyHash.hash(.tag, start.tag) }
        self.init(
            time: stored.record.time.microseconds, seq: stored.seq, traceID: stored.record.traceID, tagHash: tagHash)
    }
}
