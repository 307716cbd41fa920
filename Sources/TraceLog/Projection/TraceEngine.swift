public import TraceLogStorage

/// Which engine's model a trace follows, so that a viewer shows the controls that make sense for it (the
/// noop-trigger filter is StackStorm's, the flow-event timeline Selinon's).
public enum TraceEngine: String, Hashable, Sendable, CaseIterable {
    /// It has trigger instances or rule enforcements (StackStorm's model).
    case stackstorm
    /// Selinon: it has flow events.
    case selinon
    /// A pipeline run (Stroma's model): executions only, each with a run id.
    case stroma
    /// Executions only, without run ids (spans, hand-written events), or nothing yet.
    case generic
}

extension TraceProjection {
    /// The engine whose model the trace follows: `selinon` when it has flow events, else `stackstorm` when it has
    /// a trigger instance or rule enforcement, else `stroma` when every execution attempt has a run id, else
    /// `generic`. Cost: one pass over the records.
    public var engine: TraceEngine {
        var stackstorm = false
        var executions = 0
        var withRunID = 0
        for stored in records {
            switch stored.record.body {
            case .flowEvent: return .selinon
            case .triggerInstance, .ruleEnforcement: stackstorm = true
            case .executionAttempt(let attempt):
                executions += 1
                if attempt.runID != nil { withRunID += 1 }
            case .traceStart, .causationLink: continue
            }
        }
        if stackstorm { return .stackstorm }
        return executions > 0 && withRunID == executions ? .stroma : .generic
    }

    /// The trace's Selinon flow events, in recorded order.
    public var flowEvents: [FlowEventEntry] {
        records.compactMap { stored in
            guard case .flowEvent(let event) = stored.record.body else { return nil }
            return FlowEventEntry(seq: stored.seq, time: stored.record.time, event: event)
        }
    }
}

/// One flow event of a trace (Selinon), with its sequence number and time.
public struct FlowEventEntry: Hashable, Sendable {
    /// Sequence number of the record.
    public var seq: UInt64
    /// When it happened.
    public var time: Timestamp
    /// The event: name, entity, host and details.
    public var event: FlowEvent

    /// `{"seq","time","event","entity_id","node","details"}`; `details` is the stored JSON byte for byte.
    public var json: JSONValue {
        .object([
            ("seq", .int(Int64(seq))), ("time", .string(time.description)), ("event", .string(event.event)),
            ("entity_id", .string(event.entityID)), ("node", .string(event.node)),
            ("details", .raw(event.details.text)),
        ])
    }
}
