/// A JSON value parsed for the importers, remembering where each value came from in its source bytes, so that
/// nested values (details, inputs, outputs) can be kept byte for byte.
///
/// This is the cold path of whole-file and foreign-format imports: a small recursive tree, not the native hot
/// path's scanner. Objects keep their key order and duplicate keys (callers decide what a duplicate means).
package struct SourceJSON: Sendable {
    /// The value itself.
    package enum Value: Sendable {
        case null
        case bool(Bool)
        /// A number, as its exact lexeme (`7`, `-0.5`, `1e-05`).
        case number(String)
        case string(String)
        case array([SourceJSON])
        case object([(key: String, value: SourceJSON)])
    }

    /// The value.
    package var value: Value
    /// Where the value's text lies in the source bytes.
    package var range: Range<Int>

    /// The member `key` of an object (the first one if the key repeats); nil for other values or absent keys.
    package subscript(key: String) -> SourceJSON? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, or nil for any other value.
    package var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// Whether the value is `null`.
    package var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// The JSON type's name for error messages: `null`, `a boolean`, `a number`, `a string`, `an array`, `an object`.
    package var typeName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The exact source text of this value.
    package func text(in source: [UInt8]) -> String {
        String(decoding: source[range], as: UTF8.self)
    }
}

/// Invalid JSON in an importer's input: the 0-based byte offset and what is wrong there.
package struct SourceJSONError: Error, Hashable, Sendable {
    /// The 0-based byte offset of the problem.
    package var offset: Int
    /// What is wrong.
    package var reason: String
}
