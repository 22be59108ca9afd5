import ConnectionCatalog
import Testing

/// One row of the ALTER validation table: a connection created from `base`, a SET and UNSET, and the outcome.
struct AlterRow: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        case passes(plain: [String: String?] = [:], sealed: [String] = [], removed: [String] = [])
        case fails(CatalogError.Code, property: String? = nil)
    }

    let label: String
    let type: ConnectionType
    let base: Assignments
    let set: Assignments
    let unset: [String]
    let outcome: Outcome

    var testDescription: String { "\(type) \(label)" }

    static let all: [AlterRow] = [
        AlterRow(
            label: "SET REGION", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [("region", "cn-shanghai")], unset: [], outcome: .passes(plain: ["REGION": "cn-shanghai"])),
        AlterRow(
            label: "UNSET required REGION", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [], unset: ["REGION"], outcome: .fails(.missingProperty, property: "REGION")),
        AlterRow(
            label: "UNSET NAMESPACE restores default", type: .cloudFunction,
            base: Fixture.aliyunFunction.adding("NAMESPACE", "ns1"), set: [], unset: ["namespace"],
            outcome: .passes(plain: ["NAMESPACE": "default"])),
        AlterRow(
            label: "UNSET NAMESPACE on tencent", type: .cloudFunction, base: Fixture.tencentFunction,
            set: [], unset: ["NAMESPACE"], outcome: .fails(.missingProperty, property: "NAMESPACE")),
        // cn-hangzhou is not a Tencent region (Tencent's mainland regions are ap-…), so REGION fails first.
        AlterRow(
            label: "changing PROVIDER re-validates REGION", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [("PROVIDER", "tencent")], unset: [], outcome: .fails(.invalidValue, property: "REGION")),
        AlterRow(
            label: "changing PROVIDER re-validates ROLE_ARN", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [("PROVIDER", "tencent"), ("REGION", "ap-guangzhou")], unset: [],
            outcome: .fails(.invalidValue, property: "ROLE_ARN")),
        AlterRow(
            label: "changing PROVIDER with all its values", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: Fixture.tencentFunction, unset: [],
            outcome: .passes(plain: ["PROVIDER": "tencent", "NAMESPACE": "lakehouse"])),
        AlterRow(
            label: "UNSET unknown key", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [], unset: ["NAMESPCE"], outcome: .fails(.unknownProperty, property: "NAMESPCE")),
        AlterRow(
            label: "UNSET EXTERNAL_ID", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [], unset: ["EXTERNAL_ID"], outcome: .fails(.invalidValue, property: "EXTERNAL_ID")),
        AlterRow(
            label: "SET EXTERNAL_ID", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [("external_id", "x")], unset: [], outcome: .fails(.invalidValue, property: "EXTERNAL_ID")),
        AlterRow(
            label: "SET and UNSET the same key", type: .cloudFunction, base: Fixture.aliyunFunction,
            set: [("REGION", "cn-beijing")], unset: ["region"],
            outcome: .fails(.duplicateProperty, property: "REGION")),
        AlterRow(
            label: "SET region into another partition", type: .cloudFunction, base: Fixture.awsFunction,
            set: [("REGION", "cn-north-1")], unset: [], outcome: .fails(.invalidValue, property: "ROLE_ARN")),
        AlterRow(
            label: "UNSET half of the key pair", type: .oss, base: Fixture.ossKeys,
            set: [], unset: ["ACCESS_KEY"], outcome: .fails(.missingProperty, property: "ACCESS_KEY")),
        AlterRow(
            label: "add a role beside the keys", type: .oss, base: Fixture.ossKeys,
            set: Fixture.ossRole, unset: [], outcome: .passes(plain: ["ROLE_ARN": Fixture.ossRole[1].value])),
        AlterRow(
            label: "drop the keys, keep the role", type: .oss, base: Fixture.ossKeys + Fixture.ossRole,
            set: [], unset: ["ACCESS_ID", "access_key"],
            outcome: .passes(plain: ["ACCESS_ID": nil], removed: ["ACCESS_KEY"])),
        AlterRow(
            label: "UNSET an absent key changes nothing", type: .oss, base: Fixture.ossKeys,
            set: [], unset: ["ROLE_ARN"], outcome: .passes(plain: ["ROLE_ARN": nil])),
        AlterRow(
            label: "SET secret by its older name", type: .s3, base: Fixture.s3Keys,
            set: [("SECRET_KEY", "rotated")], unset: [], outcome: .passes(sealed: ["SECRET_ACCESS_KEY"])),
        AlterRow(
            label: "UNSET the only credential", type: .s3, base: Fixture.s3Role,
            set: [], unset: ["ROLE_ARN"], outcome: .fails(.missingProperty)),
        AlterRow(
            label: "SET malformed APP_ID", type: .cos, base: Fixture.cosKeys,
            set: [("APP_ID", "12a")], unset: [], outcome: .fails(.invalidValue, property: "APP_ID")),
    ]
}

@Suite struct AlterValidationTests {
    /// Creates the connection's properties as CREATE would, with a sealed EXTERNAL_ID beside the secrets.
    static func existing(_ row: AlterRow) throws -> (plain: [PropertyKey: String], sealed: Set<PropertyKey>) {
        let created = try PropertyValidator.validateCreate(row.base, type: row.type)
        return (created.properties, Set(created.secrets.keys).union([.externalID]))
    }

    @Test(arguments: AlterRow.all)
    func validatesAlter(row: AlterRow) throws {
        let (plain, sealed) = try Self.existing(row)
        let alter = {
            try PropertyValidator.validateAlter(
                existing: plain, sealedKeys: sealed, set: row.set, unset: row.unset, type: row.type)
        }
        switch row.outcome {
        case .passes(let expected, let secrets, let removed):
            let result = try alter()
            for (key, value) in expected {
                #expect(result.properties[PropertyKey(rawValue: key)] == value, "\(key)")
            }
            #expect(Set(result.secrets.keys.map(\.rawValue)) == Set(secrets))
            #expect(Set(result.removedSecrets.map(\.rawValue)) == Set(removed))
            #expect(!result.removedSecrets.contains(.externalID))
        case .fails(let code, let property):
            let error = try #require(throws: CatalogError.self) { try alter() }
            #expect(error.code == code, "\(error)")
            if let property { #expect(error.details["property"] == property, "\(error)") }
        }
    }

    @Test func alterOfAConnectionKeepsKeysFromANewerProgram() throws {
        var created = try PropertyValidator.validateCreate(Fixture.s3Role, type: .s3).properties
        created[PropertyKey(rawValue: "SESSION_POLICY")] = "from a newer program"
        let result = try PropertyValidator.validateAlter(
            existing: created, set: [("REGION", "us-east-2")], unset: [], type: .s3)
        #expect(result.properties[PropertyKey(rawValue: "SESSION_POLICY")] == "from a newer program")
    }
}
