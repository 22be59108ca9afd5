internal import CatalogSealing
internal import CatalogStorage
internal import Synchronization

/// The master key and the sealer over the current keyring, shared by every transaction of a catalog handle.
///
/// Another process may rotate the data key; a writer therefore checks the stored keyring at the start of
/// each write and a reader that meets an unknown key id reloads it from its own snapshot.
final class KeyState: Sendable {
    private struct Current {
        var master: MasterKey
        var wrappedKeyring: [UInt8]
        var sealer: Sealer
    }

    private let current: Mutex<Current>

    init(master: MasterKey, wrappedKeyring: [UInt8], keyring: Keyring) {
        current = Mutex(Current(master: master, wrappedKeyring: wrappedKeyring, sealer: Sealer(keyring: keyring)))
    }

    var master: MasterKey { current.withLock { $0.master } }
    var sealer: Sealer { current.withLock { $0.sealer } }

    /// The sealer for the keyring stored in this snapshot's `meta`, reloading it if it changed.
    func sealer(matching storedKeyring: [UInt8]?) throws -> Sealer {
        let (master, wrapped, sealer) = current.withLock { ($0.master, $0.wrappedKeyring, $0.sealer) }
        guard let storedKeyring, storedKeyring != wrapped else { return sealer }
        let keyring: Keyring
        do {
            keyring = try Keyring.unwrap(storedKeyring, with: master)
        } catch {
            throw CatalogError.sealing(error, doing: "reloading the keyring another process changed")
        }
        let reloaded = Sealer(keyring: keyring)
        replace(master: master, wrappedKeyring: storedKeyring, keyring: keyring, sealer: reloaded)
        return reloaded
    }

    /// Installs a new master key and keyring after a committed rotation or rekey.
    func replace(master: MasterKey, wrappedKeyring: [UInt8], keyring: Keyring, sealer: Sealer? = nil) {
        let sealer = sealer ?? Sealer(keyring: keyring)
        current.withLock { $0 = Current(master: master, wrappedKeyring: wrappedKeyring, sealer: sealer) }
    }
}
