import ConnectionCatalog
import Testing

/// A failing validation with a planted secret next to the mistake.
struct SecretScenario: Sendable, CustomTestStringConvertible {
    let label: String
    let type: ConnectionType
    let run: @Sendable (String) throws -> Void
    var testDescription: String { label }

    static let planted = "PLANTED-9f3c1e-SECRET"

    static let all: [SecretScenario] = [
        SecretScenario(label: "S3 secret beside a bad REGION", type: .s3) { secret in
            _ = try PropertyValidator.validateCreate(
                Fixture.s3Keys.setting("SECRET_ACCESS_KEY", secret).setting("REGION", "mars-1"), type: .s3)
        },
        SecretScenario(label: "S3 secret given twice, by its old name", type: .s3) { secret in
            _ = try PropertyValidator.validateCreate(
                Fixture.s3Keys.setting("SECRET_ACCESS_KEY", secret).adding("secret_key", secret + "2"), type: .s3)
        },
        SecretScenario(label: "OSS ACCESS_KEY without ACCESS_ID", type: .oss) { secret in
            _ = try PropertyValidator.validateCreate(
                Fixture.ossKeys.setting("ACCESS_KEY", secret).removing("ACCESS_ID"), type: .oss)
        },
        SecretScenario(label: "COS secret with a space", type: .cos) { secret in
            _ = try PropertyValidator.validateCreate(Fixture.cosKeys.setting("SECRET_KEY", secret + " x"), type: .cos)
        },
        SecretScenario(label: "COS secret with a control character", type: .cos) { secret in
            _ = try PropertyValidator.validateCreate(Fixture.cosKeys.setting("SECRET_KEY", secret + "\n"), type: .cos)
        },
        SecretScenario(label: "user-supplied EXTERNAL_ID", type: .cloudFunction) { secret in
            _ = try PropertyValidator.validateCreate(
                Fixture.aliyunFunction.adding("EXTERNAL_ID", secret), type: .cloudFunction)
        },
        SecretScenario(label: "misspelled secret key", type: .s3) { secret in
            _ = try PropertyValidator.validateCreate(
                Fixture.s3Keys.removing("SECRET_ACCESS_KEY").adding("SECRET_ACCES_KEY", secret), type: .s3)
        },
        SecretScenario(label: "OSS secret beside a bad ENDPOINT", type: .oss) { secret in
            _ = try PropertyValidator.validateCreate(
                Fixture.ossKeys.setting("ACCESS_KEY", secret).setting("ENDPOINT", "http://x"), type: .oss)
        },
        SecretScenario(label: "ALTER SET secret with UNSET of a required key", type: .s3) { secret in
            let created = try PropertyValidator.validateCreate(Fixture.s3Keys, type: .s3)
            _ = try PropertyValidator.validateAlter(
                existing: created.properties, sealedKeys: [.secretAccessKey], set: [("SECRET_KEY", secret)],
                unset: ["REGION"], type: .s3)
        },
        SecretScenario(label: "ALTER SET secret with a bad ROLE_ARN", type: .s3) { secret in
            let created = try PropertyValidator.validateCreate(Fixture.s3Keys, type: .s3)
            _ = try PropertyValidator.validateAlter(
                existing: created.properties, sealedKeys: [.secretAccessKey],
                set: [("SECRET_ACCESS_KEY", secret), ("ROLE_ARN", "arn:aws:iam::1:role/x")], unset: [], type: .s3)
        },
    ]
}

@Suite struct RedactionTests {
    /// Every way a test, log or caller might print `value`.
    static func renderings(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    @Test func secretWrapperNeverPrints() {
        let secret = PlaintextSecret(SecretScenario.planted)
        for text in Self.renderings(of: secret) {
            #expect(!text.contains(SecretScenario.planted), "\(text)")
        }
        #expect(secret.description == "<redacted>")
        #expect(secret.isEqual(to: Array(SecretScenario.planted.utf8)))
        #expect(!secret.isEqual(to: Array("other".utf8)))
        #expect(secret.withBytes { Array($0) } == Array(SecretScenario.planted.utf8))
    }

    @Test func validatedPropertiesNeverPrintSecrets() throws {
        let result = try PropertyValidator.validateCreate(
            Fixture.s3Keys.setting("SECRET_ACCESS_KEY", SecretScenario.planted), type: .s3)
        for text in Self.renderings(of: result) {
            #expect(!text.contains(SecretScenario.planted))
        }
        #expect(result.secrets[.secretAccessKey]?.isEqual(to: Array(SecretScenario.planted.utf8)) == true)
    }

    @Test(arguments: SecretScenario.all)
    func errorsNeverContainTheSecret(scenario: SecretScenario) throws {
        let error = try #require(throws: CatalogError.self) { try scenario.run(SecretScenario.planted) }
        var texts = Self.renderings(of: error) + [error.message, error.description]
        texts += error.details.flatMap { [$0.key, $0.value] }
        for text in texts {
            #expect(!text.contains(SecretScenario.planted), "\(error.code): \(text)")
            #expect(!text.contains("PLANTED"), "\(error.code): \(text)")
        }
    }
}
