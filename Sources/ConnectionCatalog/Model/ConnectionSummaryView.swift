/// What a listing shows of a connection, borrowed from its stored record for the length of one call: the text
/// fields are the record's own bytes (checked as `ConnectionRecord.decode(_:)` checks them), so a listing can
/// show a row without making a string or an array for it.
package struct ConnectionSummaryView {
    /// The 16 id bytes.
    package let id: UnsafeRawBufferPointer
    /// The stored (lower-case) workspace name.
    package let workspace: UnsafeRawBufferPointer
    /// The stored (lower-case) connection name.
    package let name: UnsafeRawBufferPointer
    package let type: ConnectionType
    /// The comment's UTF-8 bytes, or `nil` when the connection has none.
    package let comment: UnsafeRawBufferPointer?
    package let enabled: Bool
    /// The creator's UTF-8 bytes.
    package let creator: UnsafeRawBufferPointer
    package let createdAt: Int64
    package let modifiedAt: Int64
    package let version: UInt64

    package var category: ConnectionCategory { type.category }
}

extension ConnectionSummary {
    /// Copies a borrowed summary into one that owns its values.
    package init(_ view: ConnectionSummaryView) {
        self.init(
            id: ConnectionID(bytes: view.id)!,
            name: ConnectionName(storedForm: String(decoding: view.name, as: UTF8.self)),
            workspace: WorkspaceName(storedForm: String(decoding: view.workspace, as: UTF8.self)), type: view.type,
            comment: view.comment.map { String(decoding: $0, as: UTF8.self) }, enabled: view.enabled,
            creator: String(decoding: view.creator, as: UTF8.self), createdAt: view.createdAt,
            modifiedAt: view.modifiedAt, version: view.version)
    }
}
