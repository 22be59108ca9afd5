import ArgumentParser
import CatalogSQL
import CatalogSealing
import ConnectionCatalog
import Foundation

/// `catalog rekey --new-key-file PATH`: moves the catalog to a new master key, written to a new key file first.
///
/// When the catalog opens with its default key file (`<path>.key`: no `--key-file`, `$CATALOG_KEY_FILE` or
/// `$CATALOG_MASTER_KEY`), that file is replaced too, so the next plain command still opens the catalog:
/// the old key is kept as `<path>.key.old` before the catalog moves, and the default file is replaced
/// atomically only after the rekey committed.
struct RekeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey", abstract: "Re-wrap the catalog's keyring under a new master key in a new key file.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Where to create the new master key file (must not exist).")
    var newKeyFile: String

    func run() throws {
        let output = Output(format: global.format)
        let opener = CatalogOpener(options: global, output: output)
        let catalog = try opener.open(mustExist: true)
        guard !FileManager.default.fileExists(atPath: newKeyFile) else {
            throw ValidationError("'\(newKeyFile)' already exists; choose a new path for the new key file")
        }
        var defaultKeyFile: String?
        if case .keyFile(let path) = opener.keySource, path == opener.defaultKeyFile { defaultKeyFile = path }
        if let defaultKeyFile {
            let old = KeyFileReplacement.previousPath(of: defaultKeyFile)
            guard !FileManager.default.fileExists(atPath: old) else {
                output.fail(
                    CatalogError(
                        .alreadyExists,
                        "'\(old)' exists (the key before an earlier rekey; backups taken before it need it); move it "
                            + "somewhere safe, then run rekey again", details: ["path": old]))
                throw OperationFailed()
            }
        }
        do {
            // The new key is on disk (0600, synced) before the catalog depends on it.
            let newKey = try MasterKeySource.keyFile(path: newKeyFile).resolve()
            var notices = ["the catalog now opens only with \(newKeyFile); keep it safe and retire the old key file"]
            if let defaultKeyFile {
                // Until the rekey commits the default file must keep the old key; after it, the new one.
                let old = try KeyFileReplacement.keepPrevious(of: defaultKeyFile)
                try catalog.rekey(to: newKey)
                try KeyFileReplacement.install(newKey, at: defaultKeyFile)
                notices = [
                    "the catalog now opens only with the new key, written to \(newKeyFile) and to its default key file "
                        + "\(defaultKeyFile), which was replaced",
                    "the old key is kept in \(old): backups taken before this rekey need it to verify or restore; "
                        + "keep it apart from the catalog, and delete it when you no longer need those backups",
                ]
            } else {
                try catalog.rekey(to: newKey)
            }
            output.write(.ok(notices: notices))
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
    }
}
