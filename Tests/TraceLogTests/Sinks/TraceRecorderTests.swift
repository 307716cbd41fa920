import Foundation
import Logging
import Synchronization
import Testing
import TraceLog
import TraceLogStorage

/// SPEC §5 sinks: fan-out, isolation of a failing sink, sequence numbers, JSON-lines routing, the log sink.
@Suite struct TraceRecorderTests {
    struct Boom: Error {}

    @Test func aThrowingSinkIsReportedAndSkippedAndTheOthersStillRun() async throws {
        let seen = MessageLog()
        let reports = MessageLog()
        let logger = Logger(label: "test") { _ in CapturingHandler(log: reports) }
        let recorder = TraceRecorder(
            sinks: [
                ClosureSink { event in seen.messages.withLock { $0.append("first \(event.sequence) \(event.event)") } },
                ClosureSink { _ in throw Boom() },
                ClosureSink { event in seen.messages.withLock { $0.append("third \(event.sequence) \(event.event)") } },
            ], logger: logger)
        await recorder.record("DISPATCHER_WAKEUP")
        await recorder.record("TASK_FAILURE", details: RawJSON(#"{"task_name":"T"}"#))
        #expect(
            seen.messages.withLock { $0 } == [
                "first 0 DISPATCHER_WAKEUP", "third 0 DISPATCHER_WAKEUP", "first 1 TASK_FAILURE",
                "third 1 TASK_FAILURE",
            ])
        #expect(reports.messages.withLock { $0 }.count == 2)
        #expect(reports.messages.withLock { $0 }.allSatisfy { $0.contains("trace sink failed") && $0.contains("Boom") })
    }

    @Test func theLogSinkStoresEventsEvenWhenALaterSinkFails() async throws {
        let fixture = try StoreFixture()
        let recorder = TraceRecorder(sinks: [LogSink(store: fixture.store), ClosureSink { _ in throw Boom() }])
        let event = await recorder.record(
            "FLOW_START", details: RawJSON(#"{"flow_name":"f","dispatcher_id":"d-1"}"#), entityID: "d-1")
        #expect(event.time.microseconds > 0)
        let traceID = try #require(try fixture.store.traceID(of: .execution("d-1")))
        let records = try #require(try fixture.store.trace(traceID)).records
        guard case .flowEvent(let stored) = records.last?.record.body else {
            Issue.record("no flow event stored")
            return
        }
        #expect(stored.details.text == #"{"flow_name":"f","dispatcher_id":"d-1"}"#)
    }

    @Test(arguments: [
        ("DISPATCHER_FAILURE", SinkEvent.Severity.error), ("TASK_FAILURE", .warning), ("TASK_RETRY", .warning),
        ("STORAGE_ISSUE", .warning), ("TASK_END", .info), ("DISPATCHER_WAKEUP", .info),
    ])
    func severitiesFollowSelinon(event: String, severity: SinkEvent.Severity) {
        #expect(SinkEvent(sequence: 0, time: .now(), event: event, details: .emptyObject).severity == severity)
    }

    @Test func jsonLinesGoToStdoutOrStderrBySeverity() async throws {
        let standard = Pipe()
        let warnings = Pipe()
        let recorder = TraceRecorder(sinks: [
            JSONLinesSink(standard: standard.fileHandleForWriting, warnings: warnings.fileHandleForWriting)
        ])
        await recorder.record("TASK_START", details: RawJSON(#"{"a":1}"#))
        await recorder.record("TASK_RETRY")
        try standard.fileHandleForWriting.close()
        try warnings.fileHandleForWriting.close()
        let out = String(decoding: standard.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: warnings.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(out.hasPrefix(#"{"details":{"a":1},"event":"TASK_START","sequence":0,"time":""#))
        #expect(err.hasPrefix(#"{"details":{},"event":"TASK_RETRY","sequence":1,"#))
    }
}

/// Messages a logger received, shared between the handler and the test.
final class MessageLog: Sendable {
    let messages = Mutex<[String]>([])
}

/// A swift-log handler that keeps messages (with metadata) for assertions.
struct CapturingHandler: LogHandler {
    let log: MessageLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.level) \(event.message) \((event.metadata ?? [:]).sorted { $0.key < $1.key })"
        log.messages.withLock { $0.append(text) }
    }
}
