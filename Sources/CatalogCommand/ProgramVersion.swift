import CatalogSealing
import CatalogStorage
import ConnectionCatalog

/// What `catalog --version` prints: the program, the schema version it writes, and the C libraries it runs on.
enum ProgramVersion {
    /// The program's own version.
    static let program = "0.9.0"

    /// Four lines: program, schema version, LMDB, libsodium.
    static var text: String {
        """
        catalog \(program)
        schema version \(Catalog.currentSchemaVersion)
        \(Environment.lmdbVersion)
        libsodium \(Sodium.version)
        """
    }
}
