import CatalogSealing
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct MasterKeyTests {
    @Test func wrongMasterKeyIsDetectedByTheCheckValueFirst() throws {
        let master = MasterKey.generate()
        let setup = KeyringRewrap.initial(master: master)
        let wrong = MasterKey.generate()
        let error = Fixture.sealingError { try wrong.verify(checkValue: setup.checkValue) }
        #expect(error?.code == .wrongKey)
        #expect(error?.reason == .wrongMasterKey)
        // Rotation with the wrong key stops at the check value, before touching the keyring.
        let rotation = Fixture.sealingError {
            _ = try KeyringRewrap.rotate(wrappedKeyring: [0xff], checkValue: setup.checkValue, master: wrong)
        }
        #expect(rotation?.code == .wrongKey)
        try master.verify(checkValue: setup.checkValue)
        try master.verify(checkValue: master.makeCheckValue())
    }

    @Test func damagedCheckValueIsNotMistakenForAWrongKey() {
        let master = MasterKey.generate()
        var check = master.makeCheckValue()
        check.removeLast()
        #expect(Fixture.sealingError { try master.verify(checkValue: check) }?.reason == .truncated)
        check = master.makeCheckValue()
        check[0] = 9
        #expect(Fixture.sealingError { try master.verify(checkValue: check) }?.reason == .unknownVersion)
    }

    @Test func rightMasterKeyOpensValuesOfEveryDataKeyAfterRotations() throws {
        let master = MasterKey.generate()
        var state = KeyringRewrap.initial(master: master)
        var sealed: [(SealedValue, String)] = []
        for round in 0..<5 {
            let sealer = Sealer(keyring: try Keyring.unwrap(state.wrappedKeyring, with: master))
            let text = "secret for round \(round)"
            sealed.append((sealer.seal(utf8: text, for: Fixture.place()), text))
            state = try KeyringRewrap.rotate(
                wrappedKeyring: state.wrappedKeyring, checkValue: state.checkValue, master: master)
        }
        let keyring = try Keyring.unwrap(state.wrappedKeyring, with: master)
        #expect(keyring.keyIDs == [1, 2, 3, 4, 5, 6])
        #expect(keyring.newestKeyID == 6)
        #expect(Set(sealed.map { $0.0.keyID }) == [1, 2, 3, 4, 5])
        let sealer = Sealer(keyring: keyring)
        for (value, text) in sealed {
            let opened = try sealer.open(value, for: Fixture.place())
            #expect(opened.withBytes { String(decoding: $0, as: UTF8.self) } == text)
        }
    }

    @Test func rekeyKeepsEveryValueOpenableAndLocksOutTheOldKey() throws {
        let old = MasterKey.generate()
        let setup = KeyringRewrap.initial(master: old)
        let rotated = try KeyringRewrap.rotate(
            wrappedKeyring: setup.wrappedKeyring, checkValue: setup.checkValue, master: old)
        let values = [
            Sealer(keyring: setup.keyring).seal(utf8: "one", for: Fixture.place()),
            Sealer(keyring: rotated.keyring).seal(utf8: "two", for: Fixture.place()),
        ]
        let new = MasterKey.generate()
        let rekeyed = try KeyringRewrap.rekey(
            wrappedKeyring: rotated.wrappedKeyring, checkValue: rotated.checkValue, from: old, to: new)
        try new.verify(checkValue: rekeyed.checkValue)
        #expect(Fixture.sealingError { try old.verify(checkValue: rekeyed.checkValue) }?.code == .wrongKey)
        let unwrapError = Fixture.sealingError { _ = try Keyring.unwrap(rekeyed.wrappedKeyring, with: old) }
        #expect(unwrapError?.code == .wrongKey)
        let sealer = Sealer(keyring: try Keyring.unwrap(rekeyed.wrappedKeyring, with: new))
        #expect(
            try values.map { try sealer.withOpened($0, for: Fixture.place()) { String(decoding: $0, as: UTF8.self) } }
                == ["one", "two"])
    }

    @Test func tamperedKeyringIsAnIntegrityErrorNotAWrongKey() throws {
        let master = MasterKey.generate()
        var wrapped = Keyring.generate().rotated().wrapped(by: master)
        wrapped[wrapped.count - 1] ^= 1  // the last key's tag
        let error = Fixture.sealingError { _ = try Keyring.unwrap(wrapped, with: master) }
        #expect(error?.code == .integrityError)
        #expect(
            Fixture.sealingError { _ = try Keyring.unwrap(Array(wrapped.dropLast()), with: master) }?.reason
                == .truncated)
    }

    @Test func fingerprintsIdentifyKeysWithoutRevealingThem() throws {
        let master = MasterKey.generate()
        let keyring = Keyring.generate().rotated()
        let prints = keyring.fingerprints(with: master)
        #expect(prints.map(\.keyID) == [1, 2])
        #expect(prints.allSatisfy { $0.fingerprint.count == 32 })
        #expect(prints[0].fingerprint != prints[1].fingerprint)
        let again = try Keyring.unwrap(keyring.wrapped(by: master), with: master).fingerprints(with: master)
        #expect(again.map(\.fingerprint) == prints.map(\.fingerprint))
    }

    @Test func masterKeyRejectsWrongLength() {
        let error = Fixture.sealingError { _ = try MasterKey(bytes: SecretBytes(copying: [1, 2, 3])) }
        #expect(error?.code == .invalidValue)
        #expect(error?.reason == .invalidKeyLength)
    }
}

@Suite struct KeyFileTests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "sealing-tests-" + SecureRandom.alphanumeric(count: 10)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func mode(of path: String) -> mode_t {
        var info = stat()
        #expect(stat(path, &info) == 0)
        return info.st_mode & 0o777
    }

    func write(_ text: String, to path: String, mode: mode_t) {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        #expect(chmod(path, mode) == 0)
    }

    @Test func missingKeyFileIsCreatedWithMode0600AndReadBack() throws {
        let path = directory + "/master.key"
        let created = try MasterKeySource.keyFile(path: path).resolve()
        #expect(mode(of: path) == 0o600)
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(contents.hasSuffix("\n"))
        #expect(Data(base64Encoded: contents.trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)
        let loaded = try MasterKeySource.keyFile(path: path).resolve()
        #expect(loaded.isEqual(to: created))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(leftovers == ["master.key"])
    }

    @Test func keyFileReadableByOthersIsRefusedWithTheFix() {
        let path = directory + "/open.key"
        write(Data(SecureRandom.bytes(count: 32)).base64EncodedString() + "\n", to: path, mode: 0o644)
        let error = Fixture.sealingError { _ = try MasterKeySource.keyFile(path: path).resolve() }
        #expect(error?.code == .invalidValue)
        #expect(error?.reason == .insecureKeyFile)
        #expect(error?.message.contains("chmod 600 \(path)") == true)
        #expect(chmod(path, 0o600) == 0)
        #expect(throws: Never.self) { try MasterKeySource.keyFile(path: path).resolve() }
    }

    @Test func keyFileWithBadContentIsRefused() {
        let path = directory + "/bad.key"
        write("not base64 at all!\n", to: path, mode: 0o600)
        #expect(
            Fixture.sealingError { _ = try MasterKeySource.keyFile(path: path).resolve() }?.reason == .invalidEncoding)
        write(Data(SecureRandom.bytes(count: 16)).base64EncodedString(), to: path, mode: 0o600)
        #expect(
            Fixture.sealingError { _ = try MasterKeySource.keyFile(path: path).resolve() }?.reason == .invalidKeyLength)
    }

    @Test func keyFileInAMissingDirectoryIsAnIOError() {
        let error = Fixture.sealingError {
            _ = try MasterKeySource.keyFile(path: directory + "/no/such/dir/master.key").resolve()
        }
        #expect(error?.code == .ioError)
        #expect(error?.underlying != nil)
    }
}

@Suite struct EnvironmentAndPassphraseTests {
    let variable = MasterKeySource.environmentVariable

    @Test func environmentAcceptsBase64Of32Bytes() throws {
        let raw = SecureRandom.bytes(count: 32)
        let key = try MasterKeySource.environment.resolve(environment: [variable: Data(raw).base64EncodedString()])
        #expect(key.isEqual(to: try MasterKey(bytes: SecretBytes(copying: raw))))
        let padded = try MasterKeySource.environment.resolve(environment: [
            variable: " \(Data(raw).base64EncodedString())\n"
        ])
        #expect(padded.isEqual(to: key))
    }

    @Test(arguments: [
        (Data(repeating: 7, count: 31).base64EncodedString(), SealingError.Reason.invalidKeyLength),
        (Data(repeating: 7, count: 33).base64EncodedString(), .invalidKeyLength),
        ("", .invalidKeyLength),
        ("this is not base64!", .invalidEncoding),
        (String(Data(repeating: 7, count: 32).base64EncodedString().dropLast()), .invalidEncoding),
    ])
    func environmentRefusesWrongLengthOrBadBase64(value: String, reason: SealingError.Reason) {
        let error = Fixture.sealingError { _ = try MasterKeySource.environment.resolve(environment: [variable: value]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.reason == reason)
        #expect(error?.message.contains(variable) == true)
    }

    @Test func missingEnvironmentVariableSaysWhatToSet() {
        let error = Fixture.sealingError { _ = try MasterKeySource.environment.resolve(environment: [:]) }
        #expect(error?.reason == .missingKey)
        #expect(error?.message.contains(variable) == true)
    }

    @Test func passphraseWithTheSameSaltGivesTheSameKey() throws {
        let parameters = PassphraseParameters.minimumForTests
        let first = try MasterKeySource.passphrase(SecretBytes(utf8: "correct horse battery staple"))
            .resolve(passphraseParameters: parameters)
        let stored = try PassphraseParameters(bytes: parameters.bytes)
        #expect(stored == parameters)
        let second = try MasterKeySource.passphrase(SecretBytes(utf8: "correct horse battery staple"))
            .resolve(passphraseParameters: stored)
        #expect(first.isEqual(to: second))
        let check = first.makeCheckValue()
        try second.verify(checkValue: check)

        let other = try MasterKeySource.passphrase(SecretBytes(utf8: "correct horse battery stapler"))
            .resolve(passphraseParameters: parameters)
        #expect(Fixture.sealingError { try other.verify(checkValue: check) }?.code == .wrongKey)

        var otherSalt = parameters
        otherSalt.salt = SecureRandom.bytes(count: 16)
        let salted = try MasterKeySource.passphrase(SecretBytes(utf8: "correct horse battery staple"))
            .resolve(passphraseParameters: otherSalt)
        #expect(!salted.isEqual(to: first))
    }

    @Test func passphraseNeedsValidParameters() {
        let source = MasterKeySource.passphrase(SecretBytes(utf8: "pass"))
        #expect(Fixture.sealingError { _ = try source.resolve() }?.reason == .missingKey)
        var bad = PassphraseParameters.minimumForTests
        bad.salt = [1, 2, 3]
        #expect(
            Fixture.sealingError { _ = try source.resolve(passphraseParameters: bad) }?.reason == .invalidParameters)
        bad = PassphraseParameters.minimumForTests
        bad.opsLimit = 0
        #expect(
            Fixture.sealingError { _ = try source.resolve(passphraseParameters: bad) }?.reason == .invalidParameters)
        #expect(PassphraseParameters().opsLimit == PassphraseParameters.moderateOpsLimit)
    }
}

@Suite struct ChecksumAndRandomTests {
    @Test func streamingChecksumMatchesOneShotAndDependsOnTheKey() {
        let master = MasterKey.generate()
        let key = ChecksumKey(master: master)
        let data = SecureRandom.bytes(count: 10_000)
        let streaming = key.makeChecksum()
        streaming.update(Array(data[..<3_333]))
        streaming.update(Array(data[3_333...]))
        let streamed = streaming.finalize()
        #expect(streamed.count == 32)
        #expect(streamed == key.checksum(of: data))
        #expect(StreamingChecksum.matches(streamed, key.checksum(of: data)))
        #expect(StreamingChecksum.hex(streamed).count == 64)
        #expect(ChecksumKey(master: MasterKey.generate()).checksum(of: data) != streamed)
        #expect(ChecksumKey(master: master).checksum(of: data) == streamed)
    }

    @Test func alphanumericIDsUseOnlyTheAlphabet() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let ids = (0..<200).map { _ in SecureRandom.alphanumeric(count: 16) }
        #expect(ids.allSatisfy { $0.count == 16 && $0.allSatisfy(allowed.contains) })
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.joined()).count == 62)
        #expect(SecureRandom.bytes(count: 24).count == 24)
    }

    @Test func alphanumericSymbolsAreEquallyLikely() {
        // 620,000 symbols, 10,000 expected each (σ ≈ 100). A modulo bias (byte % 62 without skipping bytes of
        // 248 and up) would give the first eight symbols 25 % more than the rest.
        var counts: [Character: Int] = [:]
        for _ in 0..<(620_000 / 20) {
            for symbol in SecureRandom.alphanumeric(count: 20) { counts[symbol, default: 0] += 1 }
        }
        #expect(counts.count == 62)
        let (low, high) = (counts.values.min() ?? 0, counts.values.max() ?? 0)
        #expect(Double(high) / Double(max(low, 1)) < 1.12, "from \(low) to \(high)")
    }

    @Test func hexRoundTripsAndRejectsGarbage() throws {
        let bytes = SecureRandom.bytes(count: 33)
        #expect(try Hex.decode(Hex.encode(bytes)) == bytes)
        #expect(try Hex.decode("") == [])
        #expect(throws: SealingError.self) { try Hex.decode("abc") }
        #expect(throws: SealingError.self) { try Hex.decode("zz") }
    }
}
