#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which `Host` header values the server answers: the defence against DNS rebinding, where a web page makes its
/// own name resolve to the server's address and then reads the log with the browser's same-origin blessing.
///
/// A rebinding page always sends its own DNS name, so the policy accepts:
/// - the bound address as given (`--host`), and for a loopback bind `localhost`, `127.0.0.1` and `::1`;
/// - for a wildcard bind (`0.0.0.0`, `::`), any IP literal (no page can make a browser send one for its own
///   origin) and `localhost`;
/// - the names given with `--allowed-host` (a proxy's or the machine's DNS name), or any host for `*`.
///
/// The port in the header is ignored; names are compared without case and without a trailing dot. A request
/// without a `Host` header (HTTP/1.0 tools) is accepted: browsers always send one.
struct HostPolicy: Sendable {
    /// Accepted names, lowercased, IP literals in their canonical form; nil accepts every host.
    private let names: Set<String>?
    /// Whether any IP literal is accepted (wildcard binds).
    private let anyAddress: Bool

    /// The policy for a server bound to `host` with the extra names `allowed`.
    init(boundHost host: String, allowed: [String]) {
        if allowed.contains("*") {
            names = nil
            anyAddress = true
            return
        }
        var names = Set(allowed.map { Self.normalized(Self.hostPart(of: $0)) })  // a port given is ignored
        let bound = Self.normalized(host)
        names.insert(bound)
        if Self.isLoopback(host) { names.formUnion(["localhost", "127.0.0.1", "::1"]) }
        anyAddress = Self.isWildcard(bound)
        if anyAddress { names.insert("localhost") }
        self.names = names
    }

    /// Whether a request whose `Host` header (its authority) is `authority` may be served.
    func allows(authority: String?) -> Bool {
        guard let names, let authority, !authority.isEmpty else { return true }
        let host = Self.normalized(Self.hostPart(of: authority))
        return names.contains(host) || (anyAddress && Self.ipLiteral(host) != nil)
    }

    /// The host of `host[:port]` or `[v6]:port`.
    static func hostPart(of authority: String) -> String {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return authority }
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        // More than one colon without brackets is a bare IPv6 address; one colon separates the port.
        if authority.filter({ $0 == ":" }).count == 1, let colon = authority.firstIndex(of: ":") {
            return String(authority[..<colon])
        }
        return authority
    }

    /// Lowercased, without brackets or a trailing dot; IP literals in canonical form (`::0001` is `::1`).
    static func normalized(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix("."), name.count > 1 { name.removeLast() }
        return ipLiteral(name) ?? name
    }

    /// Whether binding `host` keeps the server on this machine: `localhost`, 127.0.0.0/8 or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let name = normalized(host)
        if name == "localhost" || name == "::1" { return true }
        var address = in_addr()
        guard inet_pton(AF_INET, name, &address) == 1 else { return false }
        return UInt32(bigEndian: address.s_addr) >> 24 == 127
    }

    /// Whether `host` (normalized) is the any-address.
    static func isWildcard(_ host: String) -> Bool {
        host == "0.0.0.0" || host == "::" || host.isEmpty
    }

    /// The canonical text of an IPv4 or IPv6 literal, or nil for a name.
    static func ipLiteral(_ text: String) -> String? {
        // Room for either address family (16 bytes) and either text form.
        var address = [UInt8](repeating: 0, count: 16)
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        for family in [AF_INET, AF_INET6] where inet_pton(family, text, &address) == 1 {
            guard inet_ntop(family, address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }
}
