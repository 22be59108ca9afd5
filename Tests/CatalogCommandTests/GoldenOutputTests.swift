import CatalogTestSupport
import Foundation
import Testing

/// Replaces what changes from run to run — times, external IDs, the creator (the user running the tests) —
/// by placeholders, so that whole outputs can be compared with golden text.
struct OutputNormaliser {
    /// External ID → placeholder.
    var externalIDs: [String: String]

    func normalise(_ text: String) throws -> String {
        var text = text
        for (id, placeholder) in externalIDs { text = text.replacingOccurrences(of: id, with: placeholder) }
        text = text.replacing(try Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"#), with: "<time>")
        // The creator row of DESC in table, CSV and JSON form.
        let creatorRows = [#"(?m)^ creator +\| .*$"#, #"(?m)^creator,[^\r\n]*"#, #"\["creator", "[^"]*"\]"#]
        for pattern in creatorRows {
            text = text.replacing(try Regex(pattern)) { match in
                let whole = String(match.output[0].substring ?? "")
                if whole.hasPrefix("[") { return "[\"creator\", \"<creator>\"]" }
                if whole.hasPrefix("creator,") { return "creator,<creator>" }
                let bar = whole.firstIndex(of: "|")!
                return whole[...bar] + " <creator>"
            }
        }
        return text
    }
}

/// DESC, DESC EXTENDED and SHOW in every format, compared whole with golden text after normalising.
@Suite struct GoldenOutputTests {
    static let setUp = """
        CREATE API CONNECTION sales_fn TYPE = CLOUD_FUNCTION PROVIDER = 'aliyun' REGION = 'cn-hangzhou'
            ROLE_ARN = 'acs:ram::1234567890:role/lakehouse' CODE_BUCKET = 'sales-code' COMMENT = 'Sales, EU "prod"';
        CREATE STORAGE CONNECTION oss_raw TYPE = OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com'
            ACCESS_ID = 'LTAI5tABCDEFGH' ACCESS_KEY = 'not-shown';
        ALTER CONNECTION oss_raw DISABLE;
        """

    static let statements: [(name: String, sql: String)] = [
        ("desc", "DESC CONNECTION sales_fn"), ("desc-extended", "DESC CONNECTION EXTENDED sales_fn"),
        ("desc-storage", "DESC CONNECTION oss_raw"), ("show", "SHOW CONNECTIONS"),
    ]

    static let cases: [(String, String)] = ["table", "json", "csv"].flatMap { format in
        statements.map { (format, $0.name) }
    }

    @Test(arguments: cases)
    func matchesGolden(format: String, statement: String) throws {
        let home = CatalogHome()
        try home.sql(Self.setUp)
        let normaliser = OutputNormaliser(externalIDs: [
            try #require(try home.describe("sales_fn")["EXTERNAL_ID"] ?? nil): "<external-id-1>",
            try #require(try home.describe("oss_raw")["EXTERNAL_ID"] ?? nil): "<external-id-2>",
        ])
        let sql = try #require(Self.statements.first { $0.name == statement }?.sql)
        let run = try home.run(["--format", format, "-e", sql])
        #expect(run.status == 0)
        // DESC EXTENDED with no platform principal set says how to set it: on standard error, or in JSON.
        let notice =
            "NOTICE: catalog setting trust.aliyun.principal is not set, so the trust policy names a placeholder;"
            + " set it with `catalog settings set trust.aliyun.principal <principal>`\n"
        #expect(run.errorOutput == (statement == "desc-extended" && format != "json" ? notice : ""))
        var output = run.output
        if format == "csv" {
            #expect(Self.recordsEndInCRLF(output), "every CSV record ends in CR LF")
            output = output.replacingOccurrences(of: "\r\n", with: "\n")
        }
        let expected = try #require(Self.golden["\(statement)-\(format)"])
        let actual = try normaliser.normalise(output)
        #expect(actual == expected + "\n")
    }

    /// Whether every LF outside a quoted field is preceded by CR (a quoted field may hold bare line breaks).
    static func recordsEndInCRLF(_ csv: String) -> Bool {
        var inQuotes = false
        var previous: UInt8 = 0
        for byte in csv.utf8 {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\n"), !inQuotes, previous != UInt8(ascii: "\r") { return false }
            previous = byte
        }
        return csv.utf8.last == UInt8(ascii: "\n")
    }

    @Test func recordsEndInCRLFLooksOutsideQuotedFieldsOnly() {
        #expect(Self.recordsEndInCRLF("a,b\r\nc,\"x\ny\"\r\n"))
        #expect(!Self.recordsEndInCRLF("a,b\nc\r\n"))
        #expect(!Self.recordsEndInCRLF("a,\"x\ny\"\n"))
    }

    @Test func normaliserReplacesOnlyWhatVaries() throws {
        let normaliser = OutputNormaliser(externalIDs: ["AbCdEfGh12345678": "<id>"])
        let table =
            " creator            | someone\n created_time       | 2025-05-11T09:36:51.548Z\n EXTERNAL_ID        | AbCdEfGh12345678\n"
        #expect(
            try normaliser.normalise(table)
                == " creator            | <creator>\n created_time       | <time>\n EXTERNAL_ID        | <id>\n")
        #expect(try normaliser.normalise("creator,x y\r\nversion,1\r\n") == "creator,<creator>\r\nversion,1\r\n")
        #expect(
            try normaliser.normalise(#"[["creator", "a b"], ["version", "1"]]"#)
                == #"[["creator", "<creator>"], ["version", "1"]]"#)
    }

    static let golden: [String: String] = [
        "desc-table": #"""
         info_name          | info_value
        --------------------+------------------------------------
         name               | sales_fn
         category           | API
         type               | CLOUD_FUNCTION
         enabled            | ENABLED
         creator            | <creator>
         created_time       | <time>
         last_modified_time | <time>
         version            | 1
         comment            | Sales, EU "prod"
         PROVIDER           | aliyun
         REGION             | cn-hangzhou
         ROLE_ARN           | acs:ram::1234567890:role/lakehouse
         NAMESPACE          | default
         CODE_BUCKET        | sales-code
         EXTERNAL_ID        | <external-id-1>
        (15 rows)
        """#,
        "desc-extended-table": #"""
         info_name          | info_value
        --------------------+-------------------------------------------------
         name               | sales_fn
         category           | API
         type               | CLOUD_FUNCTION
         enabled            | ENABLED
         creator            | <creator>
         created_time       | <time>
         last_modified_time | <time>
         version            | 1
         comment            | Sales, EU "prod"
         PROVIDER           | aliyun
         REGION             | cn-hangzhou
         ROLE_ARN           | acs:ram::1234567890:role/lakehouse
         NAMESPACE          | default
         CODE_BUCKET        | sales-code
         EXTERNAL_ID        | <external-id-1>
         trust_policy       | {                                              +
                            |   "Version": "1",                              +
                            |   "Statement": [                               +
                            |     {                                          +
                            |       "Action": "sts:AssumeRole",              +
                            |       "Effect": "Allow",                       +
                            |       "Principal": {                           +
                            |         "RAM": [                               +
                            |           "<set trust.aliyun.principal>"       +
                            |         ]                                      +
                            |       },                                       +
                            |       "Condition": {                           +
                            |         "StringEquals": {                      +
                            |           "sts:ExternalId": "<external-id-1>" +
                            |         }                                      +
                            |       }                                        +
                            |     }                                          +
                            |   ]                                            +
                            | }
        (16 rows)
        """#,
        "desc-storage-table": #"""
         info_name          | info_value
        --------------------+------------------------------
         name               | oss_raw
         category           | STORAGE
         type               | OSS
         enabled            | DISABLED
         creator            | <creator>
         created_time       | <time>
         last_modified_time | <time>
         version            | 2
         comment            |
         ENDPOINT           | oss-cn-hangzhou.aliyuncs.com
         ACCESS_ID          | LTAI5t********
         ACCESS_KEY         | ********
         EXTERNAL_ID        | <external-id-2>
        (13 rows)
        """#,
        "show-table": #"""
         name     | category | type           | enabled  | created_time
        ----------+----------+----------------+----------+--------------------------
         oss_raw  | STORAGE  | OSS            | DISABLED | <time>
         sales_fn | API      | CLOUD_FUNCTION | ENABLED  | <time>
        (2 rows)
        """#,
        "desc-json": #"""
        {"columns": ["info_name", "info_value"], "rows": [["name", "sales_fn"], ["category", "API"], ["type", "CLOUD_FUNCTION"], ["enabled", "ENABLED"], ["creator", "<creator>"], ["created_time", "<time>"], ["last_modified_time", "<time>"], ["version", "1"], ["comment", "Sales, EU \"prod\""], ["PROVIDER", "aliyun"], ["REGION", "cn-hangzhou"], ["ROLE_ARN", "acs:ram::1234567890:role/lakehouse"], ["NAMESPACE", "default"], ["CODE_BUCKET", "sales-code"], ["EXTERNAL_ID", "<external-id-1>"]]}
        """#,
        "desc-extended-json": #"""
        {"columns": ["info_name", "info_value"], "rows": [["name", "sales_fn"], ["category", "API"], ["type", "CLOUD_FUNCTION"], ["enabled", "ENABLED"], ["creator", "<creator>"], ["created_time", "<time>"], ["last_modified_time", "<time>"], ["version", "1"], ["comment", "Sales, EU \"prod\""], ["PROVIDER", "aliyun"], ["REGION", "cn-hangzhou"], ["ROLE_ARN", "acs:ram::1234567890:role/lakehouse"], ["NAMESPACE", "default"], ["CODE_BUCKET", "sales-code"], ["EXTERNAL_ID", "<external-id-1>"], ["trust_policy", "{\n  \"Version\": \"1\",\n  \"Statement\": [\n    {\n      \"Action\": \"sts:AssumeRole\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {\n        \"RAM\": [\n          \"<set trust.aliyun.principal>\"\n        ]\n      },\n      \"Condition\": {\n        \"StringEquals\": {\n          \"sts:ExternalId\": \"<external-id-1>\"\n        }\n      }\n    }\n  ]\n}"]], "notices": ["catalog setting trust.aliyun.principal is not set, so the trust policy names a placeholder; set it with `catalog settings set trust.aliyun.principal <principal>`"]}
        """#,
        "desc-storage-json": #"""
        {"columns": ["info_name", "info_value"], "rows": [["name", "oss_raw"], ["category", "STORAGE"], ["type", "OSS"], ["enabled", "DISABLED"], ["creator", "<creator>"], ["created_time", "<time>"], ["last_modified_time", "<time>"], ["version", "2"], ["comment", null], ["ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"], ["ACCESS_ID", "LTAI5t********"], ["ACCESS_KEY", "********"], ["EXTERNAL_ID", "<external-id-2>"]]}
        """#,
        "show-json": #"""
        {"columns": ["name", "category", "type", "enabled", "created_time"], "rows": [["oss_raw", "STORAGE", "OSS", "DISABLED", "<time>"], ["sales_fn", "API", "CLOUD_FUNCTION", "ENABLED", "<time>"]]}
        """#,
        "desc-csv": #"""
        info_name,info_value
        name,sales_fn
        category,API
        type,CLOUD_FUNCTION
        enabled,ENABLED
        creator,<creator>
        created_time,<time>
        last_modified_time,<time>
        version,1
        comment,"Sales, EU ""prod"""
        PROVIDER,aliyun
        REGION,cn-hangzhou
        ROLE_ARN,acs:ram::1234567890:role/lakehouse
        NAMESPACE,default
        CODE_BUCKET,sales-code
        EXTERNAL_ID,<external-id-1>
        """#,
        "desc-extended-csv": #"""
        info_name,info_value
        name,sales_fn
        category,API
        type,CLOUD_FUNCTION
        enabled,ENABLED
        creator,<creator>
        created_time,<time>
        last_modified_time,<time>
        version,1
        comment,"Sales, EU ""prod"""
        PROVIDER,aliyun
        REGION,cn-hangzhou
        ROLE_ARN,acs:ram::1234567890:role/lakehouse
        NAMESPACE,default
        CODE_BUCKET,sales-code
        EXTERNAL_ID,<external-id-1>
        trust_policy,"{
          ""Version"": ""1"",
          ""Statement"": [
            {
              ""Action"": ""sts:AssumeRole"",
              ""Effect"": ""Allow"",
              ""Principal"": {
                ""RAM"": [
                  ""<set trust.aliyun.principal>""
                ]
              },
              ""Condition"": {
                ""StringEquals"": {
                  ""sts:ExternalId"": ""<external-id-1>""
                }
              }
            }
          ]
        }"
        """#,
        "desc-storage-csv": #"""
        info_name,info_value
        name,oss_raw
        category,STORAGE
        type,OSS
        enabled,DISABLED
        creator,<creator>
        created_time,<time>
        last_modified_time,<time>
        version,2
        comment,
        ENDPOINT,oss-cn-hangzhou.aliyuncs.com
        ACCESS_ID,LTAI5t********
        ACCESS_KEY,********
        EXTERNAL_ID,<external-id-2>
        """#,
        "show-csv": #"""
        name,category,type,enabled,created_time
        oss_raw,STORAGE,OSS,DISABLED,<time>
        sales_fn,API,CLOUD_FUNCTION,ENABLED,<time>
        """#,
    ]
}
