import Foundation
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogOTLP

@Suite struct SpanMappingTests {
    @Test func aSpanBecomesAnExecutionAttempt() throws {
        let span = OTLPSamples.span(
            "00f067aa0ba902b7", parent: "53995c3f42cd8ad8", name: "charge-card", start: 1_795_000_000_123_456_789,
            durationNanoseconds: 2_500_000, error: "card declined")
        let mapped = SpanMapping.events(from: OTLPSamples.request([span], service: "payments"))
        #expect(mapped.rejected.isEmpty)
        let event = try #require(mapped.spans.first?.event)
        #expect(event.trace == TraceContext(id: OTLPSamples.traceID, tag: "payments"))
        #expect(event.mode == .openTelemetry)
        #expect(event.time == Timestamp(microseconds: 1_795_000_000_123_456))
        guard case .executionAttempt(let attempt) = event.body else { Issue.record("not an attempt"); return }
        #expect(attempt.id == "00f067aa0ba902b7")
        #expect(attempt.action == "charge-card")
        #expect(attempt.causedBy == EntityRef(type: .execution, id: "53995c3f42cd8ad8"))
        #expect(attempt.durationMs == 2.5)
        #expect(attempt.failure == .terminal)
        #expect(attempt.failureMessage == "card declined")
        #expect(attempt.status == "failed")
        #expect(mapped.spans[0].path == "resourceSpans[0].scopeSpans[0].spans[0]")
        // The remainder holds the rest, without the fields the attempt holds.
        let remainder = try #require(attempt.otlp?.text)
        #expect(remainder.contains(#""startTimeUnixNano":"1795000000123456789""#))
        #expect(remainder.contains(#""name":"orders.http""#))
        #expect(!remainder.contains("53995c3f42cd8ad8") && !remainder.contains("charge-card"))
    }

    @Test func aResourceWithoutServiceNameTagsTheTraceUnknownService() throws {
        var request = OTLPSamples.request([OTLPSamples.span("00f067aa0ba902b7", name: "root")])
        request.resourceSpans[0].resource.attributes = []
        let event = try #require(SpanMapping.events(from: request).spans.first?.event)
        #expect(event.trace?.tag == "unknown_service")
        guard case .executionAttempt(let attempt) = event.body else { return }
        #expect(attempt.causedBy == nil && attempt.failure == nil && attempt.status == "succeeded")
    }

    @Test func spansThatCannotBeRecordsAreRefusedAloneWithTheirPath() {
        var zeroTrace = OTLPSamples.span("00f067aa0ba902b7", name: "a")
        zeroTrace.traceID = Data(count: 16)
        var shortSpan = OTLPSamples.span("00f067aa0ba902b7", name: "b")
        shortSpan.spanID = Data([1, 2, 3])
        var badParent = OTLPSamples.span("00f067aa0ba902b7", name: "c")
        badParent.parentSpanID = Data([1])
        let unnamed = OTLPSamples.span("00f067aa0ba902b8", name: "")
        let good = OTLPSamples.span("00f067aa0ba902b9", name: "fine")
        let mapped = SpanMapping.events(from: OTLPSamples.request([zeroTrace, shortSpan, badParent, unnamed, good]))
        #expect(mapped.spans.map(\.path) == ["resourceSpans[0].scopeSpans[0].spans[4]"])
        #expect(
            mapped.rejected.map(\.description) == [
                "resourceSpans[0].scopeSpans[0].spans[0]: traceId must be 16 bytes, not all zero (got 16 bytes, 00000000000000000000000000000000)",
                "resourceSpans[0].scopeSpans[0].spans[1]: spanId must be 8 bytes, not all zero (got 3 bytes, 010203)",
                "resourceSpans[0].scopeSpans[0].spans[2]: parentSpanId must be empty or 8 bytes (got 1 bytes, 01)",
                "resourceSpans[0].scopeSpans[0].spans[3]: the span has no name",
            ])
    }

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func theRemainderBuiltOnItsSharedPartEqualsTheWholeEncoding(hasResource: Bool, hasScope: Bool) {
        var request = OTLPSamples.request([OTLPSamples.span("00f067aa0ba902b7", parent: "53995c3f42cd8ad8", name: "x")])
        if !hasResource { request.resourceSpans[0].clearResource() }
        if !hasScope { request.resourceSpans[0].scopeSpans[0].clearScope() }
        // A string value that spells the template's marker must not confuse it.
        request.resourceSpans[0].scopeSpans[0].spans[0].attributes.append(
            OTLPSamples.attribute("trap", .stringValue(#""spans":[{}]"#)))
        let resource = request.resourceSpans[0]
        let scope = resource.scopeSpans[0]
        var span = scope.spans[0]
        let (bytes, depth) = Remainder.Template(scope: scope, resource: resource).encode(span: span, keepsParent: false)
        span.traceID = Data()
        span.spanID = Data()
        span.name = ""
        span.parentSpanID = Data()
        var whole = resource
        whole.scopeSpans[0].spans = [span]
        let expected = OTLPJSONEncoder().encode(whole)
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: expected.bytes, as: UTF8.self))
        #expect(depth == expected.depth)
    }

    @Test func attributesNestedDeeperThanANativeLineHoldsAreRefused() {
        func nested(_ levels: Int) -> OTLPAnyValue {
            var value = OTLPAnyValue()
            value.value = .stringValue("leaf")
            for _ in 0..<levels {
                var list = OTLPKeyValueList()
                list.values = [
                    OTLPKeyValue.with {
                        $0.key = "k"; $0.value = value
                    }
                ]
                value = OTLPAnyValue.with { $0.value = .kvlistValue(list) }
            }
            return value
        }
        var deep = OTLPSamples.span("00f067aa0ba902b7", name: "deep")
        deep.attributes = [
            OTLPKeyValue.with {
                $0.key = "x"; $0.value = nested(20)
            }
        ]
        var fits = OTLPSamples.span("00f067aa0ba902b8", name: "fits")
        fits.attributes = [
            OTLPKeyValue.with {
                $0.key = "x"; $0.value = nested(10)
            }
        ]
        let mapped = SpanMapping.events(from: OTLPSamples.request([deep, fits]))
        #expect(mapped.spans.map(\.path) == ["resourceSpans[0].scopeSpans[0].spans[1]"])
        #expect(mapped.rejected.first?.reason.hasPrefix("attributes nest too deep") == true)
    }
}
