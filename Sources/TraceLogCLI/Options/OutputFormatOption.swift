import ArgumentParser
import TraceLog

/// `-j/--json`, `-y/--yaml` and `-a/--attr ATTR…` (st2's output flags): how a query prints its answer.
struct OutputFormatOption: ParsableArguments {
    @Flag(name: [.customShort("j"), .long], help: "Print JSON.") var json = false
    @Flag(name: [.customShort("y"), .long], help: "Print YAML.") var yaml = false
    @Option(
        name: [.customShort("a"), .customLong("attr")], parsing: .upToNextOption,
        help: "Only these attributes, in this order ('all': every one), as columns or members.")
    var attributes: [String] = []

    func validate() throws {
        if json, yaml { throw ValidationError("use one of -j/--json and -y/--yaml") }
    }

    /// Whether the answer is printed as JSON or YAML rather than a table.
    var structured: Bool { json || yaml }

    /// Prints a value as JSON or YAML.
    func print(_ value: JSONValue) {
        Swift.print(yaml ? value.yaml() : value.serialized())
    }

    /// The table columns: the attributes given (every one for `all`), else `defaults`.
    func columns(defaults: [String], available: [String]) throws -> [String] {
        guard !attributes.isEmpty else { return defaults }
        if attributes.contains("all") { return available }
        for name in attributes where !available.contains(name) {
            throw CLIUsageError(
                QueryError.invalidValue(
                    .attributes, expected: "all or one of " + available.joined(separator: ", "), got: name))
        }
        return attributes
    }

    /// An object's members selected by `-a` (all without it).
    func selected(_ value: JSONValue, available: [String]) throws -> JSONValue {
        do {
            return try value.selecting(attributes, available: available)
        } catch {
            throw CLIUsageError(error)
        }
    }
}

/// A table cell for a JSON member: strings as they are, null empty, `{type,id}` as `type:id`, arrays by count.
func cellText(_ value: JSONValue?) -> String {
    switch value {
    case .none, .null: ""
    case .string(let text): text
    case .array(let values): String(values.count)
    case .object:
        if case .string(let type) = value?[member: "type"], case .string(let id) = value?[member: "id"] {
            "\(type):\(id)"
        } else {
            value?.serialized() ?? ""
        }
    case .some(let other): other.serialized()
    }
}
