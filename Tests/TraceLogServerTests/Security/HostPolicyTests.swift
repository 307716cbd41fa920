import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TraceLogServer

/// Issue 14 item 12: a loopback server with no token is not open to any web page.
@Suite struct HostPolicyTests {
    static func get(_ path: String, host: String) -> String {
        "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
    }

    @Test func aRebindingHostGets403AndTheBoundNamesAreServed() async throws {
        let server = try TestServer()
        try await server.test(.live) { client in
            let port = try #require(client.port)
            for (host, status) in [
                ("evil.example:\(port)", "403"), ("evil.example", "403"), ("127.0.0.1.evil.example", "403"),
                ("127.0.0.1:\(port)", "200"), ("localhost:\(port)", "200"), ("LOCALHOST.", "200"),
                ("[::1]:\(port)", "200"), ("10.1.2.3", "403"),
            ] {
                let socket = try LoopbackSocket(port: port)
                socket.send(Self.get("/v1/traces", host: host))
                let response = await socket.readResponse(timeout: .seconds(30)) ?? ""
                #expect(response.hasPrefix("HTTP/1.1 \(status)"), "Host: \(host)")
                if status == "403" { #expect(response.contains("--allowed-host")) }
            }
        }
    }

    @Test func allowedHostsAddNamesAndAStarAcceptsAny() async throws {
        let named = HostPolicy(boundHost: "127.0.0.1", allowed: ["traces.example.org"])
        #expect(named.allows(authority: "traces.example.org:443"))
        #expect(named.allows(authority: "TRACES.example.org"))
        #expect(!named.allows(authority: "other.example.org"))
        let any = HostPolicy(boundHost: "127.0.0.1", allowed: ["*"])
        #expect(any.allows(authority: "whatever.example"))
        let wildcard = HostPolicy(boundHost: "0.0.0.0", allowed: [])
        #expect(wildcard.allows(authority: "192.168.1.20:8080"))
        #expect(wildcard.allows(authority: "[fe80::1]:8080"))
        #expect(wildcard.allows(authority: "localhost"))
        #expect(!wildcard.allows(authority: "rebind.attacker.example"))
        let specific = HostPolicy(boundHost: "10.0.0.5", allowed: [])
        #expect(specific.allows(authority: "10.0.0.5:8080"))
        #expect(!specific.allows(authority: "10.0.0.6"))
        #expect(!specific.allows(authority: "localhost"))
        #expect(named.allows(authority: nil), "HTTP/1.0 requests without a Host header")
        let withPort = HostPolicy(boundHost: "127.0.0.1", allowed: ["proxy.example:8443", "[fd00::5]"])
        #expect(withPort.allows(authority: "proxy.example"))
        #expect(withPort.allows(authority: "[fd00:0::5]:80"))
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.4.5.6", true), ("localhost", true), ("::1", true), ("[::1]", true),
        ("0.0.0.0", false), ("::", false), ("192.168.1.2", false), ("example.org", false),
    ])
    func bindingBeyondLoopbackNeedsATokenOrTheInsecureFlag(host: String, loopback: Bool) throws {
        #expect(ServerConfiguration(host: host).bindsBeyondLoopback == !loopback)
        if loopback {
            try ServerConfiguration(host: host).validate()
        } else {
            #expect(throws: ServerConfiguration.Problem.self) { try ServerConfiguration(host: host).validate() }
            try ServerConfiguration(host: host, token: "t").validate()
            try ServerConfiguration(host: host, insecureNoAuth: true).validate()
        }
    }

    @Test func jsonRoutesRefuseOtherContentTypesWith415AndStoreNothing() async throws {
        let server = try TestServer()
        try await server.test(.live) { client in
            let body = ByteBuffer(text: Sample.cascade)
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                for uri in ["/v1/events", "/v1/webhooks/github", "/v1/purge"] {
                    let response = try await client.execute(
                        uri: uri, method: .post, headers: [.contentType: contentType], body: body)
                    #expect(response.status == .unsupportedMediaType, "\(contentType) \(uri)")
                    #expect((response.object["error"] as? String)?.contains("application/json") == true)
                }
            }
            // A page can also send a body with no type at all.
            let socket = try LoopbackSocket(port: try #require(client.port))
            socket.send("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}")
            #expect(await socket.readResponse(timeout: .seconds(30))?.hasPrefix("HTTP/1.1 415") == true)
            #expect(server.recordCount == 0)
            for contentType in ["application/json", "application/x-ndjson; charset=utf-8", "application/jsonl"] {
                let response = try await client.execute(
                    uri: "/v1/events", method: .post, headers: [.contentType: contentType],
                    body: ByteBuffer(
                        text: Sample.trigger.replacingOccurrences(of: "ti-1", with: "ti-\(contentType.count)")))
                #expect(response.status == .ok, "\(contentType)")
            }
        }
    }

    @Test(
        arguments: [
            ("application/json", true), ("Application/JSON; charset=utf-8", true), ("application/vnd.api+json", true),
            ("application/x-ndjson", true), ("text/plain", false), ("text/json", false), (nil, false), ("", false),
        ] as [(String?, Bool)])
    func jsonContentTypes(contentType: String?, accepted: Bool) {
        #expect(JSONContentTypeMiddleware<BasicRequestContext>.isJSON(contentType) == accepted)
    }
}
