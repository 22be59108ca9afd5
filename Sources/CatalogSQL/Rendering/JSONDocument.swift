/// A small JSON value written by hand as pretty-printed text, for documents people paste elsewhere (the trust
/// policies of DESC … EXTENDED).
///
/// Objects keep their members in the order given, so the text is stable from run to run and reads in the order
/// the provider's own documentation uses. Strings go through `JSONString.quoted`, so the output is valid JSON
/// whatever they hold. No Foundation: the result never changes with Foundation's formatting.
enum JSONDocument {
    case string(String)
    case array([JSONDocument])
    case object([(key: String, value: JSONDocument)])

    /// The document with 2-space indentation, one member or element a line, `"key": value`, and no trailing
    /// newline. An empty array or object is written `[]` or `{}`.
    var prettyPrinted: String {
        var text = ""
        write(into: &text, indent: 0)
        return text
    }

    private func write(into text: inout String, indent: Int) {
        switch self {
        case .string(let value):
            text += JSONString.quoted(value)
        case .array(let elements):
            guard !elements.isEmpty else {
                text += "[]"
                return
            }
            text += "[\n"
            for (index, element) in elements.enumerated() {
                text += String(repeating: " ", count: indent + 2)
                element.write(into: &text, indent: indent + 2)
                text += index == elements.count - 1 ? "\n" : ",\n"
            }
            text += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else {
                text += "{}"
                return
            }
            text += "{\n"
            for (index, member) in members.enumerated() {
                text += String(repeating: " ", count: indent + 2) + JSONString.quoted(member.key) + ": "
                member.value.write(into: &text, indent: indent + 2)
                text += index == members.count - 1 ? "\n" : ",\n"
            }
            text += String(repeating: " ", count: indent) + "}"
        }
    }
}
