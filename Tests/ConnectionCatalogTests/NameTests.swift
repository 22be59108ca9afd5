import ConnectionCatalog
import Testing

@Suite struct ConnectionNameTests {
    static let longest = String(repeating: "a", count: 255)

    @Test(arguments: [
        ("sales", false, "sales"), ("Sales_2024", false, "sales_2024"), ("_private", false, "_private"),
        ("MyConn", false, "myconn"), ("a", false, "a"), (longest, false, longest),
        ("1abc", true, "1abc"), ("123", true, "123"), ("select", false, "select"), ("Create", true, "create"),
        ("if", true, "if"), ("TYPE", true, "type"),
    ])
    func accepts(text: String, quoted: Bool, stored: String) throws {
        #expect(try ConnectionName(text, quoted: quoted).rawValue == stored)
        #expect(try WorkspaceName(text, quoted: quoted).rawValue == stored)
    }

    @Test(arguments: [
        ("", false), ("", true), ("1abc", false), ("my-conn", false), ("my-conn", true), ("my conn", true),
        ("my.conn", true), ("café", true), ("a\u{0}b", true), (longest + "a", false), (longest + "a", true),
        ("create", false), ("IF", false), ("Connection", false), ("`x`", true),
    ])
    func rejects(text: String, quoted: Bool) throws {
        let error = try #require(throws: CatalogError.self) { try ConnectionName(text, quoted: quoted) }
        #expect(error.code == .invalidIdentifier)
        #expect(throws: CatalogError.self) { try WorkspaceName(text, quoted: quoted) }
    }

    @Test func comparesWithoutCase() throws {
        #expect(try ConnectionName("SalesConn") == ConnectionName("salesconn"))
        #expect(try ConnectionName("ABC").hashValue == ConnectionName("abc").hashValue)
        #expect(try ConnectionName("apple") < ConnectionName("Banana"))
    }

    @Test func leadingDigitMessageSuggestsBackticks() throws {
        let error = try #require(throws: CatalogError.self) { try ConnectionName("9lives") }
        #expect(error.message.contains("`9lives`"))
    }

    @Test func workspaceDefaultsToDefault() {
        #expect(WorkspaceName.default.rawValue == "default")
    }
}

@Suite struct ModelTests {
    @Test(arguments: ConnectionType.allCases)
    func typeParsesInAnyCase(type: ConnectionType) {
        #expect(ConnectionType(parsing: type.rawValue.lowercased()) == type)
    }

    @Test func categories() {
        #expect(ConnectionType.cloudFunction.category == .api)
        #expect([ConnectionType.oss, .cos, .s3].allSatisfy { $0.category == .storage })
        #expect(ConnectionCategory(parsing: "storage") == .storage)
    }

    @Test(arguments: [("aliyun", Provider.aliyun), ("TENCENT", .tencent), ("Aws", .aws)])
    func providerParsesInAnyCase(text: String, provider: Provider) {
        #expect(Provider(parsing: text) == provider)
    }

    @Test func idRoundTripsThroughHexAndBytes() throws {
        var generator = SystemRandomNumberGenerator()
        let id = ConnectionID.generate(milliseconds: 1_746_956_211_548, using: &generator)
        #expect(id.description.count == 32)
        #expect(ConnectionID(hex: id.description) == id)
        #expect(ConnectionID(hex: id.description.uppercased()) == id)
        #expect(ConnectionID(bytes: id.bytes) == id)
        #expect(ConnectionID(bytes: [1, 2, 3]) == nil)
        #expect(ConnectionID(hex: "xyz") == nil)
        let later = ConnectionID.generate(milliseconds: 1_746_956_211_549, using: &generator)
        #expect(id < later, "ids are time-ordered")
    }

    @Test func idDescriptionIsBigEndianHex() {
        let id = ConnectionID(bytes: Array(0..<16))!
        #expect(id.description == "000102030405060708090a0b0c0d0e0f")
    }

    @Test func errorCodesAreTheDesignCodes() {
        #expect(CatalogError.Code.allCodes.map(\.rawValue) == [
            "syntax_error", "invalid_identifier", "missing_property", "unknown_property", "duplicate_property",
            "invalid_value", "already_exists", "not_found", "conflict", "unsupported", "wrong_key",
            "integrity_error", "catalog_too_new", "io_error",
        ])
        let error = CatalogError(.notFound, "connection 'x' does not exist; check the name with SHOW CONNECTIONS")
        #expect(String(describing: error) == "not_found: connection 'x' does not exist; check the name with SHOW CONNECTIONS")
    }
}

@Suite struct SchemaTests {
    @Test(arguments: [
        ("ACCESS_KEY", ConnectionType.oss, true), ("access_key", .oss, true), ("ACCESS_ID", .oss, false),
        ("SECRET_KEY", .cos, true), ("ACCESS_KEY", .cos, false), ("SECRET_ACCESS_KEY", .s3, true),
        ("secret_key", .s3, true), ("ACCESS_KEY", .s3, false), ("ACCESS_KEY_ID", .s3, false),
        ("EXTERNAL_ID", .cloudFunction, true), ("external_id", .s3, true), ("ROLE_ARN", .cloudFunction, false),
        ("cloud_function.region", .cloudFunction, false), ("NO_SUCH_KEY", .oss, false),
    ])
    func knowsWhichKeysAreSealed(key: String, type: ConnectionType, sealed: Bool) {
        #expect(PropertySchema.isSealed(key, type: type) == sealed)
    }

    @Test func aliasesResolveToCanonicalKeys() {
        let schema = ConnectionType.cloudFunction.schema
        #expect(schema.canonicalKey("'cloud_function.provider'".trimmingQuotes) == .provider)
        #expect(schema.canonicalKey("CLOUD_FUNCTION.CODE_BUCKET") == .codeBucket)
        #expect(ConnectionType.s3.schema.canonicalKey("access_key") == .accessKeyID)
        #expect(ConnectionType.oss.schema.canonicalKey("cloud_function.region") == nil)
    }

    @Test(arguments: ConnectionType.allCases)
    func everySchemaSealsTheGeneratedExternalID(type: ConnectionType) {
        #expect(type.schema.generated == [.externalID])
        #expect(type.schema.sealed.contains(.externalID))
        #expect(!type.schema.keys.contains(.externalID))
    }
}
