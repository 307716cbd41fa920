import Foundation
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// Selinon trace output printed by the real Selinon 1.4.0 sinks (JSON sink and logging sink), imported.
@Suite("Selinon import against the real Selinon sinks")
struct SelinonImporterTests {
    static let variants = ["jsonl", "log"]

    /// Converts a whole fixture file, line by line.
    static func convert(_ name: String) throws -> [ImportedEvent] {
        var importer = SelinonImporter()
        return try Fixture.lines(name).flatMap { line in
            try importer.events(fromLine: Array(line.text.utf8), number: line.number)
        }
    }

    static func flowEvents(_ events: [ImportedEvent]) -> [FlowEvent] {
        events.compactMap {
            if case .flowEvent(let event) = $0.event.body { return event }
            return nil
        }
    }

    @Test("the event list is Selinon's own, all 53 names")
    func eventNames() throws {
        let expected = try Fixture.expected("selinon.expected.json")
        #expect(SelinonEventName.all == expected["event_names"] as? [String])
        #expect(SelinonEventName.all.count == 53)
        #expect(SelinonEventName.all.first == "DISPATCHER_WAKEUP" && SelinonEventName.all.last == "STORAGE_DELETED")
    }

    @Test(
        "one line of every event name is accepted, each a flow event with its details byte for byte",
        arguments: variants)
    func everyEvent(variant: String) async throws {
        let name = "selinon-all-events.\(variant)"
        let events = try Self.convert(name)
        let flowEvents = Self.flowEvents(events)
        #expect(flowEvents.map(\.event) == SelinonEventName.all)
        #expect(flowEvents.allSatisfy { $0.node == "w1" })
        for (line, event) in zip(try Fixture.lines(name), flowEvents) {
            let marker = variant == "jsonl" ? "{\"details\": " : " : {\"details\": "
            #expect(
                line.text.contains(marker + event.details.text + ", \"event\": \"\(event.event)\""),
                "line \(line.number)")
        }
        try await withTemporaryStore { store in
            try await store.ingest(events)
            // Everything lands in the one flow's trace: events without ids follow the previous line's entity.
            #expect(flowEvents.allSatisfy { $0.entityID != nil })
            let traceIDs = try Set(
                flowEvents.map { try store.store.traceID(of: EntityRef(type: .execution, id: $0.entityID ?? "")) })
            #expect(traceIDs.count == 1 && !traceIDs.contains(nil))
        }
    }

    @Test("flows map to traces, sub-flows join their parent, tasks to executions", arguments: variants)
    func flowMapping(variant: String) async throws {
        let expected = try #require(try Fixture.expected("selinon.expected.json")["flow"] as? [String: Any])
        let events = try Self.convert("selinon-flow.\(variant)")
        #expect(Self.flowEvents(events).count == expected["lines"] as? Int)
        try await withTemporaryStore { store in
            try await store.ingest(events)
            let traces = try #require(expected["traces"] as? [String: String])
            var traceOf: [String: TraceID] = [:]
            for (flowName, dispatcher) in traces {
                let id = try #require(try store.store.traceID(of: EntityRef(type: .execution, id: dispatcher)))
                traceOf[dispatcher] = id
                #expect(try store.store.trace(id)?.tag == flowName)
            }
            #expect(Set(traceOf.values).count == traces.count, "one trace per top-level dispatcher")
            for (child, parent) in try #require(expected["subflows"] as? [String: String]) {
                #expect(try store.store.traceID(of: EntityRef(type: .execution, id: child)) == traceOf[parent])
            }
            let tasks = try #require(expected["tasks"] as? [String: [String]])
            let subflows = try #require(expected["subflows"] as? [String: String])
            for (task, info) in tasks {
                let topLevel = subflows[info[1]] ?? info[1]
                #expect(
                    try store.store.traceID(of: EntityRef(type: .execution, id: task)) == traceOf[topLevel], "\(task)")
            }
            // Attempts and statuses of every task, in recorded order.
            let attempts = try #require(expected["task_attempts"] as? [String: [[Any]]])
            for (task, expectedAttempts) in attempts {
                let run = try #require(
                    try store.store.run(traceOf[subflows[tasks[task]![1]] ?? tasks[task]![1]]!.description))
                let recorded = run.attempts.filter { $0.executionID == task && $0.status != "scheduled" }
                #expect(
                    recorded.map { "\($0.attempt) \($0.status ?? "-")" }
                        == expectedAttempts.map { "\($0[0]) \($0[1])" }, "\(task)")
                #expect(recorded.allSatisfy { $0.node == tasks[task]![0] })
            }
        }
    }

    @Test("retries and failures: attempt numbers agree with Selinon's retry counts", arguments: variants)
    func retriesAndFailures(variant: String) throws {
        let expected = try #require(try Fixture.expected("selinon.expected.json")["flow"] as? [String: Any])
        let events = try Self.convert("selinon-flow.\(variant)")
        let attempts = events.compactMap { imported -> ExecutionAttempt? in
            if case .executionAttempt(let attempt) = imported.event.body { return attempt }
            return nil
        }
        for (task, counts) in try #require(expected["retried_counts"] as? [String: [Int]]) {
            let retries = attempts.filter { $0.id == task && $0.status == "retrying" }
            #expect(retries.map { Int($0.attempt) } == counts)
            #expect(
                retries.allSatisfy {
                    $0.failure == .recoverable && $0.failureMessage == "ConnectionError: upstream refused"
                })
            #expect(retries.allSatisfy { ($0.durationMs ?? -1) >= 0 })
        }
        let failed = attempts.filter { $0.status == "failed" }
        #expect(failed.map(\.action) == ["ParseTask", "subFlow"])
        #expect(failed.map(\.failure) == [.terminal, .terminal])
        #expect(failed.first?.failureMessage == "ValueError: unparsable payload: é")
        let succeeded = attempts.filter { $0.status == "succeeded" }.map(\.action)
        #expect(succeeded == ["PingTask", "FetchTask", "pingFlow", "FallbackTask", "mainFlow"])
    }

    @Test("the JSON sink and the logging sink map to the same records")
    func sinksAgree() throws {
        let fromJSON = try Self.convert("selinon-flow.jsonl").map(\.event.body)
        let fromLog = try Self.convert("selinon-flow.log").map(\.event.body)
        // Times differ (two emissions), durations with them; everything else must be equal.
        func normalized(_ body: RecordBody) -> RecordBody {
            guard case .executionAttempt(var attempt) = body else { return body }
            attempt.durationMs = nil
            return .executionAttempt(attempt)
        }
        #expect(fromJSON.map(normalized) == fromLog.map(normalized))
    }

    static let badLines: [(String, String)] = [
        (
            "not selinon at all",
            "line 4: not a Selinon trace line (expected a JSON object or '… SELINON <host> - <EVENT> : {json}')"
        ),
        (
            #"{"details": {}, "event": "TASK_EXPLODED", "node": "w1", "time": "2026-01-01 00:00:00"}"#,
            "line 4: field \"event\": unknown Selinon event \"TASK_EXPLODED\""
        ),
        (
            #"[x] SELINON w1 - TASK_EXPLODED : {"details": {}, "event": "TASK_EXPLODED", "time": "2026-01-01 00:00:00"}"#,
            "line 4: unknown Selinon event \"TASK_EXPLODED\""
        ),
        (
            #"[x] SELINON w1 - TASK_START : {"details": {}, "event": "TASK_END", "time": "2026-01-01 00:00:00"}"#,
            "line 4: field \"event\": the logging prefix says TASK_START, the JSON says TASK_END"
        ),
        (
            #"{"details": [], "event": "TASK_START", "node": "w1", "time": "2026-01-01 00:00:00"}"#,
            "line 4: field \"details\": expected an object, got an array"
        ),
        (
            #"{"details": {}, "event": "TASK_START", "node": "w1", "time": "2017-04-31 08:45:02.230896"}"#,
            "line 4: field \"time\": expected an RFC 3339 time, got \"2017-04-31 08:45:02.230896\""
        ),
        (
            #"{"details": {"task_id": 7}, "event": "TASK_START", "node": "w1", "time": "2026-01-01 00:00:00"}"#,
            "line 4: field \"details.task_id\": expected a string, got a number"
        ),
        (
            #"{"details": {}, "event": "TASK_START", "host": "w1", "time": "2026-01-01 00:00:00"}"#,
            "line 4: field \"host\": unknown key"
        ),
        (
            #"{"details": {}, "event": "TASK_START", "#,
            "line 4: invalid JSON at byte 40: expected a string key, got the end of the input"
        ),
    ]

    @Test("bad lines are rejected naming the line and the field", arguments: badLines)
    func errors(line: String, message: String) {
        var importer = SelinonImporter()
        do {
            _ = try importer.events(fromLine: Array(line.utf8), number: 4)
            Issue.record("accepted: \(line)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the seed's logging line (Selinon's documentation) is read, times without a zone are UTC")
    func seedLine() throws {
        let line =
            #"[2017-04-30 08:45:02,231: INFO/MainProcess] SELINON 8176ab3c865e - TASK_SCHEDULE : {"details": {"condition_str": "True", "countdown": null, "dispatcher_id": "f26214e6-fc2a-4e6f-97ed-6c2f6f183140", "flow_name": "myFlow", "foreach_str": null, "node_args": {"foo": "bar"}, "parent": {}, "queue": "selinon_v1", "selective": false, "selective_edge": false, "task_id": "54ec5acb-7a8f-459a-acf3-806ffe53af14", "task_name": "MyTestTask"}, "event": "TASK_SCHEDULE", "time": "2017-04-30 08:45:02.230896"}"#
        var importer = SelinonImporter()
        let events = try importer.events(fromLine: Array(line.utf8), number: 1).map(\.event)
        #expect(events.count == 3)  // the flow (first seen), the task (scheduled), the flow event
        #expect(events[0].trace?.tag == "myFlow")
        guard case .executionAttempt(let task) = events[1].body, case .flowEvent(let flowEvent) = events[2].body else {
            Issue.record("unexpected bodies: \(events)")
            return
        }
        #expect(
            task.id == "54ec5acb-7a8f-459a-acf3-806ffe53af14" && task.parent == "f26214e6-fc2a-4e6f-97ed-6c2f6f183140")
        #expect(task.status == "scheduled" && task.input?.text == #"{"foo": "bar"}"#)
        #expect(flowEvent.node == "8176ab3c865e" && flowEvent.entityID == task.id)
        #expect(events[2].time == Timestamp(rfc3339: "2017-04-30T08:45:02.230896Z"))
    }

    @Test("a sub-flow first seen without its SUBFLOW_SCHEDULE joins its parent through the parent nodes it names")
    func subflowThroughParentNodes() async throws {
        let lines = [
            #"{"details": {"dispatcher_id": "D1", "flow_name": "main", "task_id": "T1", "task_name": "Fetch"}, "event": "TASK_SCHEDULE", "node": "a", "time": "2026-01-01 00:00:00"}"#,
            #"{"details": {"dispatcher_id": "D2", "flow_name": "sub", "parent": {"Fetch": "T1"}, "retried_count": 0}, "event": "DISPATCHER_WAKEUP", "node": "b", "time": "2026-01-01 00:00:01"}"#,
            #"{"details": {"storage_name": "Redis"}, "event": "STORAGE_CONNECT", "node": "b", "time": "2026-01-01 00:00:02"}"#,
        ]
        var importer = SelinonImporter()
        var events: [ImportedEvent] = []
        for (index, line) in lines.enumerated() {
            events += try importer.events(fromLine: Array(line.utf8), number: index + 1)
        }
        let flows = events.compactMap { imported -> ExecutionAttempt? in
            if case .executionAttempt(let attempt) = imported.event.body, attempt.action != "Fetch" { return attempt }
            return nil
        }
        #expect(flows.map(\.id) == ["D1", "D2"])
        #expect(flows.map(\.parent) == [nil, "D1"])
        #expect(Self.flowEvents(events).map(\.entityID) == ["T1", "D2", "D2"])
        try await withTemporaryStore { store in
            try await store.ingest(events)
            let main = try store.store.traceID(of: EntityRef(type: .execution, id: "D1"))
            #expect(main != nil)
            #expect(try store.store.traceID(of: EntityRef(type: .execution, id: "D2")) == main)
        }
    }
}

/// A line whose events trace resolution rejects must leave the importer as it was (the pipeline restores it).
@Suite struct SelinonImporterCheckpointTests {
    static func line(_ event: String, _ details: String) -> [UInt8] {
        Array(#"{"details": {\#(details)}, "event": "\#(event)", "node": "w1", "time": "2026-01-01 00:00:00"}"#.utf8)
    }

    static let task = #""dispatcher_id": "d1", "flow_name": "f", "task_id": "t1", "task_name": "T""#

    static func attempt(_ events: [IncomingEvent]) -> UInt32? {
        for event in events {
            if case .executionAttempt(let attempt) = event.body, attempt.id == "t1" { return attempt.attempt }
        }
        return nil
    }

    @Test func restoringACheckpointUndoesTheLine() throws {
        var importer = SelinonImporter()
        _ = try importer.convert(line: Self.line("TASK_START", Self.task), number: 1)
        let retry = try importer.convert(
            line: Self.line("TASK_RETRY", Self.task + #", "retried_count": 1, "what": "boom""#), number: 2)
        importer.restore(retry.checkpoint)
        let again = try importer.convert(line: Self.line("TASK_END", Self.task), number: 3)
        #expect(Self.attempt(again.events) == 1, "the retry was undone, so the running attempt is still 1")
        var kept = SelinonImporter()
        _ = try kept.convert(line: Self.line("TASK_START", Self.task), number: 1)
        _ = try kept.convert(
            line: Self.line("TASK_RETRY", Self.task + #", "retried_count": 1, "what": "boom""#), number: 2)
        let next = try kept.convert(line: Self.line("TASK_START", Self.task), number: 3)
        #expect(Self.attempt(next.events) == 2, "without the undo the next attempt is 2")
    }

    @Test func aLineThatCannotBeConvertedChangesNothing() throws {
        var importer = SelinonImporter()
        _ = try importer.convert(line: Self.line("TASK_START", Self.task), number: 1)
        #expect(throws: ImportError.self) {
            try importer.convert(line: Self.line("TASK_RETRY", Self.task + #", "retried_count": "x""#), number: 2)
        }
        let end = try importer.convert(line: Self.line("TASK_END", Self.task), number: 3)
        #expect(Self.attempt(end.events) == 1)
    }
}
