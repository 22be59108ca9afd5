public import ArgumentParser
public import CatalogSQL
import ConnectionCatalog
import Foundation

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long, help: "The catalog directory (default: $CATALOG_PATH, else ~/.local/share/connection-catalog).")
    var path: String?

    @Option(name: .customLong("workspace"), help: "The workspace statements run in (default: default).")
    var workspaceOption: String?

    /// The workspace statements run in: `--workspace`, else `default`.
    var workspace: String { workspaceOption ?? "default" }

    @Option(
        name: .long,
        help: """
            The master key file (default: $CATALOG_KEY_FILE, else $CATALOG_MASTER_KEY, else <catalog path>.key; \
            with --store, ~/.local/share/connection-catalog.etcd.<name>.key).
            """)
    var keyFile: String?

    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Option(
        name: .customLong("store"),
        help:
            "Keep the catalog in etcd: etcd://host:port[,host:port…][/name] (default: $CATALOG_STORE, else LMDB at --path)."
    )
    var storeOption: String?

    /// The etcd catalog to open: `--store`, else `$CATALOG_STORE`; `nil` for the embedded LMDB catalog.
    ///
    /// - Throws: `ValidationError` for a malformed location, or `--store` given together with `--path`.
    func storeLocation() throws -> StoreLocation? {
        var text = storeOption
        if text == nil, let fromEnvironment = ProcessInfo.processInfo.environment["CATALOG_STORE"],
            !fromEnvironment.isEmpty
        {
            text = fromEnvironment
        }
        guard let text else { return nil }
        if path != nil, storeOption != nil {
            throw ValidationError("give --path (an LMDB catalog) or --store (a catalog in etcd), not both")
        }
        return try StoreLocation(parsing: text)
    }

    /// The directory to open: `--path`, else `CATALOG_PATH`, else `$XDG_DATA_HOME/connection-catalog`
    /// (`~/.local/share/connection-catalog`).
    var catalogPath: String {
        if let path { return path }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CATALOG_PATH"], !path.isEmpty { return path }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return "\(data)/connection-catalog" }
        return "\(homeDirectory())/.local/share/connection-catalog"
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// The user's home directory: `$HOME` when set (as shells and tests expect), else the password database's.
func homeDirectory() -> String {
    if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
    return NSHomeDirectory()
}
