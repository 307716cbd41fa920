/// The four native record types, in the order `WorkloadStatistics` counts them.
enum RecordType: Int, CaseIterable {
    case triggerInstance, ruleEnforcement, execution, flowEvent

    var name: StaticString {
        switch self {
        case .triggerInstance: "trigger_instance"
        case .ruleEnforcement: "rule_enforcement"
        case .execution: "execution"
        case .flowEvent: "flow_event"
        }
    }
}

/// The `caused_by.type` values of the native format.
enum CauseType {
    case triggerInstance, rule, execution

    var name: StaticString {
        switch self {
        case .triggerInstance: "trigger_instance"
        case .rule: "rule"
        case .execution: "execution"
        }
    }
}

/// The pre-rendered lines of one scenario (a trace, a run or a flow), emitted one at a time.
///
/// A planner writes every line of its scenario up front, in causal order, except the `time`
/// value: each line is stored as the bytes before the time and the bytes after it, and the
/// generator inserts the virtual clock's time when it emits the line. The byte arena and the line
/// table are reused from one scenario to the next, so a slot stops allocating once it has grown.
struct ScenarioScript {
    /// Where one line lives in `text`: `start..<timeSplit` precedes the time, `timeSplit..<end` follows it.
    struct Line {
        var start: Int
        var timeSplit: Int
        var end: Int
        var type: RecordType
    }

    /// The arena all lines of the scenario are written into; replaced rather than overwritten
    /// while shared with a copy of the iterator (`reset()`), so copies stay independent.
    private(set) var text = LineBuffer(capacity: 16 * 1024)
    private(set) var lines: [Line] = []
    /// The next line to emit.
    var cursor = 0
    /// Executions that may be re-run once the whole scenario has been emitted.
    var rerunCandidates: [RerunCandidate] = []
    private var needsComma = false
    private var lineStart = 0
    private var timeSplit = 0
    private var lineType = RecordType.execution

    var isFinished: Bool { cursor == lines.count }

    /// Forgets the previous scenario, keeping the storage.
    mutating func reset() {
        if isKnownUniquelyReferenced(&text) {
            text.count = 0
        } else {
            text = LineBuffer(capacity: text.capacity)
        }
        lines.removeAll(keepingCapacity: true)
        rerunCandidates.removeAll(keepingCapacity: true)
        cursor = 0
    }

    /// Starts a line: `{"type":"…","id":"…","time":"` — the time itself is inserted on emission.
    mutating func beginLine(_ type: RecordType, id: EntityID) {
        lineStart = text.count
        lineType = type
        text.append("{\"type\":\"")
        text.append(type.name)
        text.append("\",\"id\":\"")
        text.appendID(id)
        text.append("\",\"time\":\"")
        timeSplit = text.count
        text.append(byte: UInt8(ascii: "\""))
        needsComma = true
    }

    /// Closes the line opened by `beginLine`.
    mutating func endLine() {
        text.append(byte: UInt8(ascii: "}"))
        lines.append(Line(start: lineStart, timeSplit: timeSplit, end: text.count, type: lineType))
    }

    /// Writes the separator and, when `key` is given, `"key":`.
    @inline(__always)
    mutating func prepareValue(_ key: StaticString?) {
        if needsComma { text.append(byte: UInt8(ascii: ",")) }
        needsComma = true
        if let key {
            text.appendQuoted(key)
            text.append(byte: UInt8(ascii: ":"))
        }
    }

    mutating func field(_ key: StaticString?, _ value: StaticString) {
        prepareValue(key)
        text.appendQuoted(value)
    }

    mutating func field(_ key: StaticString?, id: EntityID) {
        prepareValue(key)
        text.append(byte: UInt8(ascii: "\""))
        text.appendID(id)
        text.append(byte: UInt8(ascii: "\""))
    }

    mutating func field(_ key: StaticString?, int: Int) {
        prepareValue(key)
        text.appendDecimal(int)
    }

    mutating func field(_ key: StaticString?, bool: Bool) {
        prepareValue(key)
        text.append(bool ? "true" : "false")
    }

    mutating func nullField(_ key: StaticString?) {
        prepareValue(key)
        text.append("null")
    }

    /// `"key":<thousandths / 1000>`, e.g. `"duration_ms":1532.4`.
    mutating func field(_ key: StaticString, milliseconds thousandths: Int) {
        prepareValue(key)
        text.appendMilliseconds(thousandths: thousandths)
    }

    /// Opens a string whose content the caller appends to `text`; close it with `endString`.
    mutating func beginString(_ key: StaticString?) {
        prepareValue(key)
        text.append(byte: UInt8(ascii: "\""))
    }

    mutating func endString() {
        text.append(byte: UInt8(ascii: "\""))
    }

    mutating func openObject(_ key: StaticString?) {
        prepareValue(key)
        text.append(byte: UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func closeObject() {
        text.append(byte: UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func openArray(_ key: StaticString?) {
        prepareValue(key)
        text.append(byte: UInt8(ascii: "["))
        needsComma = false
    }

    mutating func closeArray() {
        text.append(byte: UInt8(ascii: "]"))
        needsComma = true
    }

    /// `"caused_by":{"type":"…","id":"…"}`.
    mutating func causedBy(_ type: CauseType, _ id: EntityID) {
        openObject("caused_by")
        field("type", type.name)
        field("id", id: id)
        closeObject()
    }

    /// Opens `"trace":{"tag":"` for a tag whose text the caller appends; close it with `endTraceTag`.
    mutating func beginTraceTag() {
        openObject("trace")
        beginString("tag")
    }

    mutating func endTraceTag() {
        endString()
        closeObject()
    }

    /// `"trace":{"tag":"<tag>"}` for a fixed tag.
    mutating func traceTag(_ tag: StaticString) {
        beginTraceTag()
        text.append(tag)
        endTraceTag()
    }
}

extension ScenarioScript {
    /// Appends the next line (without newline) with `time` inserted, and moves past it.
    ///
    /// - Returns: the record type of the emitted line.
    mutating func emitNextLine(time: Int64, formatter: inout TimestampFormatter, to output: LineBuffer) -> RecordType {
        let line = lines[cursor]
        cursor += 1
        output.append(text.pointer + line.start, count: line.timeSplit - line.start)
        formatter.append(microseconds: time, to: output)
        output.append(text.pointer + line.timeSplit, count: line.end - line.timeSplit)
        return line.type
    }
}
