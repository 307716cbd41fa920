import TraceLogStorage

extension LogReader {
    /// The first record of an entity that is the entity's own record (a trigger instance, rule enforcement or
    /// execution attempt; never a causation link about it), or nil.
    ///
    /// Cost: one index lookup and a read of the batches holding the entity's records.
    func firstOwnRecord(of entity: EntityRef) throws(LogError) -> StoredRecord? {
        let kind: IndexKind
        switch entity.type {
        case .triggerInstance: kind = .triggerInstance
        case .rule: kind = .rule
        case .execution: kind = .execution
        case .trace: return nil
        }
        return try records(kind, key: entity.id).first { stored in
            switch stored.record.body {
            case .causationLink, .traceStart, .flowEvent: false
            case .triggerInstance, .ruleEnforcement, .executionAttempt: stored.record.body.entity == entity
            }
        }
    }
}
