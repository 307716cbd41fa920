import Foundation
import Testing
import TraceLogStorage

@testable import TraceLog

/// Paged and summarized traces (`trace get --limit/--offset/--summary`): the same components as the full
/// projection and its selections, in the same order, whatever the page; counts that agree with it.
@Suite struct TracePagesTests {
    /// A log of 40 generated traces written straight to the log: components of every type, executions with
    /// several attempts, statuses and failures, parents (implied causes), causation links before and after the
    /// entity they name, rules firing several times, flow events. Returns the directory and the trace ids.
    private static func generatedLog() throws -> (String, [TraceID]) {
        let directory = NSTemporaryDirectory() + "tracelog-pages-\(UUID())"
        let writer = try LogWriter.open(
            directory: directory, options: LogOptions(durability: .none, segmentMaxBytes: 64 << 10))
        var state: UInt64 = 0x1234_5678
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var time: Int64 = 1_795_000_000_000_000
        var ids: [TraceID] = []
        var records: [Record] = []
        for trace in 0..<40 {
            let id = TraceID(high: 7, low: UInt64(trace + 1))
            ids.append(id)
            func add(_ body: RecordBody) {
                time += Int64(random(3) == 0 ? 0 : random(5000))  // equal times happen
                records.append(Record(time: Timestamp(microseconds: time), traceID: id, body: body))
            }
            add(.traceStart(TraceStart(tag: "tag-\(trace % 7)")))
            var triggers: [String] = []
            var rules: [String] = []
            var executions: [String] = []
            let statuses = [nil, "succeeded", "failed", "running", "timeout", "scheduled"]
            for step in 0..<(trace == 0 ? 0 : 3 + random(30)) {
                switch random(6) {
                case 0:
                    let tid = "ti-\(trace)-\(step)"
                    add(
                        .triggerInstance(
                            TriggerInstance(
                                id: tid, trigger: "t.\(random(3))", source: .sensor,
                                causedBy: executions.isEmpty || random(2) == 0
                                    ? nil : EntityRef(type: .execution, id: executions[random(executions.count)]))))
                    triggers.append(tid)
                case 1 where !triggers.isEmpty:
                    let rid = "re-\(trace)-\(step)"
                    let on = triggers[random(triggers.count)]
                    add(
                        .ruleEnforcement(
                            RuleEnforcement(
                                id: rid, ruleID: "rule-\(random(3))", ruleRef: "pack.r\(random(3))",
                                triggerInstanceID: on,
                                causedBy: random(3) == 0 ? nil : EntityRef(type: .triggerInstance, id: on))))
                    rules.append(rid)
                case 2, 3:
                    let reuse = !executions.isEmpty && random(3) == 0
                    let eid = reuse ? executions[random(executions.count)] : "ex-\(trace)-\(step)"
                    let cause: EntityRef? =
                        rules.isEmpty || random(2) == 0 ? nil : EntityRef(type: .rule, id: rules[random(rules.count)])
                    add(
                        .executionAttempt(
                            ExecutionAttempt(
                                id: eid, action: "act.\(random(4))", attempt: UInt32(1 + random(3)),
                                status: statuses[random(statuses.count)],
                                parent: executions.isEmpty || random(3) != 0
                                    ? nil : executions[random(executions.count)],
                                failure: FailureClass(rawValue: UInt8(random(5))), causedBy: cause)))
                    if !reuse { executions.append(eid) }
                case 4:
                    // A link, sometimes about an entity that does not exist yet.
                    let target =
                        random(2) == 0 && !executions.isEmpty
                        ? executions[random(executions.count)] : "ex-\(trace)-\(step + 1)"
                    add(
                        .causationLink(
                            CausationLink(
                                entity: EntityRef(type: .execution, id: target),
                                causedBy: EntityRef(type: .triggerInstance, id: triggers.first ?? "nowhere"))))
                default:
                    add(
                        .flowEvent(
                            FlowEvent(
                                event: "TASK_START", entityID: executions.first, node: "n",
                                details: RawJSON("{}"))))
                }
            }
        }
        // Traces interleave in the log, as they do in real traffic.
        var interleaved: [Record] = []
        var queues = Dictionary(grouping: records, by: \.traceID)
        while !queues.isEmpty {
            let key = queues.keys.sorted()[random(queues.count)]
            interleaved.append(queues[key]!.removeFirst())
            if queues[key]!.isEmpty { queues[key] = nil }
        }
        for chunk in stride(from: 0, to: interleaved.count, by: 50) {
            try writer.appendWritten(Array(interleaved[chunk..<min(chunk + 50, interleaved.count)]))
        }
        try writer.close()
        return (directory, ids)
    }

    /// Every selection the CLI can ask for on `trace`.
    private static func selections(_ trace: TraceProjection) -> [ComponentSelection] {
        var result = [ComponentSelection(), ComponentSelection(hideNoopTriggers: true)]
        for types in [[EntityType.execution], [.rule, .triggerInstance]] {
            result.append(ComponentSelection(types: Set(types)))
        }
        var selectors = trace.components.map(\.entity)
        selectors += trace.components.filter { $0.type == .rule }.flatMap {
            [EntityRef(type: .rule, id: $0.ruleID ?? ""), EntityRef(type: .rule, id: $0.ref)]
        }
        selectors.append(EntityRef(type: .execution, id: "absent"))
        for selector in selectors {
            for effects in [false, true] {
                result.append(ComponentSelection(selector: selector, effects: effects))
                result.append(ComponentSelection(selector: selector, effects: effects, hideNoopTriggers: true))
            }
        }
        return result
    }

    @Test func pagesHoldWhatTheProjectionSelects() throws {
        let (directory, ids) = try Self.generatedLog()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TraceStore.openReadOnly(directory: directory)
        var compared = 0
        for id in ids {
            let trace = try #require(try store.trace(id))
            for selection in Self.selections(trace) {
                let expected = trace.select(selection)
                let all = try #require(try store.traceComponents(id, selection: selection, damage: .fail).value)
                #expect(all.components == expected, "\(id) \(selection)")
                #expect(all.total == expected.count && all.tag == trace.tag && all.startTime == trace.startTime)
                compared += 1
            }
            let selection = ComponentSelection()
            for (offset, limit) in [(0, 1), (1, 3), (5, 5), (0, 0), (trace.components.count, 2), (1000, 10)] {
                let page = try #require(
                    try store.traceComponents(id, selection: selection, offset: offset, limit: limit, damage: .fail)
                        .value)
                let start = min(offset, trace.components.count)
                #expect(page.components == Array(trace.components[start..<min(start + limit, trace.components.count)]))
                #expect(page.total == trace.components.count && page.offset == start)
            }
        }
        #expect(compared > 1000)
        #expect(try store.traceComponents(TraceID(high: 9, low: 9), damage: .fail).value == nil)
    }

    /// The second pass reads the records the first noted, or (a trace of more records than it notes) looks the
    /// trace up again: both give the same pages.
    @Test func pagesAreTheSameWhetherOrNotTheFirstPassNotedTheRecords() throws {
        let (directory, ids) = try Self.generatedLog()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TraceStore.openReadOnly(directory: directory)
        for id in ids {
            let trace = try #require(try store.trace(id))
            var selections = Array(Self.selections(trace).prefix(12))
            selections.append(ComponentSelection())
            for selection in selections {
                for (offset, limit) in [(0, nil), (1, 3), (2, 1)] as [(Int, Int?)] {
                    let pages = try [0, 2, TraceStore.notedRecordLimit].map { noting in
                        try #require(
                            try store.traceComponents(
                                id, selection: selection, offset: offset, limit: limit, damage: .fail, noting: noting
                            ).value)
                    }
                    #expect(pages[0] == pages[1] && pages[1] == pages[2], "\(id) \(selection) \(offset)")
                    let expected = trace.select(selection)
                    let start = min(offset, expected.count)
                    let end = limit.map { min(start + $0, expected.count) } ?? expected.count
                    #expect(pages[2].components == Array(expected[start..<end]))
                }
            }
        }
    }

    @Test func aSummaryCountsWhatTheProjectionHolds() throws {
        let (directory, ids) = try Self.generatedLog()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TraceStore.openReadOnly(directory: directory)
        for id in ids {
            let trace = try #require(try store.trace(id))
            let summary = try #require(try store.traceSummary(id, damage: .fail).value)
            #expect(summary.tag == trace.tag && summary.startTime == trace.startTime)
            #expect(summary.records == trace.records.count)
            #expect(summary.endTime == trace.records.map(\.record.time).max())
            #expect(summary.components == trace.components.count)
            for type in [EntityType.triggerInstance, .rule, .execution] {
                #expect(summary.byType[type] == trace.components.filter { $0.type == type }.count)
            }
            for outcome in ExecutionOutcome.allCases {
                let count = trace.components.filter {
                    $0.type == .execution && ExecutionOutcome(failure: $0.failure, status: $0.status) == outcome
                }.count
                #expect(summary.executionsByOutcome[outcome] == count, "\(outcome)")
            }
        }
        #expect(try store.traceSummary(TraceID(high: 9, low: 9), damage: .fail).value == nil)
    }

    @Test func theJSONShapesAreStable() throws {
        let (directory, ids) = try Self.generatedLog()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TraceStore.openReadOnly(directory: directory)
        let summary = try #require(try store.traceSummary(ids[1], damage: .fail).value)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(summary.json.serialized().utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "id", "tag", "start_time", "end_time", "engine", "outcome", "records", "total", "by_type",
                "executions_by_outcome",
            ])
        #expect(Set((object["by_type"] as? [String: Int] ?? [:]).keys) == ["trigger_instance", "rule", "execution"])
        #expect(
            Set((object["executions_by_outcome"] as? [String: Int] ?? [:]).keys) == [
                "success", "pending", "recoverable", "terminal", "ambiguous",
            ])
        let page = try #require(try store.traceComponents(ids[1], limit: 2, damage: .fail).value)
        let pageObject = try #require(
            try JSONSerialization.jsonObject(with: Data(page.json.serialized().utf8)) as? [String: Any])
        #expect(
            Set(pageObject.keys) == [
                "id", "tag", "start_time", "engine", "outcome", "failed_executions", "total", "offset", "components",
            ])
    }

    /// A page and a summary tell the whole trace's engine and outcome from views alone: the same as the projection
    /// built from decoded records, for every generated trace.
    @Test func pagesAndSummariesAgreeWithTheProjectionOnEngineAndOutcome() throws {
        let (directory, ids) = try Self.generatedLog()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TraceStore.openReadOnly(directory: directory)
        var outcomes: Set<TraceOutcome> = []
        for id in ids {
            let projection = try #require(try store.trace(id, damage: .fail).value)
            let page = try #require(try store.traceComponents(id, limit: 1, damage: .fail).value)
            let summary = try #require(try store.traceSummary(id, damage: .fail).value)
            #expect(page.engine == projection.engine && summary.engine == projection.engine, "\(id)")
            #expect(page.outcome == projection.outcome && summary.outcome == projection.outcome, "\(id)")
            #expect(page.failedExecutions == projection.failedExecutions, "\(id)")
            outcomes.insert(projection.outcome)
        }
        #expect(outcomes.count > 1, "the generated traces cover more than one outcome: \(outcomes)")
    }
}
