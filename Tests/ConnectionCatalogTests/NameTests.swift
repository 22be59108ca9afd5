import ConnectionCatalog
import Testing

@Suite struct ConnectionNameTests {
    static let longest = String(repeating: "a", count: 255)

    /// A leading digit or a SQL keyword is a valid name: how SQL writes such a name (in backticks) is the SQL
    /// layer's rule (`SyntaxErrorTests`), not the name's.
    @Test(arguments: [
        ("sales", "sales"), ("Sales_2024", "sales_2024"), ("_private", "_private"), ("MyConn", "myconn"), ("a", "a"),
        (longest, longest), ("1abc", "1abc"), ("123", "123"), ("select", "select"), ("Create", "create"),
        ("if", "if"), ("TYPE", "type"),
    ])
    func accepts(text: String, stored: String) throws {
        #expect(try ConnectionName(text).rawValue == stored)
        #expect(try WorkspaceName(text).rawValue == stored)
    }

    @Test(arguments: [
        ("", "empty"), ("my-conn", "characters"), ("my conn", "characters"), ("my.conn", "characters"),
        ("café", "characters"), ("a\u{0}b", "characters"), (longest + "a", "too_long"), ("`x`", "characters"),
    ])
    func rejects(text: String, rule: String) throws {
        let error = try #require(throws: CatalogError.self) { try ConnectionName(text) }
        #expect(error.code == .invalidIdentifier)
        #expect(error.details["rule"] == rule)
        #expect(throws: CatalogError.self) { try WorkspaceName(text) }
    }

    @Test func comparesWithoutCase() throws {
        #expect(try ConnectionName("SalesConn") == ConnectionName("salesconn"))
        #expect(try ConnectionName("ABC").hashValue == ConnectionName("abc").hashValue)
        #expect(try ConnectionName("apple") < ConnectionName("Banana"))
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
        #expect(
            CatalogError.Code.allCodes.map(\.rawValue) == [
                "syntax_error", "invalid_identifier", "missing_property", "unknown_property", "duplicate_property",
                "invalid_value", "already_exists", "not_found", "conflict", "unsupported", "wrong_key",
                "integrity_error", "catalog_too_new", "io_error",
            ])
        let error = CatalogError(.notFound, "connection 'x' does not exist; check the name with SHOW CONNECTIONS")
        #expect(
            String(describing: error)
                == "not_found: connection 'x' does not exist; check the name with SHOW CONNECTIONS")
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
