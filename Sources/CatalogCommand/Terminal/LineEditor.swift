import CLibEdit
import Foundation

/// Line editing with libedit, wrapped once: emacs keys (arrows, Ctrl-A/E/K/W), history recall with up and down,
/// Ctrl-R incremental search, and Tab completion (`Completer`).
///
/// libedit's history lives in memory only: the shell seeds it from its redacted history file and adds each
/// statement's redacted text itself. Nothing here ever asks libedit to save its history (`H_SAVE` has no
/// wrapper in the shim), so a line as typed, secrets included, never reaches the disk.
///
/// Keys are read by `readKey` (libedit's `EL_GETCFN`), so that Ctrl-C, which interrupts the `read`, ends the
/// line at once instead of being retried inside libedit.
final class LineEditor: LineSource {
    private let editor: OpaquePointer
    private let history: OpaquePointer
    private var prompt: UnsafeMutablePointer<CChar>?
    private var context = ""
    private let completer: Completer

    /// A line editor on standard input and output, or `nil` when libedit cannot start on this terminal.
    init?(completer: Completer, seed: [String]) {
        // Streams of its own over the standard descriptors (the C library's `stdin` is shared mutable state).
        guard let input = fdopen(STDIN_FILENO, "r"), let output = fdopen(STDOUT_FILENO, "w"),
            let errors = fdopen(STDERR_FILENO, "w"), let editor = el_init("catalog", input, output, errors)
        else { return nil }
        guard let history = history_init() else {
            el_end(editor)
            return nil
        }
        self.editor = editor
        self.history = history
        self.completer = completer
        catalog_history_set_size(history, 1000)
        catalog_history_set_unique(history, 1)
        for entry in seed { catalog_history_enter(history, entry) }
        catalog_el_set_history(editor, history)
        catalog_el_set_editor(editor, "emacs")
        catalog_el_set_signal(editor, 0)
        catalog_el_set_client_data(editor, Unmanaged.passUnretained(self).toOpaque())
        catalog_el_set_prompt(editor) { editor in
            guard let editor, let data = catalog_el_client_data(editor) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().prompt
        }
        catalog_el_set_getc(editor) { _, character in LineEditor.readKey(into: character) }
        catalog_el_add_function(editor, "catalog-complete", "complete a keyword, name or property key") { editor, _ in
            guard let editor, let data = catalog_el_client_data(editor) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        catalog_el_bind(editor, "^I", "catalog-complete")
        catalog_el_bind(editor, "^R", "em-inc-search-prev")
        catalog_el_bind(editor, "^W", "ed-delete-prev-word")
    }

    deinit {
        el_end(editor)
        history_end(history)
        free(prompt)
    }

    func read(prompt text: String) -> LineRead {
        free(prompt)
        prompt = strdup(text)
        var count: Int32 = 0
        let line = el_gets(editor, &count)
        if Interrupts.pending {
            writeStandardOutput("\n")
            return .interrupted
        }
        guard let line, count > 0 else { return .end }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    func remember(_ entry: String) {
        catalog_history_enter(history, entry)
    }

    func setContext(_ text: String) { context = text }

    /// Tab: completes the word before the cursor, or lists the candidates when there are several.
    private func complete() -> UInt8 {
        guard let info = el_line(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let typed = String(
            decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer).bindMemory(to: UInt8.self),
            as: UTF8.self)
        let completion = completer.complete(context.isEmpty ? typed : context + "\n" + typed)
        if !completion.insertion.isEmpty {
            el_insertstr(editor, completion.insertion)
            return UInt8(CC_REFRESH)
        }
        guard completion.candidates.count > 1 else { return UInt8(CC_REFRESH_BEEP) }
        writeStandardOutput("\n" + completion.candidates.joined(separator: "  ") + "\n")
        return UInt8(CC_REDISPLAY)
    }

    /// Reads one character (UTF-8 from standard input) for libedit: 1 with a character, 0 at the end of the
    /// input, -1 after Ctrl-C (or an error), which ends `el_gets`.
    fileprivate static func readKey(into character: UnsafeMutablePointer<wchar_t>?) -> Int32 {
        func byte() -> UInt8? {
            var value: UInt8 = 0
            while true {
                let count = Foundation.read(STDIN_FILENO, &value, 1)
                if count == 1 { return value }
                if count < 0 && errno == EINTR && !Interrupts.pending { continue }
                return nil
            }
        }
        guard let first = byte() else { return Interrupts.pending ? -1 : 0 }
        var bytes = [first]
        let length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
        while bytes.count < length, let next = byte() { bytes.append(next) }
        let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
        character?.pointee = wchar_t(bitPattern: scalar.value)
        return 1
    }
}
