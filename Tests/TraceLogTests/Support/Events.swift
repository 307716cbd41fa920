import Foundation
import TraceLog
import TraceLogStorage

/// Short constructors for incoming events in tests (times advance by 1 ms per event built).
struct Events {
    private var clock: Int64 = 1_795_000_000_000_000

    mutating func nextTime() -> Timestamp {
        clock += 1000
        return Timestamp(microseconds: clock)
    }

    mutating func trigger(
        _ id: String, trigger: String = "core.st2.sensor", source: TriggerSource = .sensor, tag: String? = nil,
        traceID: TraceID? = nil, causedBy: EntityRef? = nil, hook: String? = nil, timer: String? = nil,
        payload: RawJSON = .emptyObject
    ) -> IncomingEvent {
        IncomingEvent(
            body: .triggerInstance(
                TriggerInstance(
                    id: id, trigger: trigger, source: source, payload: payload, causedBy: causedBy, hook: hook,
                    timer: timer)),
            time: nextTime(), trace: context(tag, traceID))
    }

    /// A causation link: `entity` was caused by `cause` (with `traceID`, as `tracelog replay` writes it).
    mutating func link(_ entity: EntityRef, causedBy cause: EntityRef, traceID: TraceID? = nil) -> IncomingEvent {
        IncomingEvent(
            body: .causationLink(CausationLink(entity: entity, causedBy: cause)), time: nextTime(),
            trace: context(nil, traceID))
    }

    mutating func rule(_ id: String, rule: String, ref: String, on triggerInstance: String, execution: String? = nil)
        -> IncomingEvent
    {
        IncomingEvent(
            body: .ruleEnforcement(
                RuleEnforcement(
                    id: id, ruleID: rule, ruleRef: ref, triggerInstanceID: triggerInstance, executionID: execution,
                    causedBy: EntityRef(type: .triggerInstance, id: triggerInstance))),
            time: nextTime())
    }

    mutating func execution(
        _ id: String, action: String = "core.local", attempt: UInt32 = 1, causedBy: EntityRef? = nil,
        parent: String? = nil, tag: String? = nil, traceID: TraceID? = nil, failure: FailureClass? = nil,
        runID: String? = nil
    ) -> IncomingEvent {
        IncomingEvent(
            body: .executionAttempt(
                ExecutionAttempt(
                    id: id, action: action, runID: runID, attempt: attempt,
                    status: failure == nil ? "succeeded" : "failed",
                    parent: parent, failure: failure, causedBy: causedBy)),
            time: nextTime(), trace: context(tag, traceID))
    }

    private func context(_ tag: String?, _ id: TraceID?) -> TraceContext? {
        tag == nil && id == nil ? nil : TraceContext(id: id, tag: tag)
    }
}

/// A fresh read-write store in a temporary directory.
final class StoreFixture: Sendable {
    let directory: String
    let store: WritableTraceStore

    init(options: LogOptions = LogOptions(durability: .none)) throws {
        var template = Array((NSTemporaryDirectory() + "/tracelog-store-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil)
        directory = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        store = try WritableTraceStore.open(directory: directory, options: options)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Ingests events one call each (like separate requests); returns the result of each.
    @discardableResult
    func ingest(_ events: IncomingEvent...) async throws -> [IngestResult] {
        var results: [IngestResult] = []
        for event in events { results.append(try await store.ingest([event])) }
        return results
    }

    func trace(of entity: EntityRef) throws -> TraceProjection {
        let id = try store.traceID(of: entity)
        return try store.trace(id!)!
    }
}

extension EntityRef {
    static func execution(_ id: String) -> EntityRef { EntityRef(type: .execution, id: id) }
    static func rule(_ id: String) -> EntityRef { EntityRef(type: .rule, id: id) }
    static func triggerInstance(_ id: String) -> EntityRef { EntityRef(type: .triggerInstance, id: id) }
}
