import CatalogSQL
import ConnectionCatalog
import Foundation

extension Shell {
    /// `\i FILE`: runs the file's statements, statement by statement, like `-f`.
    func include(_ path: String) {
        guard !path.isEmpty else {
            writeStandardError("\\i: give a file name\n")
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            writeStandardError("\\i: cannot read '\(path)': \(String(cString: strerror(errno)))\n")
            return
        }
        defer { close(descriptor) }
        var script = ScriptReader(descriptor: descriptor)
        while let piece = script.next() {
            switch piece {
            case .success(let piece):
                let result = session.executeBlocking(piece.text, firstLine: piece.firstLine, onFailure: onError)
                output.write(result, source: piece.text, firstLine: piece.firstLine)
                if result.failed && onError == .stop { return }
            case .failure(let error):
                output.write(.failure(error))
                return
            }
        }
    }

    /// `\conninfo`: where the shell is connected.
    var connectionInfo: String {
        let store = session.catalog.isOnStore ? "etcd" : "LMDB"
        return "Catalog at '\(session.catalog.path)', workspace '\(session.workspace)', store \(store), "
            + "schema version \(session.catalog.schemaVersion).\n"
    }
}
