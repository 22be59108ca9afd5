/// Comparing statements by meaning, not by where they were written.
extension Statement {
    /// The same statement with every source range set to `.unknown`.
    ///
    /// Positions take part in `==`, so two parses of differently laid out text differ; compare
    /// `a.erasingPositions() == b.erasingPositions()` to ask whether they say the same thing.
    public func erasingPositions() -> Statement {
        switch self {
        case .createConnection(var create):
            create.name.position = .unknown
            create.typeName.position = .unknown
            create.properties = create.properties.map(\.erasingPositions)
            return .createConnection(create)
        case .describeConnection(var describe):
            describe.name.position = .unknown
            describe.versionPosition = .unknown
            return .describeConnection(describe)
        case .showConnectionHistory(var history):
            history.name.position = .unknown
            return .showConnectionHistory(history)
        case .showConnections(var show):
            if case .where(let conditions) = show.filter {
                show.filter = .where(
                    conditions.map {
                        ShowCondition(
                            column: SQLIdentifier($0.column.text, isQuoted: $0.column.isQuoted), value: $0.value)
                    })
            }
            return .showConnections(show)
        case .dropConnection(var drop):
            drop.name.position = .unknown
            return .dropConnection(drop)
        case .alterConnection(var alter):
            alter.name.position = .unknown
            switch alter.action {
            case .set(let properties): alter.action = .set(properties.map(\.erasingPositions))
            case .unset(let keys): alter.action = .unset(keys.map { PropertyName($0.key) })
            case .rename(let newName): alter.action = .rename(SQLIdentifier(newName.text, isQuoted: newName.isQuoted))
            case .setComment, .enable, .disable, .rotateExternalID: break
            }
            return .alterConnection(alter)
        case .begin, .commit, .rollback:
            return self
        }
    }
}

extension PropertyAssignment {
    var erasingPositions: PropertyAssignment { PropertyAssignment(key: key, value: value) }
}
