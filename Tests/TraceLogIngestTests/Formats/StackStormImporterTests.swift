import Foundation
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// StackStorm trace objects in the shape of st2's `TraceAPI` (`st2 trace get -j`, `GET /api/v1/traces`), imported.
@Suite("StackStorm trace import")
struct StackStormImporterTests {
    static func ingest(_ name: String, into store: TemporaryStore) async throws {
        try await store.ingest(try StackStormImporter().events(from: try Fixture.bytes(name)))
    }

    @Test("a 32-hex trace id is kept; StackStorm's 24-hex ids get a new trace with the trace_tag")
    func traceIDs() async throws {
        try await withTemporaryStore { store in
            try await Self.ingest("st2-traces.json", into: store)
            let kept = try #require(TraceID(hex: "0af7651916cd43dd8448eb211c80319c"))
            #expect(try store.store.trace(kept)?.tag == "nightly")
            let webhook = try #require(
                try store.store.traceID(of: EntityRef(type: .triggerInstance, id: "55d5069832ed35711cc4b08e")))
            let trace = try #require(try store.store.trace(webhook))
            #expect(trace.tag == "git-commit-4c1e8d6a")
            #expect(trace.startTime == Timestamp(rfc3339: "2015-08-20T09:41:39.613Z"))
            #expect(try store.store.traceNamed("git-commit-4c1e8d6a")?.id == webhook)
        }
    }

    @Test("components in time order with StackStorm's causes; a rule firing is <rule id>:<trigger instance id>")
    func components() async throws {
        try await withTemporaryStore { store in
            try await Self.ingest("st2-traces.json", into: store)
            let id = try #require(
                try store.store.traceID(of: EntityRef(type: .execution, id: "55d5069832ed35711522c4c7")))
            let trace = try #require(try store.store.trace(id))
            #expect(
                trace.components.map { "\($0.type.name) \($0.ref)" } == [
                    "trigger_instance core.st2.webhook", "rule ci.on_push", "execution ci.build",
                    "trigger_instance core.st2.generic.actiontrigger", "rule ci.on_build_done", "execution ci.deploy",
                    "trigger_instance core.st2.generic.actiontrigger",
                ])
            #expect(trace.components[1].id == "55d5064432ed35711522c4ca:55d5069832ed35711cc4b08e")
            #expect(trace.components[1].ruleID == "55d5064432ed35711522c4ca")
            #expect(trace.components[2].causedBy == EntityRef(type: .rule, id: trace.components[1].id))
            #expect(trace.components[3].causedBy == EntityRef(type: .execution, id: "55d5069832ed35711522c4c7"))
            #expect(trace.components[0].causedBy == nil)
            // The last action trigger matched no rule: a noop trigger instance.
            let shown = trace.select(ComponentSelection(hideNoopTriggers: true))
            #expect(shown.count == trace.components.count - 1)
        }
    }

    @Test("one rule firing twice is two enforcements; workflow children are caused by their parent")
    func repeatedRuleAndWorkflow() async throws {
        try await withTemporaryStore { store in
            try await Self.ingest("st2-traces.json", into: store)
            let kept = try #require(TraceID(hex: "0af7651916cd43dd8448eb211c80319c"))
            let trace = try #require(try store.store.trace(kept))
            let firings = trace.components.filter { $0.ruleID == "55d5064432ed35711522c500" }
            #expect(
                firings.map(\.id) == [
                    "55d5064432ed35711522c500:55d6000132ed35711cc4c002",
                    "55d5064432ed35711522c500:55d6000232ed35711cc4c003",
                ])
            let child = try #require(trace.components.first { $0.id == "55d6000132ed35711522d002" })
            #expect(child.causedBy == EntityRef(type: .execution, id: "55d6000032ed35711522d001"))
            let timer = try #require(trace.components.first)
            #expect(timer.ref == "core.st2.CronTimer")
        }
    }

    @Test("a single object, as st2 trace get -j prints it")
    func singleObject() async throws {
        let events = try StackStormImporter().events(from: try Fixture.bytes("st2-trace-get.json"))
        #expect(events.map(\.location) == [.element(0), .element(0), .element(0)])
        guard case .traceStart(let start) = events[0].event.body else {
            Issue.record("first event is not a trace line")
            return
        }
        #expect(start.tag == "TraceDateAction")
        #expect(start.origin == EntityRef(type: .execution, id: "55d505fd32ed35711522c4c7"))
        try await withTemporaryStore { store in
            try await store.ingest(events)
            let id = try #require(
                try store.store.traceID(of: EntityRef(type: .triggerInstance, id: "55d505fe32ed35711cc4b085")))
            #expect(try store.store.trace(id)?.components.map(\.type) == [.execution, .triggerInstance])
        }
    }

    static let badInputs: [(String, String)] = [
        ("7", "input: expected a trace object or an array of them, got a number"),
        (
            #"[{"trace_tag": "t", "start_timestamp": "2015-08-20T09:41:39.613000Z"}, {"start_timestamp": "2015-08-20T09:41:39Z"}]"#,
            "element 1: field \"trace_tag\": missing"
        ),
        (
            #"{"trace_tag": "t", "start_timestamp": "2015-08-20T09:41:39Z", "rules": [{"object_id": "r", "ref": "p.r", "caused_by": {}}]}"#,
            "element 0: field \"rules[0].caused_by\": a rule needs the trigger instance it matched ({\"type\": \"trigger_instance\", \"id\": …})"
        ),
        (
            #"{"trace_tag": "t", "start_timestamp": "2015-08-20T09:41:39Z", "action_executions": [{"object_id": "e", "caused_by": {"type": "sensor", "id": "x"}}]}"#,
            "element 0: field \"action_executions[0].caused_by.type\": expected trigger_instance, rule or action_execution, got \"sensor\""
        ),
        (
            #"{"trace_tag": "t", "start_timestamp": "yesterday"}"#,
            "element 0: field \"start_timestamp\": expected an ISO 8601 UTC time, got \"yesterday\""
        ),
        (
            #"{"trace_tag": "t", "start_timestamp": "2015-08-20T09:41:39Z", "trigger_instances": [{"ref": "x"}]}"#,
            "element 0: field \"trigger_instances[0].object_id\": missing"
        ),
    ]

    @Test("bad input is rejected naming the element and the field", arguments: badInputs)
    func errors(input: String, message: String) {
        do {
            _ = try StackStormImporter().events(from: Array(input.utf8))
            Issue.record("accepted: \(input)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(
        "StackStorm's other UTC spellings are accepted",
        arguments: ["2015-08-20T09:41:39.613+00", "2015-08-20 09:41:39.613+0000", "2015-08-20T09:41:39.613+00:00"])
    func timeSpellings(time: String) throws {
        let input = #"{"trace_tag": "t", "start_timestamp": ""# + time + #""}"#
        let events = try StackStormImporter().events(from: Array(input.utf8))
        #expect(events.first?.event.time == Timestamp(rfc3339: "2015-08-20T09:41:39.613Z"))
    }
}
