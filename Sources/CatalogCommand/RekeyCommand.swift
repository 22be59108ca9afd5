import ConnectionCatalog
import ArgumentParser
import CatalogSQL
import CatalogSealing
import Foundation

/// `catalog rekey --new-key-file PATH`: moves the catalog to a new master key, written to a new key file first.
struct RekeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey", abstract: "Re-wrap the catalog's keyring under a new master key in a new key file.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Where to create the new master key file (must not exist).")
    var newKeyFile: String

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(mustExist: true)
        guard !FileManager.default.fileExists(atPath: newKeyFile) else {
            throw ValidationError("'\(newKeyFile)' already exists; choose a new path for the new key file")
        }
        do {
            // The new key is on disk (0600, synced) before the catalog depends on it.
            let newKey = try MasterKeySource.keyFile(path: newKeyFile).resolve()
            try catalog.rekey(to: newKey)
            output.write(
                .ok(notices: ["the catalog now opens only with \(newKeyFile); keep it safe and retire the old key file"]))
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
    }
}
