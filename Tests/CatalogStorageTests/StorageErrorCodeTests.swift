import CatalogStorage
import Testing

@Suite struct StorageErrorCodeTests {
    @Test(arguments: StorageError.Code.lmdbMacros.map { ($0.code.rawValue, $0.cValue, $0.macro) })
    func swiftNameMatchesItsCMacro(swiftValue: Int32, cValue: Int32, macro: String) {
        #expect(swiftValue == cValue, "\(macro)")
    }

    @Test func everyLMDBCodeHasASwiftName() {
        let pinned = Set(StorageError.Code.lmdbMacros.map(\.cValue))
        for code in Int32(-30799)...Int32(-30780) {
            #expect(pinned.contains(code), "LMDB code \(code) has no Swift name")
            #expect(StorageError.Code(rawValue: code).description != "errno\(code)")
        }
    }

    @Test(arguments: [
        (StorageError.Code.conflict, StorageError.Kind.conflict), (.corrupted, .corrupted), (.invalid, .corrupted),
        (.mapFull, .full), (.noSpace, .full), (.permissionDenied, .denied), (.badValueSize, .invalidKey),
        (.unsupportedFileSystem, .unsupported), (.ioFailure, .failure), (.unavailable, .failure),
        (.changeSetTooLarge, .full), (.backendFailure, .failure),
    ])
    func everyCodeHasABackendNeutralKind(code: StorageError.Code, kind: StorageError.Kind) {
        #expect(StorageError(code: code, operation: "test", message: "test").kind == kind)
    }

    @Test func theLayersOwnCodesSitOutsideLMDBsRange() {
        for code in [
            StorageError.Code.unsupportedFileSystem, .unknownDatabase, .cannotGrow, .conflict, .notARegularFile,
            .lockFileReplaced, .unavailable, .changeSetTooLarge, .backendFailure,
        ] {
            #expect(code.rawValue >= -30099 && code.rawValue <= -30000, "\(code)")
            #expect(code.description != "errno\(code.rawValue)")
        }
    }
}
