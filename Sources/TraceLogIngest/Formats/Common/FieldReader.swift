import TraceLogStorage

/// Reads typed fields out of one ``SourceJSON`` object of a foreign input, throwing ``ImportError``s that name
/// the location and the (dotted) field.
struct FieldReader {
    let format: IngestFormat
    let location: ImportLocation
    /// The source bytes the values' ranges point into.
    let source: [UInt8]
    /// The path of the object being read (`""` for the element itself, `action_executions[2]` for a nested one).
    var path = ""

    /// An error about `key` (relative to ``path``), or about the object itself when `key` is nil.
    func error(_ key: String?, _ reason: String) -> ImportError {
        ImportError(format: format, location: location, field: field(key), reason: reason)
    }

    /// `path.key`, `key`, or nil for the object itself at the top.
    func field(_ key: String?) -> String? {
        guard let key else { return path.isEmpty ? nil : path }
        return path.isEmpty ? key : "\(path).\(key)"
    }

    /// A reader for a nested object at `path.key` (or `path[index]`).
    func nested(_ component: String) -> FieldReader {
        var copy = self
        copy.path = component.hasPrefix("[") ? path + component : (field(component) ?? component)
        return copy
    }

    /// The members of `value`, which must be an object; duplicate keys are rejected, and keys not in `allowed`
    /// when it is given.
    ///
    /// `allowed` is a short list, searched in order: comparing a handful of keys beats hashing each (hashing,
    /// and building a set literal per component, took a twentieth of the StackStorm importer's time).
    func members(of value: SourceJSON, allowed: [String]? = nil) throws(ImportError) -> JSONMembers {
        guard case .object(let list) = value.value else {
            throw error(nil, "expected an object, got \(value.typeName)")
        }
        // Small objects are checked for duplicates by comparing keys, large ones through a set.
        // Keys are read by index: binding each member copied its value (a retain and release of its tree).
        var seen: Set<String>? = list.count > 16 ? [] : nil
        for index in list.indices {
            let key = list[index].key
            if let allowed, !allowed.contains(key) { throw error(key, "unknown key") }
            let duplicate =
                seen != nil ? !seen!.insert(key).inserted : (0..<index).contains { list[$0].key == key }
            if duplicate { throw error(key, "duplicate key") }
        }
        return JSONMembers(list: list)
    }

    /// A string member; nil when absent or null unless `required`.
    func string(_ members: JSONMembers, _ key: String, required: Bool = false) throws(ImportError) -> String? {
        guard let value = members[key], !value.isNull else {
            if required { throw error(key, "missing") }
            return nil
        }
        guard let text = value.string else { throw error(key, "expected a string, got \(value.typeName)") }
        return text
    }

    /// A required, non-empty string member.
    func requiredString(_ members: JSONMembers, _ key: String) throws(ImportError) -> String {
        guard let text = try string(members, key, required: true) else { throw error(key, "missing") }
        guard !text.isEmpty else { throw error(key, "must not be empty") }
        return text
    }

    /// An integer member (a number without fraction or exponent) within `range`; nil when absent or null.
    func integer(_ members: JSONMembers, _ key: String, in range: ClosedRange<Int64>) throws(ImportError)
        -> Int64?
    {
        guard let value = members[key], !value.isNull else { return nil }
        guard case .number(let lexeme) = value.value, let number = Int64(lexeme), range.contains(number) else {
            throw error(
                key, "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(value.text(in: source))")
        }
        return number
    }

    /// A finite number member ≥ 0; nil when absent or null.
    func nonNegativeNumber(_ members: JSONMembers, _ key: String) throws(ImportError) -> Double? {
        guard let value = members[key], !value.isNull else { return nil }
        guard case .number(let lexeme) = value.value, let number = Double(lexeme), number.isFinite, number >= 0 else {
            throw error(key, "expected a number ≥ 0, got \(value.text(in: source))")
        }
        return number
    }

    /// A member kept byte for byte; nil when absent (an explicit `null` is kept as `null` only if `keepNull`).
    func raw(_ members: JSONMembers, _ key: String, keepNull: Bool = false) -> RawJSON? {
        guard let value = members[key], keepNull || !value.isNull else { return nil }
        return RawJSON(value.text(in: source))
    }

    /// An RFC 3339 time member (also `YYYY-MM-DD HH:MM:SS[.ffffff]` without a zone when `naiveUTC`, as Python's
    /// `str(datetime.utcnow())` prints it).
    func time(_ members: JSONMembers, _ key: String, required: Bool, naiveUTC: Bool = false)
        throws(ImportError) -> Timestamp?
    {
        guard let text = try string(members, key, required: required) else { return nil }
        if let time = Timestamp(rfc3339: text) { return time }
        if naiveUTC, let time = Timestamp(rfc3339: text + "Z") { return time }
        throw error(key, "expected an RFC 3339 time, got \"\(text)\"")
    }
}

/// An object's members by key, for ``FieldReader``: the parsed list, searched in order.
///
/// Import objects have a handful of keys, where comparing keys beats hashing every one of them into a
/// `Dictionary` per object (hashing was a seventh of the Selinon importer's time). The reader asks for a fixed
/// number of keys, so a large object costs a scan per key asked, never per key it holds.
struct JSONMembers: Sendable {
    let list: [(key: String, value: SourceJSON)]

    /// The member named `key`.
    subscript(key: String) -> SourceJSON? { list.first { $0.key == key }?.value }

    /// Whether the object has no member.
    var isEmpty: Bool { list.isEmpty }
}
