import TraceLogStorage

/// A trace's components in compact form, built in one pass over its records' views: what paging and summaries
/// of very large traces work on, since nothing of a record is kept but a few numbers per component.
///
/// Follows the rules of ``ComponentBuilder`` on 64-bit hashes of (entity type, id) instead of the ids: about
/// 48 bytes per component plus a hash-table entry, so a trace of a million components takes well under 100 MB
/// however large its payloads. Two entities of one trace whose hashes collide (odds about n²/2⁶⁵ for n
/// components, 3 × 10⁻⁸ for a million) would count as one.
struct TraceOutline {
    struct Component {
        var time: Int64
        var seq: UInt64
        /// Hash of (type, id); never 0.
        var entity: UInt64
        /// Hash of (type, id) of its cause; 0 when it has none.
        var cause: UInt64
        var type: EntityType
        var causeType: EntityType?
        /// The highest attempt number of an execution's records; its status and failure are that attempt's (the
        /// last status given for it, the failure class of its latest record), as ``AttemptSummary`` keeps them.
        var attempt: UInt32
        var failure: FailureClass?
        /// Index into ``TraceOutline/statuses``; 0 when no status was given.
        var status: UInt16
        /// Whether the component matches the selection's selector (see ``ComponentSelection/selector``).
        var selected: Bool
    }

    private(set) var tag = ""
    private(set) var startTime: Timestamp?
    private(set) var endTime: Timestamp?
    /// Sequence number and kind of the first record.
    private(set) var first: (seq: UInt64, kind: RecordKind)?
    private(set) var records = 0
    /// Sequence number of the last record taken in.
    private(set) var lastSeq: UInt64 = 0
    private(set) var components: [Component] = []
    /// What ``engine`` is decided on: flow events, StackStorm records, attempt records and those with a run id.
    private var flowEvents = 0
    private var stackstormRecords = 0
    private var attemptRecords = 0
    private var attemptsWithRunID = 0
    /// Entity hash → index into ``components`` (an open-addressing table: a `Dictionary` was a third of the
    /// time of a summary of a million components). It starts small and grows: a table for 1,024 keys, zeroed for
    /// every query, was 5% of a warm `trace get` of a few components.
    private var byEntity = HashHeads(capacity: 16)
    /// Distinct statuses (index 0 stands for none), as bytes and as text.
    private var statusBytes: [[UInt8]] = [[]]
    private(set) var statuses: [String] = [""]
    private var statusIndex: [String: UInt16] = [:]
    private let selector: EntityRef?

    init(selector: EntityRef?) {
        self.selector = selector
    }

    /// The hash an entity is known by: never 0.
    static func hash(_ type: EntityType, _ id: UnsafeRawBufferPointer) -> UInt64 {
        let kind: IndexKind =
            switch type {
            case .triggerInstance: .triggerInstance
            case .rule: .rule
            case .execution: .execution
            case .trace: .tag
            }
        return max(KeyHash.hash(kind, id), 1)
    }

    static func hash(_ entity: EntityRef) -> UInt64 {
        var id = entity.id
        return id.withUTF8 { hash(entity.type, UnsafeRawBufferPointer($0)) }
    }

    /// The entity a record is about (see `RecordBody.entity`), or nil.
    static func entity(_ view: RecordView) -> (EntityType, UnsafeRawBufferPointer)? {
        guard let type = view.entityType, let id = view.field(.entityID) else { return nil }
        return (type, id)
    }

    /// The cause a record names, explicit or implied (see `RecordBody.cause`).
    private static func cause(_ view: RecordView, _ fields: RecordFields) -> (EntityType, UnsafeRawBufferPointer)? {
        if let type = view.causeType, let id = fields[.causeID] { return (type, id) }
        switch view.kind {
        case .ruleEnforcement: return fields[.triggerInstanceID].map { (.triggerInstance, $0) }
        case .executionAttempt: return fields[.parent].map { (.execution, $0) }
        default: return nil
        }
    }

    /// Takes in the next record of the trace (sequence order); the view must pass `RecordView.validate()`, and
    /// `fields` be its fields. Returns the hash of the entity the record is about (see ``entity(_:)``) when it is
    /// one a component is built from (a trigger instance, rule enforcement, execution attempt or causation
    /// link), else 0.
    @discardableResult
    mutating func add(seq: UInt64, _ view: RecordView, _ fields: RecordFields) -> UInt64 {
        records += 1
        lastSeq = seq
        let time = view.time
        if first == nil {
            first = (seq, view.kind)
            startTime = time
        }
        endTime = max(endTime ?? time, time)
        switch view.kind {
        case .traceStart:
            tag = fields[.tag].map { String(decoding: $0, as: UTF8.self) } ?? ""
            startTime = time
            return 0
        case .flowEvent:
            flowEvents += 1
            return 0
        case .causationLink:
            guard let type = view.entityType, let id = fields[.entityID] else { return 0 }
            let entity = Self.hash(type, id)
            guard case let index = byEntity.value(for: entity), index >= 0,
                components[Int(index)].cause == 0, let (causeType, causeID) = Self.cause(view, fields)
            else { return entity }
            components[Int(index)].cause = Self.hash(causeType, causeID)
            components[Int(index)].causeType = causeType
            return entity
        case .triggerInstance, .ruleEnforcement, .executionAttempt:
            if view.kind == .executionAttempt {
                attemptRecords += 1
                if fields[.runID] != nil { attemptsWithRunID += 1 }
            } else {
                stackstormRecords += 1
            }
            guard let type = view.entityType, let id = fields[.entityID] else { return 0 }
            let entity = Self.hash(type, id)
            let index: Int
            let existing = byEntity.value(for: entity)
            if existing >= 0 {
                index = Int(existing)
            } else {
                index = components.count
                byEntity.set(Int32(index), for: entity)
                components.append(
                    Component(
                        time: time.microseconds, seq: seq, entity: entity, cause: 0, type: type, causeType: nil,
                        attempt: 0, failure: nil, status: 0, selected: matchesSelector(fields, type: type, id: id)))
            }
            if components[index].cause == 0, let (causeType, causeID) = Self.cause(view, fields) {
                components[index].cause = Self.hash(causeType, causeID)
                components[index].causeType = causeType
            }
            if view.kind == .executionAttempt, view.attempt >= components[index].attempt {
                if view.attempt > components[index].attempt {
                    components[index].attempt = view.attempt
                    components[index].status = 0
                }
                if let status = fields[.status] { components[index].status = statusNumber(status) }
                components[index].failure = view.failure
            }
            return entity
        }
    }

    /// Whether the component that `view` creates matches the selector: its id, or for rules its rule id or ref
    /// (taken from its first record, as the component's are).
    private func matchesSelector(_ fields: RecordFields, type: EntityType, id: UnsafeRawBufferPointer) -> Bool {
        guard var selector, selector.type == type else { return false }
        return selector.id.withUTF8 { wanted in
            let wanted = UnsafeRawBufferPointer(wanted)
            if id.elementsEqual(wanted) { return true }
            guard type == .rule else { return false }
            return fields[.ruleID]?.elementsEqual(wanted) == true || fields[.ref]?.elementsEqual(wanted) == true
        }
    }

    /// The number of a status: a linear search over the first 32 distinct ones (a trace has a handful), a
    /// dictionary beyond.
    private mutating func statusNumber(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        for number in 1..<min(statusBytes.count, 33) where statusBytes[number].elementsEqual(bytes) {
            return UInt16(number)
        }
        let status = String(decoding: bytes, as: UTF8.self)
        if statusBytes.count > 33, let known = statusIndex[status] { return known }
        // More distinct statuses than fit are counted under the last one.
        guard statusBytes.count < Int(UInt16.max) else { return UInt16(statusBytes.count - 1) }
        let number = UInt16(statusBytes.count)
        statusBytes.append(Array(bytes))
        statuses.append(status)
        statusIndex[status] = number
        return number
    }

    /// The outcome of an execution component.
    func outcome(_ component: Component) -> ExecutionOutcome {
        ExecutionOutcome(
            failure: component.failure, status: component.status == 0 ? nil : statuses[Int(component.status)])
    }

    /// The engine the trace follows, by the rules of ``TraceProjection/engine``.
    var engine: TraceEngine {
        if flowEvents > 0 { return .selinon }
        if stackstormRecords > 0 { return .stackstorm }
        return attemptRecords > 0 && attemptsWithRunID == attemptRecords ? .stroma : .generic
    }

    /// The trace's outcome and how many executions failed, by the rules of ``TraceProjection/outcome``.
    var outcome: (outcome: TraceOutcome, failedExecutions: Int) {
        var failed = 0
        var pending = false
        var executions = 0
        for component in components where component.type == .execution {
            executions += 1
            switch outcome(component) {
            case .recoverable, .terminal, .ambiguous: failed += 1
            case .pending: pending = true
            case .success: break
            }
        }
        let outcome: TraceOutcome =
            executions == 0 ? .none : failed > 0 ? .failed : pending ? .running : .succeeded
        return (outcome, failed)
    }

    /// The indices of the components a selection shows, sorted by time then sequence number: the rules of
    /// ``TraceProjection/select(_:)`` on hashes.
    func select(_ selection: ComponentSelection) -> [Int] {
        var shown = Array(components.indices)
        if selection.selector != nil {
            let matching = shown.filter { components[$0].selected }
            shown = selection.effects ? effects(of: matching) : causationChain(of: matching)
        }
        if !selection.types.isEmpty { shown = shown.filter { selection.types.contains(components[$0].type) } }
        if selection.hideNoopTriggers {
            var fired: Set<UInt64> = []
            for component in components where component.type == .rule && component.causeType == .triggerInstance {
                fired.insert(component.cause)
            }
            shown = shown.filter { components[$0].type != .triggerInstance || fired.contains(components[$0].entity) }
        }
        shown.sort { (components[$0].time, components[$0].seq) < (components[$1].time, components[$1].seq) }
        return shown
    }

    private func causationChain(of selected: [Int]) -> [Int] {
        var chain: Set<Int> = []
        for start in selected {
            var current: Int? = start
            while let index = current, chain.insert(index).inserted {
                let cause = components[index].cause
                let found = cause == 0 ? -1 : byEntity.value(for: cause)
                current = found < 0 ? nil : Int(found)
            }
        }
        return Array(chain)
    }

    private func effects(of selected: [Int]) -> [Int] {
        var children: [UInt64: [Int]] = [:]
        for index in components.indices where components[index].cause != 0 {
            children[components[index].cause, default: []].append(index)
        }
        var reached: Set<Int> = []
        var queue = selected
        while let next = queue.popLast() {
            guard reached.insert(next).inserted else { continue }
            queue += children[components[next].entity] ?? []
        }
        return Array(reached)
    }
}
