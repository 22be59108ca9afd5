import ArgumentParser
import Synchronization

/// Which subcommand may create a catalog: only `catalog init` and `catalog sql` (the shell, also the default
/// subcommand) do (DESIGN §6); every other command needs an existing catalog and leaves nothing behind.
///
/// The entry point records the parsed subcommand once, before it runs, so `CatalogOpener` can decide without
/// each command having to say so.
enum CatalogCreation {
    private static let allowed = Atomic<Bool>(false)

    /// Records whether `command` is one that creates a catalog on first use.
    static func record(_ command: any ParsableCommand) {
        allowed.store(command is InitCommand || command is SQLCommand, ordering: .relaxed)
    }

    /// Whether the running subcommand may create a catalog.
    static var isAllowed: Bool { allowed.load(ordering: .relaxed) }
}
