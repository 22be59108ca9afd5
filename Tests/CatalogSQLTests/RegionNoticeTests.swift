import CatalogSQL
import Testing

/// A REGION outside the provider's published list reaches the statement's outcome as a notice; a malformed one
/// is an `invalid_value` error naming the nearest known region.
@Suite struct RegionNoticeTests {
    static let unknownTencent = """
        CREATE API CONNECTION scf TYPE = CLOUD_FUNCTION PROVIDER = 'tencent' REGION = 'ap-nowhere-9'
            ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/lake' NAMESPACE = 'ns' CODE_BUCKET = 'lake-1250000000'
        """
    static let notice =
        "region 'ap-nowhere-9' is not in the list of known tencent regions; check the spelling (nearest known: ap-chengdu)"

    @Test func createAndAlterWithAWellFormedUnknownRegionSucceedWithANotice() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let outcomes = session.executeBlocking(
            """
            \(Self.unknownTencent);
            ALTER CONNECTION scf SET CODE_BUCKET = 'other-1250000000';
            ALTER CONNECTION scf SET REGION = 'ap-shangai';
            ALTER CONNECTION scf SET REGION = 'ap-shanghai';
            DESC CONNECTION scf
            """)
        #expect(outcomes[0] == .ok(notices: [Self.notice]))
        #expect(outcomes[1] == .ok(notices: []), "a region kept from before is not noticed again")
        #expect(
            outcomes[2]
                == .ok(notices: [
                    "region 'ap-shangai' is not in the list of known tencent regions; check the spelling"
                        + " (nearest known: ap-shanghai)"
                ]))
        #expect(outcomes[3] == .ok(notices: []))
        #expect(outcomes[4].resultSet?.info["REGION"] == "ap-shanghai")
    }

    @Test func noticeTravelsInsideATransaction() throws {
        let fixture = try SessionFixture()
        let outcomes = fixture.session().executeBlocking("BEGIN; \(Self.unknownTencent); COMMIT")
        #expect(outcomes[1] == .ok(notices: [Self.notice, "pending until COMMIT"]))
        #expect(outcomes[2] == .ok(notices: ["committed 1 statement(s)"]))
    }

    @Test func noticeRendersInEveryFormat() throws {
        let fixture = try SessionFixture()
        let outcome = try #require(fixture.session().executeBlocking(Self.unknownTencent).first)
        #expect(
            OutputFormat.table.render(outcome)
                == RenderedOutput(output: "OK\n", diagnostics: "NOTICE: \(Self.notice)\n"))
        #expect(OutputFormat.json.render(outcome).output == "{\"ok\": true, \"notices\": [\"\(Self.notice)\"]}\n")
    }

    @Test(arguments: [
        ("tencent", "cn-hangzhou", "ap-guangzhou"),
        ("aliyun", "xx-nowhere-9", "ap-northeast-1"),
    ])
    func malformedRegionIsAnInvalidValueNamingTheNearestKnownRegion(
        provider: String, region: String, nearest: String
    )
        throws
    {
        let fixture = try SessionFixture()
        let role = provider == "tencent" ? "qcs::cam::uin/100000000001:roleName/lake" : "acs:ram::1234567890:role/lake"
        let outcome = try #require(
            fixture.session().executeBlocking(
                """
                CREATE API CONNECTION fn TYPE = CLOUD_FUNCTION PROVIDER = '\(provider)' REGION = '\(region)'
                    ROLE_ARN = '\(role)' NAMESPACE = 'ns' CODE_BUCKET = 'lake-1250000000'
                """
            ).first)
        let error = try #require(outcome.error)
        #expect(error.code == "invalid_value")
        #expect(error.message.contains("REGION '\(region)' is not valid"), "\(error.message)")
        #expect(error.message.contains("the nearest known \(provider) region is \(nearest)"), "\(error.message)")
    }
}
