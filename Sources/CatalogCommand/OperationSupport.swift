import ArgumentParser
import CatalogBackup
import CatalogEtcd
import CatalogSQL
import CatalogSealing
import CatalogStorage
import ConnectionCatalog
import Foundation

/// Progress of a backup operation's phases on a terminal, one `Progress` line per phase; nothing off a terminal.
final class PhasedProgress {
    private var current: Progress?
    private var phase = ""

    func report(_ progress: OperationProgress) {
        if progress.phase != phase {
            current?.finish()
            phase = progress.phase
            current = Progress(label: progress.unit == .bytes ? "\(progress.phase) (bytes)" : progress.phase)
        }
        if progress.total > 0 { current?.update(done: progress.done, total: progress.total) }
    }

    func finish() { current?.finish() }
}

extension CatalogOpener {
    /// The master key the key options name, read without creating a key file (verify, restore and import must
    /// use the key that made the data, never a fresh one).
    ///
    /// - Parameter allowingStore: whether the command works on a catalog in etcd too (verify, restore, import);
    ///   the others (check, salvage) read the LMDB files and refuse `--store`.
    func existingMasterKey(file: String? = nil, allowingStore: Bool = false) throws -> MasterKey {
        if !allowingStore { try refuseStore(doing: "check and salvage") }
        let source: MasterKeySource = file.map { .keyFile(path: $0) } ?? keySource
        do {
            if case .keyFile(let path) = source, !FileManager.default.fileExists(atPath: path) {
                throw CatalogError(
                    .notFound,
                    "there is no key file at '\(path)'; pass the master key of the catalog the data came from with "
                        + (file == nil ? "--key-file" : "--source-key-file"))
            }
            return try source.resolve()
        } catch let error as SealingError {
            // A key file that cannot be read is io_error, a malformed one invalid_value: the domain's mapping.
            output.fail(CatalogError.sealing(error, doing: "loading the master key from the \(source)"))
            throw OperationFailed()
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
    }
}

extension CatalogOpener {
    /// The etcd store `--store` names, opened without opening or creating a catalog in it (a restore fills it);
    /// `nil` when the catalog is an LMDB directory.
    func storeOnly() throws -> (store: EtcdStore, location: StoreLocation)? {
        guard let location = try options.storeLocation() else { return nil }
        return (try etcdStore(at: location), location)
    }

    /// The etcd store at `location`, with the catalog's keyspaces; a cluster that cannot be used is reported
    /// (`io_error`) and ends the command.
    func etcdStore(at location: StoreLocation) throws -> EtcdStore {
        do {
            return try EtcdStore.open(
                endpoints: location.endpoints, prefix: location.prefix,
                options: EtcdStore.Options(keyspaces: Catalog.storeKeyspaces))
        } catch {
            output.fail(
                CatalogError(
                    .ioError, "cannot use the etcd cluster of \(location): \(error.message)",
                    details: ["store": location.description], underlying: error))
            throw OperationFailed()
        }
    }
}

extension Output {
    /// Runs a long operation with progress on a terminal, then prints its result rows and the time it took,
    /// or reports its failure and throws `OperationFailed` (exit status 1).
    func perform(_ operation: (_ progress: @escaping (OperationProgress) -> Void) throws -> [(String, String)]) throws {
        let progress = PhasedProgress()
        let start = Date()
        do {
            let rows = try operation(progress.report)
            progress.finish()
            write(summary(rows + [("seconds", seconds(since: start))]))
        } catch {
            progress.finish()
            fail(error)
            throw OperationFailed()
        }
    }
}

/// Key and value rows, the shape every backup command prints its result in.
func summary(_ rows: [(String, String)]) -> StatementOutcome {
    .resultSet(ResultSet(columns: ["item", "value"], rows: rows.map { [$0.0, $0.1] }))
}

func seconds(since start: Date) -> String { String(format: "%.3f", Date().timeIntervalSince(start)) }
