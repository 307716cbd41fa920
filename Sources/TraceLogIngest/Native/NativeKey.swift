/// The top-level keys of the native format (every type's keys together).
enum NativeKey: UInt8, CaseIterable {
    case type, id, time, trace, causedBy
    case trigger, payload, source, hook, timer
    case rule, triggerInstance, execution
    case action, runID, attempt, status, parent, rerunOf, input, output, durationMs, failure, failureMessage
    case event, details, node
    case tag, origin, entity
    case otlp

    /// The key as spelled in JSON.
    var name: StaticString {
        switch self {
        case .type: "type"
        case .id: "id"
        case .time: "time"
        case .trace: "trace"
        case .causedBy: "caused_by"
        case .trigger: "trigger"
        case .payload: "payload"
        case .source: "source"
        case .hook: "hook"
        case .timer: "timer"
        case .rule: "rule"
        case .triggerInstance: "trigger_instance"
        case .execution: "execution"
        case .action: "action"
        case .runID: "run_id"
        case .attempt: "attempt"
        case .status: "status"
        case .parent: "parent"
        case .rerunOf: "rerun_of"
        case .input: "input"
        case .output: "output"
        case .durationMs: "duration_ms"
        case .failure: "failure"
        case .failureMessage: "failure_message"
        case .event: "event"
        case .details: "details"
        case .node: "node"
        case .tag: "tag"
        case .origin: "origin"
        case .entity: "entity"
        case .otlp: "otlp"
        }
    }

    /// The key as a `String`, for error messages.
    var fieldName: String { name.description }

    /// The key spelled by `bytes` (a decoded key), or nil for any other key.
    ///
    /// - Complexity: a switch on length and first byte picks the only candidate, then one comparison against
    ///   a literal (the tests check that every key matches its ``name`` here).
    static func match(_ bytes: UnsafeRawBufferPointer) -> NativeKey? {
        guard let first = bytes.first else { return nil }
        let second = bytes.count > 1 ? bytes[1] : 0
        switch (bytes.count, first) {
        case (2, UInt8(ascii: "i")): return bytes.spells("id") ? .id : nil
        case (3, UInt8(ascii: "t")): return bytes.spells("tag") ? .tag : nil
        case (4, UInt8(ascii: "t")):
            return second == UInt8(ascii: "y")
                ? (bytes.spells("type") ? .type : nil) : (bytes.spells("time") ? .time : nil)
        case (4, UInt8(ascii: "h")): return bytes.spells("hook") ? .hook : nil
        case (4, UInt8(ascii: "r")): return bytes.spells("rule") ? .rule : nil
        case (4, UInt8(ascii: "n")): return bytes.spells("node") ? .node : nil
        case (4, UInt8(ascii: "o")): return bytes.spells("otlp") ? .otlp : nil
        case (5, UInt8(ascii: "t")):
            return second == UInt8(ascii: "r")
                ? (bytes.spells("trace") ? .trace : nil) : (bytes.spells("timer") ? .timer : nil)
        case (5, UInt8(ascii: "i")): return bytes.spells("input") ? .input : nil
        case (5, UInt8(ascii: "e")): return bytes.spells("event") ? .event : nil
        case (6, UInt8(ascii: "s")):
            return second == UInt8(ascii: "o")
                ? (bytes.spells("source") ? .source : nil) : (bytes.spells("status") ? .status : nil)
        case (6, UInt8(ascii: "a")): return bytes.spells("action") ? .action : nil
        case (6, UInt8(ascii: "r")): return bytes.spells("run_id") ? .runID : nil
        case (6, UInt8(ascii: "p")): return bytes.spells("parent") ? .parent : nil
        case (6, UInt8(ascii: "o")):
            return second == UInt8(ascii: "u")
                ? (bytes.spells("output") ? .output : nil) : (bytes.spells("origin") ? .origin : nil)
        case (6, UInt8(ascii: "e")): return bytes.spells("entity") ? .entity : nil
        case (7, UInt8(ascii: "t")): return bytes.spells("trigger") ? .trigger : nil
        case (7, UInt8(ascii: "p")): return bytes.spells("payload") ? .payload : nil
        case (7, UInt8(ascii: "a")): return bytes.spells("attempt") ? .attempt : nil
        case (7, UInt8(ascii: "f")): return bytes.spells("failure") ? .failure : nil
        case (7, UInt8(ascii: "d")): return bytes.spells("details") ? .details : nil
        case (8, UInt8(ascii: "r")): return bytes.spells("rerun_of") ? .rerunOf : nil
        case (9, UInt8(ascii: "c")): return bytes.spells("caused_by") ? .causedBy : nil
        case (9, UInt8(ascii: "e")): return bytes.spells("execution") ? .execution : nil
        case (11, UInt8(ascii: "d")): return bytes.spells("duration_ms") ? .durationMs : nil
        case (15, UInt8(ascii: "f")): return bytes.spells("failure_message") ? .failureMessage : nil
        case (16, UInt8(ascii: "t")): return bytes.spells("trigger_instance") ? .triggerInstance : nil
        default: return nil
        }
    }
}

/// A set of ``NativeKey``s, one bit each.
struct NativeKeySet: OptionSet, Hashable {
    var rawValue: UInt32

    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The set holding only `key`.
    @inline(__always)
    init(_ key: NativeKey) {
        rawValue = 1 << UInt32(key.rawValue)
    }

    /// The set holding `keys`.
    init(_ keys: NativeKey...) {
        rawValue = keys.reduce(0) { $0 | 1 << UInt32($1.rawValue) }
    }

    /// Whether `key` is in the set.
    @inline(__always)
    func contains(_ key: NativeKey) -> Bool { rawValue & 1 << UInt32(key.rawValue) != 0 }

    /// The member with the lowest raw value, or nil when empty.
    var first: NativeKey? {
        rawValue == 0 ? nil : NativeKey(rawValue: UInt8(rawValue.trailingZeroBitCount))
    }
}

extension UnsafeRawBufferPointer {
    /// Whether these bytes are exactly `text`'s UTF-8.
    ///
    /// - Complexity: compares eight, then four bytes at a time.
    @inline(__always)
    func spells(_ text: StaticString) -> Bool {
        let count = self.count
        guard count == text.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawPointer(text.utf8Start)
        var index = 0
        while index + 8 <= count {
            let word = loadUnaligned(fromByteOffset: index, as: UInt64.self)
            guard word == expected.loadUnaligned(fromByteOffset: index, as: UInt64.self) else { return false }
            index += 8
        }
        if index + 4 <= count {
            let word = loadUnaligned(fromByteOffset: index, as: UInt32.self)
            guard word == expected.loadUnaligned(fromByteOffset: index, as: UInt32.self) else { return false }
            index += 4
        }
        while index < count {
            guard self[index] == expected.load(fromByteOffset: index, as: UInt8.self) else { return false }
            index += 1
        }
        return true
    }
}
