internal import ConnectionCatalog

/// What DESC … EXTENDED adds: the trust policy to paste into the provider's console, so that the platform's
/// principal may assume the customer's role only with this connection's external ID.
///
/// The principal to trust per provider is a catalog setting (`trust.<provider>.principal`); while it is unset
/// the policy names a placeholder and the command that sets it.
enum TrustPolicy {
    static func settingName(for provider: Provider) -> String { "trust.\(provider.rawValue).principal" }

    static func rows(for connection: Connection, externalID: String, reader: some CatalogReading) throws -> [[String?]] {
        guard let provider = connection.properties[.provider].flatMap(Provider.init(parsing:)) ?? connection.type.impliedProvider
        else { return [] }
        let setting = settingName(for: provider)
        let principal =
            try reader.setting(setting)
            ?? "<platform principal: set it with `catalog settings set \(setting) VALUE`>"
        switch provider {
        case .aws:
            let document = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":\(json(principal))},\
                "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":\(json(externalID))}}}]}
                """
            return [["trust_policy", document]]
        case .aliyun:
            let document = """
                {"Version":"1","Statement":[{"Effect":"Allow","Principal":{"RAM":[\(json(principal))]},\
                "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":\(json(externalID))}}}]}
                """
            return [["trust_policy", document]]
        case .tencent:
            return [["trust_account", principal], ["trust_external_id", externalID]]
        }
    }

    private static func json(_ text: String) -> String { JSONString.quoted(text) }
}
