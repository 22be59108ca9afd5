// Helper subcommands for the backup tests:
//
//   CatalogTestHelper create-loop PATH KEY_FILE COUNT
//       Creates connections w_1 … w_COUNT, one write transaction each; each transaction also sets the comment of
//       connection `counter` (created first) to the number just created. Prints `committed N` after each commit.
//   CatalogTestHelper hold PATH KEY_FILE
//       Opens the catalog, prints `open`, and sleeps until killed.
import CatalogSealing
import ConnectionCatalog

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a backup helper subcommand if `arguments` name one; returns `false` otherwise.
func runBackupHelper(_ arguments: [String]) -> Bool {
    guard arguments.count >= 4, ["create-loop", "hold"].contains(arguments[1]) else { return false }
    do {
        let catalog = try Catalog.open(at: arguments[2], keySource: .keyFile(path: arguments[3]))
        if arguments[1] == "hold" {
            emit("open")
            while true { sleep(60) }
        }
        guard arguments.count >= 5, let count = Int(arguments[4]) else {
            emit("usage: CatalogTestHelper create-loop PATH KEY_FILE COUNT")
            exit(2)
        }
        let counter = try ConnectionName("counter")
        try catalog.writeBlocking { writer in
            if try writer.connection(named: counter) == nil { try writer.create(loopDraft(counter)) }
        }
        for index in 1...count {
            try catalog.writeBlocking { writer in
                try writer.create(loopDraft(try ConnectionName("w_\(index)")))
                try writer.alter(counter, .comment("\(index)"))
            }
            emit("committed \(index)")
        }
    } catch {
        emit("error \(error)")
        exit(1)
    }
    return true
}

private func loopDraft(_ name: ConnectionName) -> ConnectionDraft {
    ConnectionDraft(
        name: name, type: .cloudFunction,
        properties: [
            ("PROVIDER", "aws"), ("REGION", "us-east-1"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/lakehouse"),
            ("CODE_BUCKET", "lakehouse-code"),
        ])
}
