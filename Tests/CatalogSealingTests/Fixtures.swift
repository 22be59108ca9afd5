import CatalogSealing
import Logging
import Synchronization

/// Shared values for the sealing tests.
enum Fixture {
    static let catalogID: [UInt8] = Array(0x00...0x0f)
    static let connectionID: [UInt8] = Array(0x10...0x1f)

    static func place(
        catalog: [UInt8] = catalogID, workspace: String = "default", connection: [UInt8] = connectionID,
        field: String = "SECRET_ACCESS_KEY"
    ) -> AdditionalData {
        AdditionalData(catalogID: catalog, workspace: workspace, connectionID: connection, fieldName: field)
    }

    /// Runs `body`, expecting a `SealingError`, and returns it.
    static func sealingError(_ body: () throws -> Void) -> SealingError? {
        do {
            try body()
            return nil
        } catch let error as SealingError {
            return error
        } catch {
            return nil
        }
    }
}

/// Collects every log line (level, message, metadata) so tests can scan them.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "sealing-test") { _ in Handler(capture: self) }
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let error = event.error.map { " error=\($0)" } ?? ""
            capture.append("\(event.level) \(event.message) \(rendered)\(error)")
        }
    }
}
