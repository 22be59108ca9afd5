import ConnectionCatalog

/// The check after a run: every acknowledged ALTER is in the catalog exactly once, at the version it was
/// acknowledged with, and every connection's versions (history and current) run 1, 2, … without a gap.
struct LostUpdateCheck {
    var acknowledged = 0
    var connectionsRead = 0
    var versionsRead = 0
    /// Acknowledged ALTERs that are missing, duplicated or at another version, one line each.
    var lost: [String] = []
    /// Connections whose versions are not 1…current exactly once each, or that are missing.
    var broken: [String] = []

    var passed: Bool { lost.isEmpty && broken.isEmpty }

    /// Reads every target's current record and history in one snapshot and checks them against `acknowledgements`.
    static func run(catalog: Catalog, targets: [LoadTarget], acknowledgements: [Acknowledgement]) throws -> Self {
        var check = Self()
        check.acknowledged = acknowledgements.count
        var byConnection: [String: [Acknowledgement]] = [:]
        for ack in acknowledgements { byConnection["\(ack.workspace).\(ack.name)", default: []].append(ack) }
        try catalog.read { reader in
            for target in targets {
                let key = "\(target.workspace.rawValue).\(target.name.rawValue)"
                guard let current = try reader.connection(named: target.name, in: target.workspace) else {
                    check.broken.append("\(key): missing")
                    continue
                }
                let versions = try reader.history(of: current.id) + [current]
                check.connectionsRead += 1
                check.versionsRead += versions.count
                let numbers = versions.map(\.version).sorted()
                if numbers != Array(1...max(1, current.version)) {
                    check.broken.append("\(key): versions \(numbers), expected 1…\(current.version) once each")
                }
                for ack in byConnection[key] ?? [] {
                    let found = versions.filter { $0.comment == ack.comment }
                    if found.count != 1 || found[0].version != ack.version {
                        check.lost.append(
                            "\(key): comment '\(ack.comment)' acknowledged at version \(ack.version), found "
                                + (found.isEmpty ? "nowhere" : "at version(s) \(found.map(\.version))"))
                    }
                }
            }
        }
        let known = Set(targets.map { "\($0.workspace.rawValue).\($0.name.rawValue)" })
        for (key, acks) in byConnection where !known.contains(key) {
            check.lost.append("\(key): \(acks.count) acknowledged ALTER(s) on a connection outside the targets")
        }
        return check
    }
}
