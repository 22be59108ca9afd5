import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog settings [list | set NAME VALUE | unset NAME]`: catalog settings such as the principal each
/// provider's trust policy names (`trust.aws.principal`, `trust.aliyun.principal`, `trust.tencent.principal`).
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or change catalog settings (e.g. trust.aws.principal).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "list, set NAME VALUE, or unset NAME")
    var words: [String] = []

    func validate() throws {
        switch words.first ?? "list" {
        case "list": guard words.count <= 1 else { throw ValidationError("usage: catalog settings list") }
        case "set": guard words.count == 3 else { throw ValidationError("usage: catalog settings set NAME VALUE") }
        case "unset": guard words.count == 2 else { throw ValidationError("usage: catalog settings unset NAME") }
        default: throw ValidationError("unknown settings action '\(words[0])'; use list, set or unset")
        }
    }

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(
            readOnly: (words.first ?? "list") == "list")
        do {
            switch words.first ?? "list" {
            case "set":
                try catalog.setSetting(words[1], to: words[2])
                output.write(.ok(notices: []))
            case "unset":
                try catalog.setSetting(words[1], to: nil)
                output.write(.ok(notices: []))
            default:
                let rows = try catalog.settings().map { [$0.name, $0.value] }
                output.write(.resultSet(ResultSet(columns: ["name", "value"], rows: rows)))
            }
        } catch var error where error.details["setting"] != nil {
            // The domain names the known settings; the hint is phrased here, for the person typing.
            let known = (error.details["known"] ?? "").split(separator: ",").joined(separator: ", ")
            if let suggestion = error.details["suggestion"] {
                error.message += "; did you mean '\(suggestion)'? Known settings: \(known)"
            } else {
                error.message += "; known settings: \(known)"
            }
            output.fail(error)
            throw OperationFailed()
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
    }
}
