import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog rotate-key`: adds a data key and re-seals every sealed value with it, in one transaction (on etcd:
/// in bounded steps; a rotation interrupted is finished by running the command again).
struct RotateKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key", abstract: "Add a new data key and re-seal every secret with it.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(mustExist: true)
        let progress = Progress(label: "re-sealing records")
        do {
            let keyID = try catalog.rotateDataKey { done, total in progress.update(done: done, total: total) }
            progress.finish()
            output.write(.ok(notices: ["rotated to data key \(keyID); every secret is now sealed with it"]))
        } catch {
            progress.finish()
            output.fail(error)
            throw OperationFailed()
        }
    }
}
