import CatalogSealing
import CatalogTestSupport
import Foundation
import Logging
import Testing

/// Plants unique secrets as plaintext, master key, data key, passphrase, environment value and key file,
/// drives every public API and failure path, and scans everything printed, thrown or logged.
@Suite struct RedactionTests {
    @Test func scannerFindsPlantedSecretsInEveryForm() {
        let secret = PlantedSecret()
        let scanner = SecretScanner(secret)
        #expect(!scanner.findings(in: "prefix \(secret.value) suffix").isEmpty)
        #expect(!scanner.findings(in: Hex.encode(secret.bytes)).isEmpty)
        #expect(!scanner.findings(in: Hex.encode(secret.bytes).uppercased()).isEmpty)
        for prefix in 0..<3 {
            let blob = Data(repeating: 0x41, count: prefix) + Data(secret.bytes) + Data([1, 2])
            #expect(!scanner.findings(in: blob.base64EncodedString()).isEmpty, "alignment \(prefix)")
        }
        #expect(scanner.findings(in: "PLANTED-but-not-this-one").isEmpty)
        #expect(!String(describing: secret).contains(secret.value))
    }

    @Test func noSealingTypeOrErrorOrLogLineRevealsKeysOrPlaintext() throws {
        let plaintext = PlantedSecret()
        let masterBytes = PlantedSecret()
        let dataKeyBytes = PlantedSecret()
        let passphrase = PlantedSecret()
        let environmentKey = PlantedSecret()
        let keyFileKey = PlantedSecret()
        let scanner = SecretScanner(plaintext, masterBytes, dataKeyBytes, passphrase, environmentKey, keyFileKey)
        let logs = LogCapture()
        let logger = logs.logger
        var printed: [String] = []

        func record(_ value: Any) {
            printed.append(String(describing: value))
            printed.append(String(reflecting: value))
            var dumped = ""
            dump(value, to: &dumped)
            printed.append(dumped)
            if let value = value as? any CustomStringConvertible { printed.append(value.description) }
            if let value = value as? any CustomDebugStringConvertible { printed.append(value.debugDescription) }
        }
        func attempt(_ body: () throws -> Void) {
            do {
                try body()
            } catch let error as SealingError {
                record(error)
                printed.append(error.message)
                printed.append("\(error.details)")
            } catch {
                record(error)
            }
        }

        // Keys built from planted bytes.
        let master = try MasterKey(bytes: SecretBytes(copying: masterBytes.bytes))
        let keyring = Keyring(dataKeys: [1: SecretBytes(copying: dataKeyBytes.bytes)]).rotated()
        let sealer = Sealer(keyring: keyring, logger: logger)
        let place = Fixture.place()
        record(master)
        record(keyring)
        record(sealer)
        record(place)
        record(SecretBytes(copying: plaintext.bytes))
        record(ChecksumKey(master: master))

        // Seal and open the planted plaintext through every entry point.
        for sealed in [
            sealer.seal(plaintext.bytes, for: place), sealer.seal(utf8: plaintext.value, for: place),
            sealer.seal(SecretBytes(copying: plaintext.bytes), for: place),
        ] {
            record(sealed)
            record(try sealer.open(sealed, for: place))
            try sealer.withOpened(sealed, for: place) { record($0.count) }
            attempt { _ = try sealer.open(sealed, for: Fixture.place(field: "OTHER")) }
            var tampered = sealed.bytes
            tampered[tampered.count - 1] ^= 1
            attempt { _ = try sealer.open(SealedValue(bytes: tampered), for: place) }
            tampered = sealed.bytes
            tampered[1] = 0xee
            attempt { _ = try sealer.open(SealedValue(bytes: tampered), for: place) }
            tampered[0] = 7
            attempt { _ = try SealedValue(bytes: tampered) }
            attempt { _ = try SealedValue(bytes: Array(sealed.bytes.prefix(20))) }
        }

        // Keyring, check value and rotation paths, right and wrong keys.
        let wrapped = keyring.wrapped(by: master)
        let check = master.makeCheckValue()
        record(keyring.fingerprints(with: master))
        let wrong = MasterKey.generate()
        attempt { try wrong.verify(checkValue: check) }
        attempt { _ = try Keyring.unwrap(wrapped, with: wrong) }
        attempt { _ = try Keyring.unwrap(Array(wrapped.dropLast()), with: master) }
        attempt {
            _ = try KeyringRewrap.rotate(wrappedKeyring: wrapped, checkValue: check, master: wrong, logger: logger)
        }
        record(try KeyringRewrap.rotate(wrappedKeyring: wrapped, checkValue: check, master: master, logger: logger))
        record(
            try KeyringRewrap.rekey(wrappedKeyring: wrapped, checkValue: check, from: master, to: wrong, logger: logger)
        )
        record(KeyringRewrap.initial(master: master, logger: logger))
        attempt { _ = try MasterKey(bytes: SecretBytes(copying: plaintext.bytes + [0])) }

        // Master key sources.
        let variable = MasterKeySource.environmentVariable
        record(
            try MasterKeySource.environment.resolve(
                environment: [variable: Data(environmentKey.bytes).base64EncodedString()], logger: logger))
        attempt {
            _ = try MasterKeySource.environment.resolve(environment: [variable: environmentKey.value], logger: logger)
        }
        attempt {
            _ = try MasterKeySource.environment.resolve(
                environment: [variable: Data(environmentKey.bytes + environmentKey.bytes).base64EncodedString()],
                logger: logger)
        }
        let passphraseSource = MasterKeySource.passphrase(SecretBytes(utf8: passphrase.value))
        record(passphraseSource)
        attempt { _ = try passphraseSource.resolve(logger: logger) }
        let parameters = PassphraseParameters.minimumForTests
        record(parameters)
        record(try passphraseSource.resolve(passphraseParameters: parameters, logger: logger))
        var badParameters = parameters
        badParameters.memLimit = 1
        attempt { _ = try passphraseSource.resolve(passphraseParameters: badParameters, logger: logger) }

        let directory = NSTemporaryDirectory() + "redaction-" + SecureRandom.alphanumeric(count: 10)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keyFile = directory + "/key"
        let contents = [
            (keyFileKey.value, 0o600), (Data(keyFileKey.bytes).base64EncodedString(), 0o644),
            (Data(keyFileKey.bytes + [1]).base64EncodedString(), 0o600),
        ]
        for (text, mode) in contents {
            #expect(FileManager.default.createFile(atPath: keyFile, contents: Data(text.utf8)))
            #expect(chmod(keyFile, mode_t(mode)) == 0)
            attempt { _ = try MasterKeySource.keyFile(path: keyFile).resolve(logger: logger) }
        }
        #expect(
            FileManager.default.createFile(
                atPath: keyFile, contents: Data(Data(keyFileKey.bytes).base64EncodedString().utf8)))
        #expect(chmod(keyFile, 0o600) == 0)
        record(try MasterKeySource.keyFile(path: keyFile).resolve(logger: logger))
        record(try MasterKeySource.keyFile(path: directory + "/new.key").resolve(logger: logger))

        let everything = (printed + logs.all).joined(separator: "\n")
        #expect(!logs.all.isEmpty)
        #expect(printed.count > 100)
        let findings = scanner.findings(in: everything)
        #expect(findings.isEmpty, "secrets leaked: \(findings)")
        // Positive control: the same scan over the text plus one planted value finds it.
        #expect(!scanner.findings(in: everything + plaintext.value).isEmpty)
    }
}
