import Foundation
import SwiftProtobuf
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogOTLP

@Suite struct OTLPTraceReceiverTests {
    static let root = "1111111111111111"
    static let child = "2222222222222222"
    static let grandchild = "3333333333333333"

    @Test func childrenArrivingBeforeTheirParentsAreStoredAndLinked() async throws {
        let log = try TemporaryStore()
        let receiver = OTLPTraceReceiver(store: log.store)
        // The grandchild first, then the child, then the root: three requests, each in another encoding.
        let first = OTLPSamples.request([OTLPSamples.span(Self.grandchild, parent: Self.child, name: "query")])
        let receipt1 = try await receiver.receive(try first.serializedBytes(), encoding: .protobuf)
        #expect(receipt1.accepted == 1 && receipt1.rejected.isEmpty && receipt1.body.isEmpty)
        let second = OTLPSamples.request([OTLPSamples.span(Self.child, parent: Self.root, name: "load")])
        _ = try await receiver.receive(OTLPJSONEncoder().encode(second), encoding: .json)
        var trace = try #require(try log.store.trace(OTLPSamples.traceID))
        #expect(trace.tag == "orders")  // created by the first span that named it
        let query = trace.components(matching: .execution, id: Self.grandchild)
        #expect(trace.causationChain(of: query).map(\.id).sorted() == [Self.child, Self.grandchild])
        let third = OTLPSamples.request([OTLPSamples.span(Self.root, name: "GET /orders/{id}")])
        _ = try await receiver.receive(try third.serializedBytes(), encoding: .protobuf)
        trace = try #require(try log.store.trace(OTLPSamples.traceID))
        #expect(trace.components.count == 3)
        #expect(trace.causationChain(of: query).map(\.id).sorted() == [Self.root, Self.child, Self.grandchild])
        let root = trace.components(matching: .execution, id: Self.root)
        #expect(trace.effects(of: root).map(\.id).sorted() == [Self.root, Self.child, Self.grandchild])
    }

    @Test func exportGivesEverySpanBackFieldForField() async throws {
        let log = try TemporaryStore()
        var spans = [
            OTLPSamples.span(Self.grandchild, parent: Self.child, name: "query", error: "deadlock"),
            OTLPSamples.span(Self.child, parent: Self.root, name: "load"),
            OTLPSamples.span(Self.root, name: "GET /orders/{id}"),
        ]
        spans[0].traceState = "vendor=abc"
        spans[0].flags = 0x301
        spans[0].droppedAttributesCount = 3
        spans[0].droppedEventsCount = 1
        spans[0].droppedLinksCount = 2
        var link = OTLPSpan.Link()
        link.traceID = OTLPSamples.bytes("0af7651916cd43dd8448eb211c80319c")
        link.spanID = OTLPSamples.bytes("b7ad6b7169203331")
        link.traceState = "k=v"
        link.flags = 1
        link.attributes = [OTLPSamples.attribute("why", .stringValue("batch"))]
        spans[1].links = [link]
        spans[1].attributes.append(OTLPSamples.attribute("blob", .bytesValue(Data([0, 255]))))
        spans[1].attributes.append(OTLPSamples.attribute("ratio", .doubleValue(-0.125)))
        spans[2].status = OTLPStatus.with {
            $0.code = .ok; $0.message = "fine"
        }
        var request = OTLPSamples.request(Array(spans[0..<2]))
        request.resourceSpans[0].resource.droppedAttributesCount = 1
        request.resourceSpans[0].scopeSpans[0].schemaURL = "https://example.com/scope"
        request.resourceSpans[0].scopeSpans[0].scope.attributes = [OTLPSamples.attribute("lib", .boolValue(true))]
        // A second resource (another service) in the same trace.
        var other = OTLPSamples.request([spans[2]], service: "gateway").resourceSpans[0]
        other.scopeSpans[0].clearScope()
        request.resourceSpans.append(other)
        _ = try await OTLPTraceReceiver(store: log.store).receive(try request.serializedBytes(), encoding: .protobuf)

        let trace = try #require(try log.store.trace(OTLPSamples.traceID))
        let json = OTLPExporter(mode: .trace).json(for: trace.records)
        let exported = try OTLPJSONDecoder().request(from: Array(json.utf8))
        let sent = OTLPSamples.spansByID(request)
        let back = OTLPSamples.spansByID(exported)
        #expect(Set(back.keys) == Set(sent.keys))
        for (id, expected) in sent {
            let actual = try #require(back[id])
            #expect(actual.2 == expected.2, "span \(id)")
            #expect(actual.1 == expected.1, "scope of \(id)")
            #expect(actual.0 == expected.0, "resource of \(id)")
        }
        #expect(exported.resourceSpans.count == 2)  // grouped back by resource
    }

    @Test func aSpanStoredAlreadyIsRefusedAsADuplicateInAPartialSuccess() async throws {
        let log = try TemporaryStore()
        let receiver = OTLPTraceReceiver(store: log.store)
        let request = OTLPSamples.request([OTLPSamples.span(Self.root, name: "a")])
        _ = try await receiver.receive(try request.serializedBytes(), encoding: .protobuf)
        let records = log.store.reader.endSeq
        let again = OTLPSamples.request([
            OTLPSamples.span(Self.root, name: "a"), OTLPSamples.span(Self.child, parent: Self.root, name: "b"),
        ])
        let receipt = try await receiver.receive(OTLPJSONEncoder().encode(again), encoding: .json)
        #expect(receipt.accepted == 1)
        #expect(
            receipt.rejected == [
                "resourceSpans[0].scopeSpans[0].spans[0]: execution 1111111111111111 is already stored (a span is stored once)"
            ])
        let response = try OTLPJSONDecoder().response(from: receipt.body)
        #expect(response.partialSuccess.rejectedSpans == 1)
        #expect(response.partialSuccess.errorMessage.hasPrefix("1 of 2 spans rejected: resourceSpans[0]"))
        #expect(log.store.reader.endSeq == records + 1)
    }

    @Test func aSpanInAnotherTraceIsRefused() async throws {
        let log = try TemporaryStore()
        let receiver = OTLPTraceReceiver(store: log.store)
        _ = try await receiver.receive(
            try OTLPSamples.request([OTLPSamples.span(Self.root, name: "a")]).serializedBytes(), encoding: .protobuf)
        let elsewhere = OTLPSamples.span(Self.root, name: "a", trace: "00000000000000000000000000000001")
        let receipt = try await receiver.receive(
            try OTLPSamples.request([elsewhere]).serializedBytes(), encoding: .protobuf)
        #expect(receipt.accepted == 0)
        #expect(receipt.rejected.first?.contains("already belongs to trace 4bf92f3577b34da6a3ce929d0e0e4736") == true)
        #expect(try log.store.trace(TraceID(hex: "00000000000000000000000000000001")!) == nil)
        let response = try OTLPExportTraceServiceResponse(serializedBytes: receipt.body)
        #expect(response.partialSuccess.rejectedSpans == 1)
    }

    @Test(arguments: [OTLPEncoding.protobuf, .json])
    func anUndecodableBodyWritesNothing(encoding: OTLPEncoding) async throws {
        let log = try TemporaryStore()
        let body: [UInt8] = encoding == .json ? Array(#"{"resourceSpans":[{"scopeSpans":"#.utf8) : [0x0A, 0xFF, 0x01]
        await #expect {
            _ = try await OTLPTraceReceiver(store: log.store).receive(body, encoding: encoding)
        } throws: { error in
            guard case .undecodable = error as? OTLPReceiveError else { return false }
            return true
        }
        #expect(log.store.reader.endSeq == 0)
    }

    @Test func contentTypesWithParametersAreRecognised() {
        #expect(OTLPEncoding(contentType: "application/json; charset=utf-8") == .json)
        #expect(OTLPEncoding(contentType: "Application/X-Protobuf") == .protobuf)
        #expect(OTLPEncoding(contentType: "text/plain") == nil)
    }
}
