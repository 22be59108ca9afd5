import ArgumentParser
import CatalogSQL
import CatalogSealing
import ConnectionCatalog
import Foundation

/// Opens the catalog the global options name, creating it and its key file on first use, and says so.
struct CatalogOpener {
    let options: GlobalOptions
    let output: Output

    /// Where the master key comes from: `--key-file`, `CATALOG_KEY_FILE`, `CATALOG_MASTER_KEY`, or the key file
    /// beside the catalog directory (`<path>.key`), which is created with the catalog.
    var keySource: MasterKeySource {
        if let file = options.keyFile { return .keyFile(path: file) }
        let environment = ProcessInfo.processInfo.environment
        if let file = environment["CATALOG_KEY_FILE"], !file.isEmpty { return .keyFile(path: file) }
        if let key = environment[MasterKeySource.environmentVariable], !key.isEmpty { return .environment }
        return .keyFile(path: defaultKeyFile)
    }

    var defaultKeyFile: String {
        var path = options.catalogPath
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return "\(path).key"
    }

    /// Opens the catalog; reports a failure in the chosen format and throws `OperationFailed`.
    ///
    /// Only `init` and `sql` create a missing catalog (`CatalogCreation`); `mustExist` overrides that either way.
    /// `readOnly` opens without writing anything: no migration of an older schema, no creation.
    func open(mustExist: Bool? = nil, readOnly: Bool = false) throws -> Catalog {
        let path = options.catalogPath
        let isNew = !FileManager.default.fileExists(atPath: "\(path)/data.mdb")
        var catalogOptions = Catalog.Options(creator: NSUserName())
        catalogOptions.mustExist = mustExist ?? !CatalogCreation.isAllowed
        catalogOptions.readOnly = readOnly
        do {
            let catalog = try Catalog.open(at: path, keySource: keySource, options: catalogOptions)
            if isNew {
                var message = "created a new catalog at \(catalog.path)"
                if case .keyFile(let keyFile) = keySource { message += " with master key file \(keyFile)" }
                output.note(message + "; keep the key file safe: without it the secrets cannot be read")
            }
            return catalog
        } catch {
            output.fail(withHint(error, path: path))
            throw OperationFailed()
        }
    }

    /// The domain's error with what the person can type next: the domain names the problem, the CLI the commands.
    private func withHint(_ error: CatalogError, path: String) -> CatalogError {
        var error = error
        switch (error.code, error.details["reason"]) {
        case (.notFound, "no_catalog"):
            error.message += "; `catalog init --path \(path)` creates one"
        case (.integrityError, "damaged_metadata"):
            error.message +=
                ": `catalog restore BACKUP --path \(path) --force` restores a verified backup, or "
                + "`catalog salvage --path \(path) --to NEW_PATH` copies the readable records into a new catalog"
        default:
            break
        }
        return error
    }

    func workspace() throws -> WorkspaceName {
        do {
            return try WorkspaceName(options.workspace)
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
    }
}
