import Foundation
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

@testable import TraceLogOTLP

@Suite struct OTLPExporterTests {
    /// A StackStorm cascade: webhook → rule → execution (requested, running, failed attempt 1; attempt 2 succeeded)
    /// → action trigger → rule that fired twice → two executions.
    static let stackStorm = [
        #"{"type":"trigger_instance","id":"ti-1","time":"2026-11-22T10:00:00Z","trigger":"core.st2.webhook","source":"webhook","hook":"github","payload":{"ref":"main"},"trace":{"tag":"deploy-42"}}"#,
        #"{"type":"rule_enforcement","id":"re-1","time":"2026-11-22T10:00:00.002Z","rule":{"id":"r-9","ref":"ci.on_push"},"trigger_instance":"ti-1","execution":"ex-1"}"#,
        #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:00.003Z","action":"ci.build","attempt":1,"status":"requested","input":{"branch":"main"},"caused_by":{"type":"rule","id":"re-1"}}"#,
        #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:00.004Z","action":"ci.build","attempt":1,"status":"running"}"#,
        #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:00.004Z","action":"ci.build","attempt":1,"status":"failed","failure":"RECOVERABLE","failure_message":"timeout","duration_ms":1500}"#,
        #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:02Z","action":"ci.build","attempt":2,"status":"succeeded","duration_ms":900,"output":{"ok":true}}"#,
        #"{"type":"trigger_instance","id":"ti-2","time":"2026-11-22T10:00:03Z","trigger":"core.st2.generic.actiontrigger","source":"action_trigger","caused_by":{"type":"execution","id":"ex-1"}}"#,
        #"{"type":"rule_enforcement","id":"re-2","time":"2026-11-22T10:00:03.1Z","rule":{"id":"r-1","ref":"ci.notify"},"trigger_instance":"ti-2","execution":"ex-2"}"#,
        #"{"type":"execution","id":"ex-2","time":"2026-11-22T10:00:03.2Z","action":"chatops.post","status":"failed","failure":"TERMINAL","failure_message":"channel archived","caused_by":{"type":"rule","id":"re-2"}}"#,
    ]

    static func ingest(_ lines: [String], into store: WritableTraceStore) async throws {
        let events = try lines.enumerated().map { index, line in
            try NativeEventParser().parse(line: Array(line.utf8), lineNumber: index + 1)
        }
        let result = try await store.ingest(events, atomic: true)
        #expect(result.rejected.isEmpty, "\(result.rejected)")
    }

    static func attributes(_ span: OTLPSpan) -> [String: String] {
        Dictionary(
            span.attributes.map { attribute in
                let value: String =
                    switch attribute.value.value {
                    case .stringValue(let text)?: text
                    case .intValue(let number)?: String(number)
                    case .doubleValue(let number)?: String(number)
                    default: "?"
                    }
                return (attribute.key, value)
            }, uniquingKeysWith: { first, _ in first })
    }

    @Test func aStackStormTraceBecomesSpansParentedByTheirCauses() async throws {
        let log = try TemporaryStore()
        try await Self.ingest(Self.stackStorm, into: log.store)
        let traceID = try #require(try log.store.traceID(of: EntityRef(type: .triggerInstance, id: "ti-1")))
        let trace = try #require(try log.store.trace(traceID))
        let request = try OTLPJSONDecoder().request(
            from: Array(OTLPExporter(mode: .trace, tag: { _ in "deploy-42" }).json(for: trace.records).utf8))
        let spans = request.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        #expect(request.resourceSpans.count == 1)
        #expect(SpanMapping.serviceName(of: request.resourceSpans[0].resource) == "tracelog")
        // Trigger instances, rule enforcements and each attempt: ti-1, re-1, ex-1 #1, ex-1 #2, ti-2, re-2, ex-2.
        #expect(
            spans.map(\.name) == [
                "core.st2.webhook", "ci.on_push", "ci.build", "ci.build", "core.st2.generic.actiontrigger", "ci.notify",
                "chatops.post",
            ])
        let byEntity = Dictionary(
            spans.map {
                (Self.attributes($0)["tracelog.entity.id"]! + "#" + (Self.attributes($0)["tracelog.attempt"] ?? ""), $0)
            },
            uniquingKeysWith: { first, _ in first })
        let webhook = try #require(byEntity["ti-1#"])
        let rule = try #require(byEntity["re-1#"])
        let firstAttempt = try #require(byEntity["ex-1#1"])
        let secondAttempt = try #require(byEntity["ex-1#2"])
        let actionTrigger = try #require(byEntity["ti-2#"])
        let notify = try #require(byEntity["ex-2#1"])
        #expect(webhook.parentSpanID.isEmpty)
        #expect(rule.parentSpanID == webhook.spanID)
        #expect(firstAttempt.parentSpanID == rule.spanID)
        #expect(secondAttempt.parentSpanID == rule.spanID)  // a retry is a sibling, linked to the attempt before
        #expect(secondAttempt.links.first?.spanID == firstAttempt.spanID)
        #expect(actionTrigger.parentSpanID == firstAttempt.spanID)  // the execution's span is its first attempt's
        #expect(Set(spans.map(\.traceID)) == [HexID.bytes(of: traceID)])
        #expect(Set(spans.map(\.spanID)).count == spans.count)
        // Failures are ERROR with their message; the attempt's status changes are events of its span.
        #expect(firstAttempt.status.code == .error && firstAttempt.status.message == "timeout")
        #expect(notify.status.code == .error && notify.status.message == "channel archived")
        #expect(secondAttempt.status.code == .unset)
        #expect(firstAttempt.events.map(\.name) == ["tracelog.status", "tracelog.status"])
        #expect(firstAttempt.startTimeUnixNano == 1_795_341_600_003_000_000)  // the requested record
        #expect(firstAttempt.endTimeUnixNano == 1_795_341_601_504_000_000)  // running + 1500 ms
        let attributes = Self.attributes(firstAttempt)
        #expect(attributes["tracelog.entity.type"] == "execution")
        #expect(attributes["tracelog.failure.class"] == "RECOVERABLE")
        #expect(attributes["tracelog.trace.tag"] == "deploy-42")
        #expect(attributes["tracelog.input"] == #"{"branch":"main"}"#)
        #expect(Self.attributes(rule)["tracelog.rule.ref"] == "ci.on_push")
        #expect(Self.attributes(rule)["tracelog.rule.id"] == "r-9")
        #expect(Self.attributes(webhook)["tracelog.payload"] == #"{"ref":"main"}"#)
    }

    @Test func selinonFlowEventsBecomeEventsOfTheirExecutionsSpan() async throws {
        let log = try TemporaryStore()
        try await Self.ingest(
            [
                #"{"type":"execution","id":"flow-1","time":"2026-11-22T10:00:00Z","action":"ingest_flow","status":"running","trace":{"tag":"ingest_flow"}}"#,
                #"{"type":"flow_event","id":"flow-1","time":"2026-11-22T10:00:00.001Z","event":"DISPATCHER_WAKEUP","details":{"dispatcher_id":"flow-1"},"node":"worker-1"}"#,
                #"{"type":"execution","id":"task-1","time":"2026-11-22T10:00:00.002Z","action":"fetch","parent":"flow-1","status":"running"}"#,
                #"{"type":"flow_event","id":"task-1","time":"2026-11-22T10:00:00.002Z","event":"TASK_START","details":{"task_id":"task-1"}}"#,
                #"{"type":"execution","id":"task-1","time":"2026-11-22T10:00:00.002Z","action":"fetch","status":"succeeded","duration_ms":40}"#,
                #"{"type":"flow_event","id":"task-1","time":"2026-11-22T10:00:00.042Z","event":"TASK_END","details":{"task_id":"task-1"}}"#,
            ], into: log.store)
        let traceID = try #require(try log.store.traceID(of: EntityRef(type: .execution, id: "flow-1")))
        let trace = try #require(try log.store.trace(traceID))
        let spans = OTLPExporter(mode: .trace).request(for: trace.records).resourceSpans[0].scopeSpans[0].spans
        #expect(spans.map(\.name) == ["ingest_flow", "fetch"])  // the flow (still running) and its task
        #expect(spans[0].events.map(\.name) == ["DISPATCHER_WAKEUP"])
        #expect(spans[1].events.map(\.name) == ["tracelog.status", "TASK_START", "TASK_END"])
        #expect(spans[1].parentSpanID == spans[0].spanID)
        let details = spans[1].events[1].attributes.first { $0.key == "tracelog.flow.details" }?.value.stringValue
        #expect(details == #"{"task_id":"task-1"}"#)
    }

    @Test func forwardModeLeavesUnfinishedAttemptsForTheBatchThatFinishesThem() async throws {
        let log = try TemporaryStore()
        try await Self.ingest(Self.stackStorm, into: log.store)
        var all: [StoredRecord] = []
        var cursor = log.store.reader.cursor(from: 0)
        while let stored = try cursor.next() { all.append(stored) }
        // A batch cut after ex-1's `running` record: the attempt has not finished in it.
        let firstBatch = OTLPExporter(mode: .forward).request(for: Array(all[0..<5]))
        let names = firstBatch.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }.map(\.name)
        #expect(names == ["core.st2.webhook", "ci.on_push"])
        let secondBatch = OTLPExporter(mode: .forward).request(for: Array(all[5...]))
        let later = secondBatch.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        #expect(later.first?.name == "ci.build")
        #expect(later.first?.status.code == .error)
    }

    @Test(arguments: [OTLPExporter.Mode.trace, .forward])
    func theProtobufWrittenFromRecordsEqualsSwiftProtobufsSerializationOfTheMessages(mode: OTLPExporter.Mode)
        async throws
    {
        let log = try TemporaryStore()
        try await Self.ingest(Self.stackStorm, into: log.store)
        var otlp = [
            OTLPSamples.span("2222222222222222", parent: "1111111111111111", name: "child", error: "boom"),
            OTLPSamples.span("1111111111111111", name: "root"),
        ]
        otlp[0].links = [
            OTLPSpan.Link.with {
                $0.traceID = OTLPSamples.bytes(OTLPSamples.traceHex); $0.spanID = OTLPSamples.bytes("1111111111111111")
            }
        ]
        _ = try await OTLPTraceReceiver(store: log.store).receive(
            try OTLPSamples.request(otlp).serializedBytes(), encoding: .protobuf)
        try await Self.ingest(
            [
                #"{"type":"execution","id":"flow-9","time":"2026-11-22T10:00:00Z","action":"f","status":"running","trace":{"tag":"f"}}"#,
                #"{"type":"flow_event","id":"flow-9","time":"2026-11-22T10:00:00.001Z","event":"DISPATCHER_WAKEUP","details":{"n":-1.5e3}}"#,
                #"{"type":"flow_event","id":"nobody","time":"2026-11-22T10:00:00.001Z","event":"NODE_STATE_CACHE_HIT","details":{},"trace":{"tag":"x"}}"#,
                #"{"type":"execution","id":"neg","time":"1969-12-31T23:59:59Z","action":"old","duration_ms":4.25,"attempt":3,"trace":{"tag":"y"}}"#,
            ], into: log.store)
        var records: [StoredRecord] = []
        var cursor = log.store.reader.cursor(from: 0)
        while let stored = try cursor.next() { records.append(stored) }
        let exporter = OTLPExporter(mode: mode, tag: { _ in "a tag" })
        for range in [0..<records.count, 0..<5, 3..<11, 9..<records.count] {
            let batch = Array(records[range])
            let wire = try exporter.protobuf(for: batch)
            let messages = exporter.request(for: batch)
            #expect(wire.body == (try messages.serializedBytes() as [UInt8]), "records \(range)")
            #expect(
                wire.spans == messages.resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } })
        }
    }

    @Test func anOTLPTraceRoundTripsThroughReplayAndNativeIngest() async throws {
        let source = try TemporaryStore()
        let spans = [
            OTLPSamples.span("2222222222222222", parent: "1111111111111111", name: "child"),
            OTLPSamples.span("1111111111111111", name: "root"),
        ]
        _ = try await OTLPTraceReceiver(store: source.store).receive(
            try OTLPSamples.request(spans).serializedBytes(), encoding: .protobuf)
        let records = try #require(try source.store.trace(OTLPSamples.traceID)).records
        // replay | ingest into an empty log.
        let lines = records.map { NativeEventWriter().line(for: $0.record) }
        #expect(lines[1].contains(#""otlp":{"#))
        let copy = try TemporaryStore()
        try await Self.ingest(lines, into: copy.store)
        let copied = try #require(try copy.store.trace(OTLPSamples.traceID))
        #expect(copied.records.map(\.record) == records.map(\.record))
        let original = OTLPExporter(mode: .trace).json(for: records)
        #expect(OTLPExporter(mode: .trace).json(for: copied.records) == original)
    }
}
