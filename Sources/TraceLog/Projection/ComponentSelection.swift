public import TraceLogStorage

/// Which components of a trace `trace get` shows (CLI flags `-e/-r/-g`, `--effects`, `--show-*`,
/// `--hide-noop-triggers`; the same query parameters over HTTP).
public struct ComponentSelection: Hashable, Sendable {
    /// The entity whose causation chain (or effects) is shown: an execution id, a trigger-instance id, or for
    /// `.rule` an enforcement id, rule id or rule ref. Nil: the whole trace.
    public var selector: EntityRef?
    /// With a selector: everything downstream of it instead of the chain upstream. Ignored without one.
    public var effects: Bool
    /// Only components of these types; empty: every type.
    public var types: Set<EntityType>
    /// Hide trigger instances that caused no rule enforcement.
    public var hideNoopTriggers: Bool

    /// Creates a selection; by default every component of the trace.
    public init(
        selector: EntityRef? = nil, effects: Bool = false, types: Set<EntityType> = [], hideNoopTriggers: Bool = false
    ) {
        self.selector = selector
        self.effects = effects
        self.types = types
        self.hideNoopTriggers = hideNoopTriggers
    }
}

extension TraceProjection {
    /// The components a selection shows, in time order: the chain (or effects) of the selector if any, then the
    /// type and noop-trigger filters.
    ///
    /// Cost: O(components) plus the walk of the chain or effects.
    public func select(_ selection: ComponentSelection) -> [TraceComponent] {
        var selected = components
        if let selector = selection.selector {
            let matching = components(matching: selector.type, id: selector.id)
            selected = selection.effects ? effects(of: matching) : causationChain(of: matching)
        }
        if !selection.types.isEmpty { selected = selected.filter { selection.types.contains($0.type) } }
        if selection.hideNoopTriggers {
            let noop = noopTriggerInstanceIDs
            selected = selected.filter { !($0.type == .triggerInstance && noop.contains($0.id)) }
        }
        return selected
    }
}
