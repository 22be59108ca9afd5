// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (the field names are etcd's JSON names, as in its .proto)
// The messages of etcd's watch on the v3 JSON gateway (`/v3/watch`): one request, then a stream of answers,
// one JSON object a line.

/// `etcdserverpb.WatchRequest` with its `create_request`: watch [key, range_end) from `start_revision`.
struct WatchRequest: Encodable, Sendable {
    struct Create: Encodable, Sendable {
        var key: EtcdBytes
        var range_end: EtcdBytes
        var start_revision: EtcdInt
    }

    var create_request: Create
}

/// One line of the stream: a `WatchResponse`, or the gateway's error.
struct WatchLine: Decodable, Sendable {
    var result: WatchResponse?
    var error: GatewayError?
}

/// `etcdserverpb.WatchResponse`. `canceled` with `compact_revision` set: the start revision was compacted away.
struct WatchResponse: Decodable, Sendable {
    var header: ResponseHeader?
    var created: Bool?
    var canceled: Bool?
    var compact_revision: EtcdInt?
    var cancel_reason: String?
    var events: [WatchEvent]?
}

/// `mvccpb.Event`: `type` is left out for a put (the default), `DELETE` for a delete.
struct WatchEvent: Decodable, Sendable {
    var type: String?
    var kv: KeyValue?
}
