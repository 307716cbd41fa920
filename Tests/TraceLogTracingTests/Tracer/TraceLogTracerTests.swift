import Foundation
import Testing
import TraceLog
import TraceLogStorage
import Tracing

@testable import TraceLogOTLP
@testable import TraceLogTracing

/// A dictionary as a header carrier.
struct Headers: Injector, Extractor {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

struct Declined: Error, CustomStringConvertible {
    var description: String { "declined" }
}

/// A store over a fresh temporary directory.
final class TemporaryStore: Sendable {
    let directory: String
    let store: WritableTraceStore

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-tracing-tests-\(UUID().uuidString)")
            .path
        store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@Suite struct TraceLogTracerTests {
    @Test func spansEndedInAnyOrderMakeOneWholeTrace() async throws {
        let log = try TemporaryStore()
        let tracer = TraceLogTracer(store: log.store, serviceName: "billing")
        let root = tracer.startSpan("invoice", context: .topLevel, ofKind: .server)
        let child = tracer.startSpan("render", context: root.context, ofKind: .internal)
        let grandchild = tracer.startSpan("font", context: child.context, ofKind: .internal)
        // The root ends first and is stored before its children.
        root.end()
        try await tracer.flush()
        grandchild.attributes["glyphs"] = 42
        grandchild.end()
        try await tracer.flush()
        child.recordError(Declined())
        child.setStatus(SpanStatus(code: .error))
        child.end()
        child.end()  // a second end is ignored
        try await tracer.flush()

        let traceID = try #require(TraceID(hex: root.spanContext.traceID.description))
        let trace = try #require(try log.store.trace(traceID))
        #expect(trace.tag == "billing")
        #expect(trace.components.count == 3)
        let font = trace.components(matching: .execution, id: grandchild.spanContext.spanID.description)
        #expect(trace.causationChain(of: font).map(\.ref).sorted() == ["font", "invoice", "render"])
        let render = try #require(
            trace.components(matching: .execution, id: child.spanContext.spanID.description).first)
        #expect(render.failure == .terminal)
        let attempts = trace.records.compactMap { stored -> ExecutionAttempt? in
            if case .executionAttempt(let attempt) = stored.record.body { return attempt }
            return nil
        }
        #expect(attempts.first { $0.action == "render" }?.failureMessage == "declined")  // from the recorded error

        let exported = OTLPExporter(mode: .trace).request(for: trace.records)
        let spans = exported.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        #expect(spans.count == 3)
        let font2 = try #require(spans.first { $0.name == "font" })
        #expect(font2.attributes.first { $0.key == "glyphs" }?.value.intValue == 42)
        #expect(HexID.encode(font2.parentSpanID) == child.spanContext.spanID.description)
        let render2 = try #require(spans.first { $0.name == "render" })
        #expect(render2.events.first?.name == "exception")
        #expect(render2.status.code == .error)
        #expect(SpanMapping.serviceName(of: exported.resourceSpans[0].resource) == "billing")
        #expect(exported.resourceSpans[0].scopeSpans[0].scope.name == "TraceLogTracing")
    }

    @Test func traceparentIsInjectedAndExtractedSoTheCalleeContinuesTheTrace() async throws {
        let log = try TemporaryStore()
        let tracer = TraceLogTracer(store: log.store, serviceName: "edge")
        let caller = tracer.startSpan("call", context: .topLevel, ofKind: .client)
        var headers: [String: String] = [:]
        tracer.inject(caller.context, into: &headers, using: Headers())
        let traceparent = try #require(headers["traceparent"])
        #expect(traceparent == "00-\(caller.spanContext.traceID)-\(caller.spanContext.spanID)-01")
        var remote = InstrumentationContext.topLevel
        tracer.extract(headers, into: &remote, using: Headers())
        let callee = tracer.startSpan("serve", context: remote, ofKind: .server)
        #expect(callee.spanContext.traceID == caller.spanContext.traceID)
        #expect(callee.parentSpanID == caller.spanContext.spanID)
        #expect(callee.parentIsRemote)
        callee.end()
        caller.end()
        try await tracer.flush()
        let spans = OTLPExporter(mode: .trace).request(
            for: try #require(try log.store.trace(TraceID(hex: caller.spanContext.traceID.description)!)).records
        ).resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        #expect(spans.first { $0.name == "serve" }?.flags == 0x301)  // sampled, parent known to be remote
        #expect(spans.first { $0.name == "call" }?.flags == 0x101)
        // A malformed header starts a new trace.
        var garbage = InstrumentationContext.topLevel
        tracer.extract(["traceparent": "00-zz-zz-01"], into: &garbage, using: Headers())
        #expect(garbage.traceLogSpanContext == nil)
    }

    @Test func theBufferIsBoundedAndCountsWhatItDrops() async throws {
        let log = try TemporaryStore()
        let tracer = TraceLogTracer(store: log.store, serviceName: "busy", maximumBufferedSpans: 2)
        for index in 0..<5 { tracer.startSpan("s\(index)", context: .topLevel, ofKind: .internal).end() }
        #expect(tracer.droppedSpans == 3)
        try await tracer.flush()
        #expect(try log.store.reader.traceStarts().count == 2)
    }
}
