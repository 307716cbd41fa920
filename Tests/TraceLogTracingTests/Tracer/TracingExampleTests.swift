import Foundation
import Testing
import TraceLog
import TraceLogStorage
import TraceLogTestSupport

@testable import TraceLogOTLP

/// Runs the test app (`tools/tracing-example`): an instrumented program whose trace must come back whole from its log
/// and export as OTLP.
@Suite struct TracingExampleTests {
    @Test func theExampleAppsTraceComesBackWholeAndExportsAsOTLP() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tracelog-example-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let example = try await ChildProcess.run(BuiltTool.path("tracelog-tracing-example"), ["--log", directory])
        #expect(example.status == 0, "\(example.stderr)")
        let printed = example.stdout
        let hex = try #require(printed.split(separator: "\n").first { $0.hasPrefix("trace ") }?.dropFirst(6))
        let store = try TraceStore.openReadOnly(directory: directory)
        let trace = try #require(try store.trace(TraceID(hex: String(hex))!))
        #expect(trace.tag == "checkout")
        #expect(
            Set(trace.components.map(\.ref)) == [
                "POST /checkout", "load-cart", "price-items", "check-stock", "charge-card", "send-receipt",
            ])
        // Whole: every span but the root is caused by a span of the trace, and every chain reaches the root.
        let root = try #require(trace.components.first { $0.ref == "POST /checkout" })
        #expect(root.causedBy == nil)
        for component in trace.components {
            #expect(trace.causationChain(of: [component]).contains { $0.id == root.id }, "\(component.ref)")
        }
        #expect(trace.effects(of: [root]).count == 6)
        let charge = try #require(trace.components.first { $0.ref == "charge-card" })
        #expect(charge.failure == .terminal)

        let request = OTLPExporter(mode: .trace).request(for: trace.records)
        let json = String(decoding: OTLPJSONEncoder().encode(request), as: UTF8.self)
        let spans = try OTLPJSONDecoder().request(from: Array(json.utf8)).resourceSpans.flatMap {
            $0.scopeSpans.flatMap(\.spans)
        }
        #expect(spans.count == 6)
        let charged = try #require(spans.first { $0.name == "charge-card" })
        #expect(charged.status.code == .error && charged.status.message == "card declined: insufficient funds")
        #expect(charged.kind == .client)
        #expect(charged.events.map(\.name) == ["payment.requested", "exception"])
        let receipt = try #require(spans.first { $0.name == "send-receipt" })
        #expect(receipt.kind == .consumer && receipt.status.code == .ok)
        #expect(receipt.flags & 0x200 != 0)  // its parent came through a traceparent header
        let rootSpan = try #require(spans.first { $0.name == "POST /checkout" })
        #expect(rootSpan.attributes.first { $0.key == "http.response.status_code" }?.value.intValue == 200)
        #expect(SpanMapping.serviceName(of: request.resourceSpans[0].resource) == "checkout")
    }
}
