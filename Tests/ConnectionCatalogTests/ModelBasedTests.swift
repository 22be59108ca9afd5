import CatalogTestSupport
import ConnectionCatalog
import PropertyBased
import Testing

/// Random sequences of create / alter / rename / drop / rotate against a plain in-memory model: after each
/// sequence, and again after closing and reopening, the catalog equals the model.
@Suite struct ModelBasedTests {
    /// What the model remembers of one connection.
    struct Expected: Equatable {
        var id: ConnectionID
        var region: String
        var comment: String?
        var enabled: Bool
        var version: UInt64
        var externalID: String
    }

    static let names = ["alpha", "beta", "gamma", "delta"]
    static let regions = ["us-east-1", "us-west-2", "eu-central-1"]

    /// One step, decoded from a random number so the library's integer shrinking shrinks sequences too.
    enum Step: CustomStringConvertible {
        case create(String, region: String)
        case comment(String, String?)
        case toggle(String, enabled: Bool)
        case setRegion(String, String)
        case rename(String, to: String)
        case drop(String)
        case rotate(String)

        init(_ seed: Int) {
            let name = ModelBasedTests.names[(seed / 7) % ModelBasedTests.names.count]
            let other = ModelBasedTests.names[(seed / 29) % ModelBasedTests.names.count]
            let region = ModelBasedTests.regions[(seed / 3) % ModelBasedTests.regions.count]
            switch seed % 7 {
            case 0: self = .create(name, region: region)
            case 1: self = .comment(name, seed % 2 == 0 ? nil : "note \(seed)")
            case 2: self = .toggle(name, enabled: seed % 2 == 0)
            case 3: self = .setRegion(name, region)
            case 4: self = .rename(name, to: other)
            case 5: self = .drop(name)
            default: self = .rotate(name)
            }
        }

        var description: String {
            switch self {
            case .create(let name, let region): "create \(name) \(region)"
            case .comment(let name, let comment): "comment \(name) \(comment ?? "nil")"
            case .toggle(let name, let enabled): "toggle \(name) \(enabled)"
            case .setRegion(let name, let region): "region \(name) \(region)"
            case .rename(let name, let other): "rename \(name) \(other)"
            case .drop(let name): "drop \(name)"
            case .rotate(let name): "rotate \(name)"
            }
        }
    }

    @Test func catalogMatchesModel() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...10_000).array(of: 1...30)) { seeds in
            do {
                try run(seeds.map(Step.init))
            } catch {
                Issue.record("sequence \(seeds.map(Step.init)) threw \(error)")
            }
        }
    }

    private func run(_ steps: [Step]) throws {
        let test = TestCatalog()
        var model: [String: Expected] = [:]
        do {
            let catalog = try test.open()
            for step in steps {
                try apply(step, to: catalog, model: &model)
            }
            try check(catalog, against: model, after: steps)
        }
        // Closed (the handle is gone) and reopened: still equal.
        let reopened = try test.open()
        try check(reopened, against: model, after: steps)
    }

    private func apply(_ step: Step, to catalog: Catalog, model: inout [String: Expected]) throws {
        /// Runs `change`, expecting `code` when the model says it must fail.
        func expectOutcome(_ failure: CatalogError.Code?, _ change: () throws -> Connection) throws -> Connection? {
            do {
                let connection = try change()
                #expect(failure == nil, "\(step) succeeded but the model expected \(failure!.rawValue)")
                return connection
            } catch let error as CatalogError {
                #expect(
                    failure == error.code,
                    "\(step) failed with \(error.code), model expected \(failure?.rawValue ?? "success")")
                return nil
            }
        }
        func externalID(_ connection: Connection) throws -> String {
            try catalog.read { reader in try reader.externalID(of: connection)! }
        }
        switch step {
        case .create(let text, let region):
            let result = try expectOutcome(model[text] == nil ? nil : .alreadyExists) {
                try catalog.writeBlocking { writer in try writer.create(awsFunction(text, region: region)).connection }
            }
            if let result {
                model[text] = Expected(
                    id: result.id, region: region, comment: nil, enabled: true, version: 1,
                    externalID: try externalID(result))
            }
        case .comment(let text, let comment):
            if try expectOutcome(
                model[text] == nil ? .notFound : nil,
                {
                    try catalog.writeBlocking { writer in try writer.alter(name(text), .comment(comment)) }
                }) != nil
            {
                model[text]!.comment = comment
                model[text]!.version += 1
            }
        case .toggle(let text, let enabled):
            if try expectOutcome(
                model[text] == nil ? .notFound : nil,
                {
                    try catalog.writeBlocking { writer in try writer.alter(name(text), enabled ? .enable : .disable) }
                }) != nil
            {
                model[text]!.enabled = enabled
                model[text]!.version += 1
            }
        case .setRegion(let text, let region):
            if try expectOutcome(
                model[text] == nil ? .notFound : nil,
                {
                    try catalog.writeBlocking { writer in try writer.alter(name(text), .set([("REGION", region)])) }
                }) != nil
            {
                model[text]!.region = region
                model[text]!.version += 1
            }
        case .rename(let text, let other):
            let failure: CatalogError.Code? =
                model[text] == nil ? .notFound : (other != text && model[other] != nil ? .alreadyExists : nil)
            if try expectOutcome(
                failure,
                {
                    try catalog.writeBlocking { writer in try writer.rename(name(text), to: name(other)) }
                }) != nil, other != text
            {
                var moved = model.removeValue(forKey: text)!
                moved.version += 1
                model[other] = moved
            }
        case .drop(let text):
            if try expectOutcome(
                model[text] == nil ? .notFound : nil,
                {
                    try catalog.writeBlocking { writer in try writer.drop(name(text)) }
                }) != nil
            {
                model[text] = nil
            }
        case .rotate(let text):
            if let rotated = try expectOutcome(
                model[text] == nil ? .notFound : nil,
                {
                    try catalog.writeBlocking { writer in try writer.rotateExternalID(of: name(text)) }
                })
            {
                let fresh = try externalID(rotated)
                #expect(fresh != model[text]!.externalID)
                model[text]!.externalID = fresh
                model[text]!.version += 1
            }
        }
    }

    private func check(_ catalog: Catalog, against model: [String: Expected], after steps: [Step]) throws {
        let actual: [String: Expected] = try catalog.read { reader in
            var actual: [String: Expected] = [:]
            for connection in try reader.connections() {
                #expect(try reader.history(of: connection.id).map(\.version) == Array(1..<connection.version))
                actual[connection.name.rawValue] = Expected(
                    id: connection.id, region: connection.properties[.region] ?? "", comment: connection.comment,
                    enabled: connection.enabled, version: connection.version,
                    externalID: try reader.externalID(of: connection) ?? "")
            }
            return actual
        }
        #expect(actual == model, "after \(steps)")
    }
}
