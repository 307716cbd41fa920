extension JSONValue {
    /// The object with only the members named in `attributes`, in the order given (st2's `-a ATTR…`); `all`
    /// keeps every member. Values that are not objects are returned as they are.
    ///
    /// - Throws: ``QueryError/invalidValue(_:expected:got:)`` (field ``QueryField/attributes``) for a name that is
    ///   not one of `available`.
    public func selecting(_ attributes: [String], available: [String]) throws(QueryError) -> JSONValue {
        guard !attributes.isEmpty, !attributes.contains("all"), case .object(let members) = self else { return self }
        var selected: [(String, JSONValue)] = []
        for name in attributes {
            guard available.contains(name) else {
                throw .invalidValue(
                    .attributes, expected: "all or one of " + available.joined(separator: ", "), got: name)
            }
            if let member = members.first(where: { $0.0 == name }) { selected.append(member) }
        }
        return .object(selected)
    }

    /// The member `name` of an object; nil for other values or a missing member.
    public subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }
}
