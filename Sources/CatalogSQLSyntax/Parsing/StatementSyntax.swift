/// The syntax of each statement, for people: what the shell's `\h` prints. The text matches docs/sql.md.
public enum StatementSyntax: Sendable {
    /// One statement's help: its name (`CREATE CONNECTION`), a one-line summary and its grammar.
    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        public let syntax: String
    }

    /// Every statement, in the order of docs/sql.md.
    public static let entries: [Entry] = [
        Entry(
            name: "CREATE CONNECTION", summary: "create an API or STORAGE connection",
            syntax: """
                CREATE { API | STORAGE } CONNECTION [IF NOT EXISTS] name TYPE [=] type
                    [ properties ] [ { COMMENT | COMMENTS } [=] string ]
                properties := assignment [ [,] assignment ]…                 -- KEY = '…' KEY = '…'
                            | WITH PROPERTIES ( assignment [, assignment]… ) -- ('cloud_function.region' = '…', …)
                assignment := key = { string | number }
                type       := CLOUD_FUNCTION | OSS | COS | S3
                """),
        Entry(
            name: "DESC CONNECTION", summary: "describe a connection (or one of its earlier versions)",
            syntax: """
                { DESC | DESCRIBE } CONNECTION [EXTENDED] name [ AS OF VERSION n ]
                """),
        Entry(
            name: "SHOW CONNECTIONS", summary: "list connections",
            syntax: """
                SHOW [ API | STORAGE ] CONNECTIONS
                    [ LIKE string | WHERE column = string [ AND column = string ]… ]
                column := name | category | type | enabled | created_time
                """),
        Entry(
            name: "SHOW CONNECTION HISTORY", summary: "the versions of a connection and what each changed",
            syntax: """
                SHOW CONNECTION HISTORY name
                """),
        Entry(
            name: "ALTER CONNECTION", summary: "change a connection",
            syntax: """
                ALTER CONNECTION [IF EXISTS] name action
                action := SET assignment [, assignment]…
                        | UNSET key [, key]…
                        | SET COMMENT [=] string
                        | RENAME TO name
                        | ENABLE | DISABLE
                        | ROTATE EXTERNAL_ID
                """),
        Entry(
            name: "DROP CONNECTION", summary: "remove a connection",
            syntax: """
                DROP CONNECTION [IF EXISTS] name
                """),
        Entry(name: "BEGIN", summary: "start a transaction", syntax: "BEGIN [TRANSACTION | WORK]"),
        Entry(name: "COMMIT", summary: "commit the transaction", syntax: "COMMIT [TRANSACTION | WORK]"),
        Entry(name: "ROLLBACK", summary: "discard the transaction", syntax: "ROLLBACK [TRANSACTION | WORK]"),
    ]

    /// The entries `topic` names: every entry whose name starts with its words (`CREATE`, `show connection`,
    /// `DESCRIBE`); all of them for an empty topic; none for an unknown one.
    public static func entries(for topic: String) -> [Entry] {
        var words = topic.uppercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).map(String.init)
        if words.first == "DESCRIBE" { words[0] = "DESC" }
        guard !words.isEmpty else { return entries }
        return entries.filter { entry in
            let names = entry.name.split(separator: " ").map(String.init)
            guard names.count >= words.count else {
                // `SHOW CONNECTIONS LIKE` still names SHOW CONNECTIONS.
                return words.starts(with: names)
            }
            return zip(names, words).allSatisfy { name, word in
                word == name || (word == words.last && name.hasPrefix(word))
            }
        }
    }

    /// The text `\h topic` prints: each matching entry as `Command: …`, `Description: …`, `Syntax:` and its
    /// grammar; with no topic, the list of statements.
    public static func help(for topic: String) -> String {
        let trimmed = topic.trimmingCharacters(in: " \t;")
        if trimmed.isEmpty {
            return "Available help (\\h STATEMENT for its syntax):\n"
                + entries.map { "  \($0.name)" }.joined(separator: "\n") + "\n"
        }
        let found = entries(for: trimmed)
        guard !found.isEmpty else {
            return "No help for '\(trimmed)'. Try \\h with no arguments to list the statements.\n"
        }
        return found.map { entry in
            "Command:     \(entry.name)\nDescription: \(entry.summary)\nSyntax:\n"
                + entry.syntax.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(
                    separator: "\n")
                + "\n"
        }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
