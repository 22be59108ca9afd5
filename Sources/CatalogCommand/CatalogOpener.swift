import ArgumentParser
import CatalogEtcd
import CatalogSQL
import CatalogSealing
import CatalogStorage
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

    /// The key file used when none is named: `<path>.key` beside an LMDB catalog; for a catalog in etcd, one
    /// per catalog name in the user's data directory (`connection-catalog.etcd.<name>.key`), created only with
    /// the catalog itself.
    var defaultKeyFile: String {
        if let location = try? options.storeLocation() {
            let environment = ProcessInfo.processInfo.environment
            let data =
                environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(homeDirectory())/.local/share"
            return "\(data)/connection-catalog.etcd.\(location.name).key"
        }
        var path = options.catalogPath
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return "\(path).key"
    }

    /// Opens the catalog; reports a failure in the chosen format and throws `OperationFailed`.
    ///
    /// Only `init` and `sql` create a missing catalog (`CatalogCreation`); `mustExist` overrides that either way.
    /// `readOnly` opens without writing anything: no migration of an older schema, no creation.
    func open(mustExist: Bool? = nil, readOnly: Bool = false) throws -> Catalog {
        if let location = try options.storeLocation() {
            return try open(location, mustExist: mustExist ?? !CatalogCreation.isAllowed, readOnly: readOnly)
        }
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

    /// Opens (or, when allowed, creates) the catalog in etcd at `location`.
    private func open(_ location: StoreLocation, mustExist: Bool, readOnly: Bool) throws -> Catalog {
        var catalogOptions = Catalog.Options(creator: NSUserName())
        catalogOptions.mustExist = mustExist
        catalogOptions.readOnly = readOnly
        let store = try etcdStore(at: location)
        let keySource = self.keySource
        if !mustExist, !readOnly, case .keyFile(let file) = keySource, file == defaultKeyFile {
            // The default key file's directory may not exist yet; the key itself is made only with a new catalog.
            let directory = (file as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        do {
            let catalog = try Catalog.open(
                store: store, description: location.description, keySource: keySource, options: catalogOptions)
            if catalog.wasCreatedByOpen {
                var message = "created a new catalog at \(catalog.path) (keys under /\(location.prefix)/)"
                if case .keyFile(let keyFile) = keySource { message += " with master key file \(keyFile)" }
                output.note(message + "; keep the key safe: without it the secrets cannot be read")
            }
            return catalog
        } catch {
            output.fail(withStoreHint(error, location: location))
            throw OperationFailed()
        }
    }

    /// The store's counterpart of `withHint`.
    private func withStoreHint(_ error: CatalogError, location: StoreLocation) -> CatalogError {
        var error = error
        switch (error.code, error.details["reason"]) {
        case (.notFound, "no_catalog"):
            error.message += "; `catalog init --store \(location)` creates one"
        case (.integrityError, "damaged_metadata"):
            error.message +=
                ". Its keys are under /\(location.prefix)/meta/ on the cluster: put them back from an etcd snapshot "
                + "(etcdctl snapshot restore), or keep the catalog under another name"
        default:
            break
        }
        return error
    }

    /// Refuses a command that works on the LMDB files when `--store` names a catalog in etcd.
    func refuseStore(doing what: String) throws {
        guard let location = try options.storeLocation() else { return }
        output.fail(
            CatalogError(
                .unsupported,
                "\(what) work on LMDB catalogs (--path) only; the catalog at \(location) is in etcd, where every "
                    + "SQL statement, settings, stats, init, rekey, rotate-key, backup, verify, restore, export and "
                    + "import work",
                details: ["store": location.description]))
        throw OperationFailed()
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
