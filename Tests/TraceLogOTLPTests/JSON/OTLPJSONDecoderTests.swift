import Foundation
import SwiftProtobuf
import Testing

@testable import TraceLogOTLP

@Suite struct OTLPJSONDecoderTests {
    @Test func theCollectorFileExporterShapeDecodesWithHexIDsAndEitherIntegerSpelling() throws {
        let lines = try OTLPSamples.fixture("collector-file-exporter.jsonl").split(separator: UInt8(ascii: "\n"))
        let child = try OTLPJSONDecoder().request(from: Array(lines[0]))
        let span = child.resourceSpans[0].scopeSpans[0].spans[0]
        #expect(HexID.encode(span.traceID) == "5b8efff798038103d269b633813fc60c")  // uppercase hex accepted
        #expect(HexID.encode(span.parentSpanID) == "eee19b7ec3c1b173")
        #expect(span.kind == .client)
        #expect(span.startTimeUnixNano == 1_795_000_000_000_100_000)  // a string
        #expect(span.attributes[1].value.intValue == 42)
        #expect(span.hasStatus && span.status.code == .unset)
        #expect(child.resourceSpans[0].schemaURL == "https://opentelemetry.io/schemas/1.26.0")
        let parent = try OTLPJSONDecoder().request(from: Array(lines[1])).resourceSpans[0].scopeSpans[0].spans[0]
        #expect(parent.startTimeUnixNano == 1_795_000_000_000_000_000)  // a number
        #expect(parent.status.code == .error && parent.status.message == "upstream timeout")
        #expect(parent.flags == 257)
        #expect(parent.attributes[5].value.bytesValue == Data([0, 1, 2, 255]))
        #expect(parent.links[0].flags == 1)
        #expect(parent.attributes[4].value.kvlistValue.values[0].value.stringValue == "stock")
    }

    @Test func encodingThenDecodingGivesAnEqualMessage() throws {
        for line in try OTLPSamples.fixture("collector-file-exporter.jsonl").split(separator: UInt8(ascii: "\n")) {
            let request = try OTLPJSONDecoder().request(from: Array(line))
            let again = try OTLPJSONDecoder().request(from: OTLPJSONEncoder().encode(request))
            #expect(again == request)
            // And protobuf agrees: the same message through the binary encoding.
            #expect(try OTLPExportTraceServiceRequest(serializedBytes: request.serializedBytes() as [UInt8]) == request)
        }
    }

    @Test func encodedJSONFollowsOTLPConventions() throws {
        var span = OTLPSamples.span("00f067aa0ba902b7", parent: "53995c3f42cd8ad8", name: "GET")
        span.attributes.append(OTLPSamples.attribute("nan", .doubleValue(.nan)))
        span.attributes.append(OTLPSamples.attribute("empty", .stringValue("")))
        let text = String(decoding: OTLPJSONEncoder().encode(OTLPSamples.request([span])), as: UTF8.self)
        #expect(text.contains(#""traceId":"4bf92f3577b34da6a3ce929d0e0e4736""#))  // hex, not base64
        #expect(text.contains(#""spanId":"00f067aa0ba902b7""#))
        #expect(text.contains(#""startTimeUnixNano":"1795000000123456789""#))  // 64-bit integers as strings
        #expect(text.contains(#""kind":2"#))  // enums as integers
        #expect(text.contains(#""intValue":"2""#))
        #expect(text.contains(#""doubleValue":"NaN""#))
        #expect(text.contains(#"{"key":"empty","value":{"stringValue":""}}"#))  // a set value stays set
        #expect(text.contains(#""status":{}"#))  // a present message stays present
        #expect(!text.contains("\n"))
        let decoded = try OTLPJSONDecoder().request(from: Array(text.utf8))
        #expect(decoded.resourceSpans[0].scopeSpans[0].spans[0].attributes.last?.value.value == .stringValue(""))
    }

    @Test func unknownKeysAreIgnoredAndSnakeCaseAndEnumNamesAreAccepted() throws {
        let text =
            #"{"resource_spans":[{"future":1,"scope_spans":[{"spans":[{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","name":"x","kind":"SPAN_KIND_PRODUCER","status":{"code":"STATUS_CODE_OK"},"somethingNew":{"a":[1]}}]}]}]}"#
        let span = try OTLPJSONDecoder().request(from: Array(text.utf8)).resourceSpans[0].scopeSpans[0].spans[0]
        #expect(span.kind == .producer)
        #expect(span.status.code == .ok)
        #expect(span.name == "x")
    }

    @Test(arguments: [
        (
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz"}]}]}]}"#,
            #"field "resourceSpans[0].scopeSpans[0].spans[0].traceId": expected hex digits"#
        ),
        (
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}"#,
            #"field "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano": expected an unsigned 64-bit integer, got soon"#
        ),
        (
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","name":"b"}]}]}]}"#,
            #"field "resourceSpans[0].scopeSpans[0].spans[0].name": key given twice"#
        ),
        (#"{"resourceSpans":{}}"#, #"field "resourceSpans": expected an array, got an object"#),
        (
            #"{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"stringValue":"a","intValue":1}}]}}]}"#,
            #"field "resourceSpans[0].resource.attributes[0].value.intValue": a value holds one of its fields; this is the second"#
        ),
        (
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_SIDEWAYS"}]}]}]}"#,
            #"field "resourceSpans[0].scopeSpans[0].spans[0].kind": unknown value "SPAN_KIND_SIDEWAYS""#
        ),
        (
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"droppedEventsCount":4294967296}]}]}]}"#,
            #"field "resourceSpans[0].scopeSpans[0].spans[0].droppedEventsCount": expected an unsigned 32-bit integer"#
        ),
        (#"{"resourceSpans":[}"#, "invalid JSON at byte 18"),
    ])
    func badBodiesAreRefusedNamingTheField(body: String, message: String) {
        #expect {
            try OTLPJSONDecoder().request(from: Array(body.utf8))
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func nestingPastTheLimitIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: OTLPDecodingError.self) { try OTLPJSONDecoder().request(from: Array(deep.utf8)) }
    }
}
