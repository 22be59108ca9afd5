// A helper process for the catalog tests: a second process that changes connections with expected versions.
//
//   CatalogTestHelper alter PATH KEY_FILE WORKER ROUNDS NAME…
//
// Each round reads a connection's version in one transaction and sets its comment to `WORKER:round` in
// another, expecting that version. Prints `ok NAME VERSION COMMENT` for each change that landed and
// `conflict NAME` for each that met a newer version.
import CatalogSealing
import ConnectionCatalog

#if canImport(Glibc)
    import Glibc
#endif

func emit(_ line: String) {
    let bytes = Array("\(line)\n".utf8)
    _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
if runBackupHelper(arguments) { exit(0) }
guard arguments.count >= 6, arguments[1] == "alter", let rounds = Int(arguments[5]) else {
    emit("usage: CatalogTestHelper alter PATH KEY_FILE WORKER ROUNDS NAME…")
    exit(2)
}
/// Runs the alter rounds; a conflict is reported and the rounds go on, any other error ends the process.
func alterRounds(path: String, keyFile: String, worker: String, rounds: Int, names: [String]) throws {
    let catalog = try Catalog.open(at: path, keySource: .keyFile(path: keyFile))
    let names = try names.map { try ConnectionName($0) }
    for round in 0..<rounds {
        let name = names[round % names.count]
        let version = try catalog.read { reader in try reader.connection(named: name)!.version }
        let comment = "\(worker):\(round)"
        do {
            let changed = try catalog.writeBlocking { writer in
                try writer.alter(name, expectedVersion: version, .comment(comment))
            }
            emit("ok \(name) \(changed.version) \(comment)")
        } catch {
            // Not `catch … where`: Swift 6.3.1 crashes on that pattern over a typed throw inside this loop.
            guard error.code == .conflict else { throw error }
            emit("conflict \(name)")
        }
    }
}

do {
    try alterRounds(
        path: arguments[2], keyFile: arguments[3], worker: arguments[4], rounds: rounds, names: Array(arguments[6...]))
} catch {
    emit("error \(error)")
    exit(1)
}
