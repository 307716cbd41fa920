import Foundation
import SwiftProtobuf
import Testing
import TraceLog
import TraceLogStorage
import TraceLogTestSupport

@testable import TraceLogOTLP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real OpenTelemetry Python SDK (`opentelemetry-sdk` + `opentelemetry-exporter-otlp-proto-http` from PyPI)
/// exporting to a real `tracelog serve` on loopback. Opt-in, as the suite cannot install PyPI packages:
/// `bash tools/otlp/python-sdk-check.sh` makes a virtualenv and runs this test with `TRACELOG_OTEL_PYTHON` set to
/// its python.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TRACELOG_OTEL_PYTHON"] != nil))
struct PythonSDKTests {
    static var python: String { ProcessInfo.processInfo.environment["TRACELOG_OTEL_PYTHON"] ?? "python3" }

    @Test func theSDKsTraceComesBackWholeAndFieldForField() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tracelog-python-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("log").path
        // The server, on a free port, with a token.
        let server = Process()
        server.executableURL = URL(fileURLWithPath: BuiltTool.path("tracelog"))
        server.arguments = ["serve", "--log", log, "--port", "0", "--token", "py-s3cret", "--durability", "none"]
        let serverOutput = Pipe()
        server.standardOutput = serverOutput
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let banner = await ChildProcess.read(serverOutput) { $0.contains("\n") }
        let base = try #require(banner.split(separator: " ").first { $0.hasPrefix("http://") }).trimmingCharacters(
            in: CharacterSet(charactersIn: "/"))

        // The SDK, configured only through its standard environment variables.
        let sent = directory.appendingPathComponent("sent.pb")
        var environment = ProcessInfo.processInfo.environment
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = base
        environment["OTEL_EXPORTER_OTLP_HEADERS"] = "Authorization=Bearer%20py-s3cret"
        let sdk = try await ChildProcess.run(
            "/usr/bin/env",
            [
                Self.python,
                URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("Fixtures/otel_sdk_export.py").path,
                sent.path,
            ], environment: environment)
        let printed = sdk.stdout
        let warnings = sdk.stderr
        #expect(sdk.status == 0, "\(warnings)")
        #expect(!warnings.contains("Failed to export"), "\(warnings)")
        let traceHex = printed.trimmingCharacters(in: .whitespacesAndNewlines)

        // The trace comes back whole through GET /v1/traces/{id}.
        var request = URLRequest(url: URL(string: "\(base)/v1/traces/\(traceHex)")!)
        request.setValue("Bearer py-s3cret", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let trace = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(trace["tag"] as? String == "python-orders")
        let components = try #require(trace["components"] as? [[String: Any]])
        let expected = try OTLPExportTraceServiceRequest(serializedBytes: [UInt8](try Data(contentsOf: sent)))
        let spans = OTLPSamples.spansByID(expected)
        #expect(Set(components.compactMap { $0["id"] as? String }) == Set(spans.keys))
        for component in components {
            let id = try #require(component["id"] as? String)
            let parent = (component["caused_by"] as? [String: Any])?["id"] as? String
            let expectedParent = spans[id].map { HexID.encode($0.2.parentSpanID) }
            #expect((parent ?? "") == expectedParent, "parent of \(id)")
        }
        server.terminate()
        await ChildProcess.waitForExit(server)

        // And export gives every span back as the SDK encoded it.
        let store = try TraceStore.openReadOnly(directory: log)
        let records = try #require(try store.trace(TraceID(hex: traceHex)!)).records
        let exported = try OTLPJSONDecoder().request(from: Array(OTLPExporter(mode: .trace).json(for: records).utf8))
        let back = OTLPSamples.spansByID(exported)
        #expect(back.count == 4)
        for (id, original) in spans {
            var span = original.2
            span.unknownFields = UnknownStorage()
            #expect(back[id]?.2 == span, "span \(id)")
            #expect(back[id]?.1 == original.1, "scope of \(id)")
            #expect(back[id]?.0 == original.0, "resource of \(id)")
        }
        let charge = try #require(back.values.first { $0.2.name == "charge-card" }?.2)
        #expect(charge.status.code == .error && charge.events.first?.name == "exception")
    }
}
