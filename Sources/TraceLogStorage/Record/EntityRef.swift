/// The kinds of entity a trace is made of (SPEC §1).
public enum EntityType: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// A trigger instance: an event dispatched by a sensor, webhook, timer, action trigger or the API.
    case triggerInstance = 1
    /// A rule enforcement: one rule matching one trigger instance.
    case rule = 2
    /// An execution of an action, pipeline node or task (one or more attempts).
    case execution = 3
    /// A trace itself.
    case trace = 4

    /// The wire name: `trigger_instance`, `rule`, `execution` or `trace`.
    public var name: String {
        switch self {
        case .triggerInstance: "trigger_instance"
        case .rule: "rule"
        case .execution: "execution"
        case .trace: "trace"
        }
    }

    /// Parses a wire name; returns nil for anything else.
    public init?(name: some StringProtocol) {
        switch name {
        case "trigger_instance": self = .triggerInstance
        case "rule": self = .rule
        case "execution": self = .execution
        case "trace": self = .trace
        default: return nil
        }
    }

    public var description: String { name }
}

/// A reference to one entity: its type and id, e.g. the target of a `caused_by` link.
public struct EntityRef: Hashable, Sendable, CustomStringConvertible {
    /// The entity's type.
    public var type: EntityType
    /// The entity's id (enforcement id for rules).
    public var id: String

    /// Creates a reference.
    @inlinable
    public init(type: EntityType, id: String) {
        self.type = type
        self.id = id
    }

    /// `type:id`, e.g. `execution:5f1e…`.
    public var description: String { "\(type.name):\(id)" }
}

/// The failure class of an execution attempt (Stroma's model).
public enum FailureClass: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// A failure that a retry may cure.
    case recoverable = 1
    /// A failure that ends the run.
    case terminal = 2
    /// A failure whose outcome is unknown (e.g. a timeout after side effects).
    case ambiguous = 3

    /// The wire name: `RECOVERABLE`, `TERMINAL` or `AMBIGUOUS`.
    public var name: String {
        switch self {
        case .recoverable: "RECOVERABLE"
        case .terminal: "TERMINAL"
        case .ambiguous: "AMBIGUOUS"
        }
    }

    /// Parses a wire name; returns nil for anything else.
    public init?(name: some StringProtocol) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public var description: String { name }
}

/// Where a trigger instance came from (SPEC §7).
public enum TriggerSource: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case sensor = 1
    case webhook = 2
    case actionTrigger = 3
    case notifyTrigger = 4
    case timer = 5
    case api = 6

    /// The wire name: `sensor`, `webhook`, `action_trigger`, `notify_trigger`, `timer` or `api`.
    public var name: String {
        switch self {
        case .sensor: "sensor"
        case .webhook: "webhook"
        case .actionTrigger: "action_trigger"
        case .notifyTrigger: "notify_trigger"
        case .timer: "timer"
        case .api: "api"
        }
    }

    /// Parses a wire name; returns nil for anything else.
    public init?(name: some StringProtocol) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public var description: String { name }
}

/// A JSON value kept byte for byte as it was received (payloads, inputs, outputs, details).
///
/// TraceLog never reinterprets these: what was appended is what a reader gets back.
public struct RawJSON: Hashable, Sendable, CustomStringConvertible {
    /// The JSON text, UTF-8.
    public var text: String

    /// Wraps JSON text; the caller guarantees it is one valid JSON value.
    @inlinable
    public init(_ text: String) {
        self.text = text
    }

    /// The empty object `{}`.
    public static let emptyObject = RawJSON("{}")

    public var description: String { text }
}
