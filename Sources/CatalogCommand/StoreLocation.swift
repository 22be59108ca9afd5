import ArgumentParser

/// Where `--store etcd://host:port[,host:port…][/name]` (or `$CATALOG_STORE`) puts the catalog: the members of
/// an etcd cluster, and the catalog's name there.
///
/// Every key of the catalog lives under `/connection-catalog.<name>/` (then the keyspace, `meta`,
/// `connections`, `names` or `history`, and the key bytes), so several catalogs share a cluster without
/// meeting. The name defaults to `default`.
struct StoreLocation: Equatable, CustomStringConvertible {
    /// `host:port` of each member given, in order.
    var members: [String]
    /// The catalog's name on the cluster: letters, digits, `_`, `-` and `.`, 1 to 64 of them.
    var name: String

    /// The members as the etcd client takes them.
    var endpoints: [String] { members.map { "http://\($0)" } }

    /// The one path segment all the catalog's keys live under (`EtcdStore`'s prefix).
    var prefix: String { "connection-catalog.\(name)" }

    /// `etcd://host:port,…/name`, as messages name the catalog.
    var description: String { "etcd://\(members.joined(separator: ","))/\(name)" }

    /// Parses `etcd://host:port[,host:port…][/name]`.
    ///
    /// - Throws: `ValidationError` (bad usage, exit status 2) saying what is wrong.
    init(parsing text: String) throws {
        let scheme = "etcd://"
        guard text.hasPrefix(scheme) else {
            throw ValidationError(
                "--store takes etcd://host:port[,host:port…][/name], e.g. etcd://127.0.0.1:2379/sales; got '\(text)'")
        }
        var rest = Substring(text.dropFirst(scheme.count))
        var name = "default"
        if let slash = rest.firstIndex(of: "/") {
            name = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
            if name.hasSuffix("/") { name.removeLast() }
        }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed else {
            throw ValidationError(
                "the catalog name in --store '\(text)' must be 1 to 64 letters, digits, '_', '-' or '.'")
        }
        let members = rest.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for member in members {
            guard let colon = member.lastIndex(of: ":"), colon != member.startIndex,
                let port = Int(member[member.index(after: colon)...]), (1...65535).contains(port),
                !member.contains("@"), !member.contains("/")
            else {
                throw ValidationError("--store '\(text)': '\(member)' is not host:port (e.g. 127.0.0.1:2379)")
            }
        }
        self.members = members
        self.name = name
    }
}
