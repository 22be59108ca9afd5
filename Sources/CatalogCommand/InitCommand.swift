import ArgumentParser
import CatalogStorage

/// `catalog init`: creates the catalog at the chosen path, or confirms the one there.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the catalog if it does not exist.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let environment = try CatalogFiles.open(at: global.catalogPath)
        print("catalog ready at \(environment.path)")
    }
}
