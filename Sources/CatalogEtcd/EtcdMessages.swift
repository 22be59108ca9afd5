// swift-format-ignore-file: AlwaysUseLowerCamelCase

// (the field names are etcd's JSON names, as in its .proto)
internal import Foundation

// The messages of etcd's v3 JSON gateway (grpc-gateway over etcdserverpb): field names as in the .proto
// files, bytes as base64, 64-bit integers as decimal strings (the gateway writes them so and reads either).

/// A 64-bit integer as the gateway writes it: a decimal string (a number is accepted too).
struct EtcdInt: Codable, Sendable, Hashable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let parsed = Int64(text) {
            value = parsed
        } else {
            value = try container.decode(Int64.self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

/// Bytes as the gateway carries them: base64.
struct EtcdBytes: Codable, Sendable, Hashable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "etcd sent bytes that are not base64"))
        }
        bytes = Array(data)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }
}

struct ResponseHeader: Decodable, Sendable {
    var revision: EtcdInt?
}

/// `etcdserverpb.RangeRequest`: one key, or the keys of [key, range_end), at `revision` (0: the newest).
struct RangeRequest: Encodable, Sendable {
    var key: EtcdBytes
    var range_end: EtcdBytes?
    var limit: EtcdInt?
    var revision: EtcdInt?
    var keys_only: Bool?
    var count_only: Bool?
    var min_create_revision: EtcdInt?
    var min_mod_revision: EtcdInt?
    var max_mod_revision: EtcdInt?
    var serializable: Bool?
}

struct KeyValue: Decodable, Sendable {
    var key: EtcdBytes
    var create_revision: EtcdInt?
    var mod_revision: EtcdInt?
    var value: EtcdBytes?
}

/// `etcdserverpb.RangeResponse`. The gateway leaves out fields at their default (no `kvs`, `count` 0,
/// `more` false).
struct RangeResponse: Decodable, Sendable {
    var header: ResponseHeader?
    var kvs: [KeyValue]?
    var more: Bool?
    var count: EtcdInt?
}

/// `etcdserverpb.Compare`: `target` of the key (or of every key in [key, range_end)) against a number.
struct Compare: Encodable, Sendable {
    enum Result: String, Encodable, Sendable {
        case equal = "EQUAL"
        case less = "LESS"
    }
    enum Target: String, Encodable, Sendable {
        case create = "CREATE"
        case mod = "MOD"
    }
    var result: Result
    var target: Target
    var key: EtcdBytes
    var range_end: EtcdBytes?
    var mod_revision: EtcdInt?
    var create_revision: EtcdInt?
}

struct PutRequest: Encodable, Sendable {
    var key: EtcdBytes
    var value: EtcdBytes
    var lease: EtcdInt?
}

struct DeleteRangeRequest: Encodable, Sendable {
    var key: EtcdBytes
    /// Every key of [key, range_end) when set (a generation's data at once).
    var range_end: EtcdBytes?
}

/// `etcdserverpb.RequestOp`: exactly one of the three is set.
struct RequestOp: Encodable, Sendable {
    var request_range: RangeRequest?
    var request_put: PutRequest?
    var request_delete_range: DeleteRangeRequest?
}

/// `etcdserverpb.TxnRequest`: if every compare holds, the success ops run, else the failure ops; atomically.
struct TxnRequest: Encodable, Sendable {
    var compare: [Compare] = []
    var success: [RequestOp] = []
    var failure: [RequestOp] = []
}

struct ResponseOp: Decodable, Sendable {
    var response_range: RangeResponse?
    var response_put: PutResponse?
}

/// `etcdserverpb.PutResponse`: only whether there was one matters (a Txn that wrote).
struct PutResponse: Decodable, Sendable {
    var header: ResponseHeader?
}

struct TxnResponse: Decodable, Sendable {
    var header: ResponseHeader?
    var succeeded: Bool?
    var responses: [ResponseOp]?
}

struct LeaseGrantRequest: Encodable, Sendable {
    var TTL: EtcdInt
}

struct LeaseGrantResponse: Decodable, Sendable {
    var ID: EtcdInt?
    var TTL: EtcdInt?
    var error: String?
}

/// What the gateway answers instead of a response when the call failed (`code` is the gRPC status code).
struct GatewayError: Decodable, Sendable {
    var error: String?
    var message: String?
    var code: Int?
}
