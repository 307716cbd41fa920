public import TraceLogStorage

/// A parameter of a trace query, as each adapter spells it (a CLI flag, an HTTP query parameter).
public enum QueryField: Hashable, Sendable, CaseIterable {
    case tag, execution, rule, triggerInstance, since, until, limit, offset, sort, effects, node, attributes
}

/// A trace query that cannot be answered as given: a value that does not parse, or options that do not go
/// together. The checks live here, once, for the CLI and the server; each adapter only says how it spells the
/// fields (``message(spelling:)``).
public enum QueryError: Error, Hashable, Sendable {
    /// `field` was given `value`, which is not what it takes (`expected`).
    case invalidValue(QueryField, expected: String, got: String)
    /// More than one of the execution, rule and trigger-instance selectors.
    case severalSelectors
    /// `effects` without a selector.
    case effectsWithoutSelector

    /// The message, naming fields as `spelling` does (`-e`/`--execution`, or `execution`).
    public func message(spelling: (QueryField) -> String) -> String {
        switch self {
        case .invalidValue(let field, let expected, let value): "\(spelling(field)): expected \(expected), got \(value)"
        case .severalSelectors:
            "use at most one of \(spelling(.execution)), \(spelling(.rule)) and \(spelling(.triggerInstance))"
        case .effectsWithoutSelector:
            "\(spelling(.effects)) needs \(spelling(.execution)), \(spelling(.rule)) or \(spelling(.triggerInstance))"
        }
    }
}

/// The text of a `trace list` request as an adapter received it, before any check.
public struct TraceListRequest: Hashable, Sendable {
    /// Filters, as given (nil or empty: not given).
    public var tag, execution, rule, triggerInstance: String?
    /// Times as given (see ``TimeExpression``).
    public var since, until: String?
    /// `-1` for all, else a count.
    public var limit: Int
    /// Matches to skip.
    public var offset: Int
    /// Sort order: `asc`/`ascending` or `desc`/`descending`.
    public var sort: String
    /// Only traces with a failed execution.
    public var failedOnly: Bool

    /// A request; by default the 50 newest traces.
    public init(
        tag: String? = nil, execution: String? = nil, rule: String? = nil, triggerInstance: String? = nil,
        since: String? = nil, until: String? = nil, limit: Int = 50, offset: Int = 0, sort: String = "desc",
        failedOnly: Bool = false
    ) {
        (self.tag, self.execution, self.rule, self.triggerInstance) = (tag, execution, rule, triggerInstance)
        (self.since, self.until, self.limit, self.offset, self.sort) = (since, until, limit, offset, sort)
        self.failedOnly = failedOnly
    }
}

extension TraceQuery {
    /// The query a `trace list` request asks for, checked: sort order, limit (-1 or more), offset (0 or more),
    /// times (``TimeExpression``, relative ones counted back from `now`). Empty filters count as not given.
    ///
    /// - Throws: ``QueryError/invalidValue(_:expected:got:)`` naming the first field that does not parse.
    public init(_ request: TraceListRequest, now: Timestamp = .now()) throws(QueryError) {
        guard let order = Order(parsing: request.sort) else {
            throw .invalidValue(.sort, expected: "asc or desc (ascending or descending)", got: request.sort)
        }
        guard request.limit >= -1 else {
            throw .invalidValue(.limit, expected: "-1 (all) or a count", got: "\(request.limit)")
        }
        guard request.offset >= 0 else { throw .invalidValue(.offset, expected: "a count", got: "\(request.offset)") }
        func time(_ text: String?, _ field: QueryField) throws(QueryError) -> Timestamp? {
            guard let text, !text.isEmpty else { return nil }
            guard let time = TimeExpression.parse(text, now: now) else {
                throw .invalidValue(field, expected: TimeExpression.expected, got: text)
            }
            return time
        }
        func nonEmpty(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }
        self.init(
            tag: nonEmpty(request.tag), execution: nonEmpty(request.execution), rule: nonEmpty(request.rule),
            triggerInstance: nonEmpty(request.triggerInstance), since: try time(request.since, .since),
            until: try time(request.until, .until), limit: request.limit == -1 ? nil : request.limit,
            offset: request.offset, order: order)
        failedOnly = request.failedOnly
    }
}

extension TraceQuery.Order {
    /// `asc`, `ascending`, `desc` or `descending` (st2 spells them out).
    public init?(parsing text: String) {
        switch text {
        case "asc", "ascending": self = .ascending
        case "desc", "descending": self = .descending
        default: return nil
        }
    }
}

extension ComponentSelection {
    /// The selection `trace get` asks for, checked: at most one of `execution`, `rule` and `triggerInstance`
    /// (empty counts as not given), and `effects` only with one of them.
    ///
    /// - Throws: ``QueryError/severalSelectors`` or ``QueryError/effectsWithoutSelector``.
    public init(
        execution: String?, rule: String?, triggerInstance: String?, effects: Bool, types: Set<EntityType> = [],
        hideNoopTriggers: Bool = false
    ) throws(QueryError) {
        let selectors = [
            execution.map { EntityRef(type: .execution, id: $0) }, rule.map { EntityRef(type: .rule, id: $0) },
            triggerInstance.map { EntityRef(type: .triggerInstance, id: $0) },
        ].compactMap { $0 }.filter { !$0.id.isEmpty }
        guard selectors.count <= 1 else { throw .severalSelectors }
        if effects, selectors.isEmpty { throw .effectsWithoutSelector }
        self.init(selector: selectors.first, effects: effects, types: types, hideNoopTriggers: hideNoopTriggers)
    }
}
