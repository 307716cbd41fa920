extension JSONValue {
    /// The value as YAML in block style (`trace list -y`, `trace get -y`), one key per line.
    ///
    /// Strings are written as JSON string literals (double-quoted YAML scalars, so no value is ever read back
    /// as another type), and stored JSON (payloads, input, output) as its JSON text on one line — JSON is YAML
    /// flow style — so a YAML parser reads back exactly the JSON value. Cost: O(size of the output).
    public func yaml() -> String {
        var output = ""
        writeYAML(to: &output, indent: 0, inSequence: false)
        if output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    private func writeYAML(to output: inout String, indent: Int, inSequence: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch self {
        case .array(let values) where !values.isEmpty:
            for value in values {
                output += pad + "-"
                value.writeNested(to: &output, indent: indent + 1, inSequence: true)
            }
        case .object(let members) where !members.isEmpty:
            for (index, (key, value)) in members.enumerated() {
                // The first key of a mapping inside a sequence item shares the item's line.
                if !(inSequence && index == 0) { output += pad }
                JSONValue.writeString(key, to: &output)
                output += ":"
                value.writeNested(to: &output, indent: indent + 1, inSequence: false)
            }
        default:
            output += pad + scalarText + "\n"
        }
    }

    /// Writes a value after `key:` or `-`: scalars and empty collections on the same line, others below.
    private func writeNested(to output: inout String, indent: Int, inSequence: Bool) {
        switch self {
        case .array(let values) where !values.isEmpty:
            output += "\n"
            writeYAML(to: &output, indent: indent, inSequence: false)
        case .object(let members) where !members.isEmpty:
            if inSequence {
                output += " "
                writeYAML(to: &output, indent: indent, inSequence: true)
            } else {
                output += "\n"
                writeYAML(to: &output, indent: indent, inSequence: false)
            }
        default:
            output += " " + scalarText + "\n"
        }
    }

    /// A scalar (or an empty collection) as YAML flow text.
    private var scalarText: String {
        switch self {
        case .raw(let text):
            // JSON strings hold no raw line breaks, so every line break in the text is whitespace between tokens.
            String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        case .array: "[]"
        case .object: "{}"
        default: serialized()
        }
    }
}
