import CatalogStorage
import Foundation

/// Opens the catalog's storage at a path, creating it on first use and saying so on standard error.
enum CatalogFiles {
    static let databases = ["meta", "connections", "history"]

    static func open(at path: String) throws -> Environment {
        let isNew = !FileManager.default.fileExists(atPath: "\(path)/data.mdb")
        do {
            let environment = try Environment.open(at: path, options: .init(databases: databases))
            if isNew { writeError("created a new catalog at \(environment.path)") }
            return environment
        } catch {
            throw OperationFailed(message: "error: \(error.message)")
        }
    }
}
