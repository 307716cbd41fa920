public import TraceLogStorage

extension NativeEventWriter {
    /// Appends the native line of the record behind `view` and a `\n` to `buffer`: the same bytes as
    /// ``append(_:to:)`` with the decoded record, written from the stored fields without building a ``Record``
    /// (no `String` per field, no copy of the JSON values) — how `tracelog replay` prints.
    ///
    /// Throws where decoding the record would (a required field missing, an unknown trigger source or cause
    /// type), with the same reason; `buffer` is then left as it was.
    public func append(_ view: RecordView, to buffer: inout [UInt8]) throws(RecordDecodingError) {
        // The line is written in place into capacity reserved for it: at most 6 bytes per stored byte (an
        // escaped control byte, `\u00XX`) plus the keys, punctuation and numbers, which take well under 1 KiB.
        let reservation = view.size &* 6 &+ 1024
        try buffer.append(addingCapacity: reservation) { (span) throws(RecordDecodingError) in
            try span.withUnsafeMutableBufferPointer { (free, initialized) throws(RecordDecodingError) in
                var output = ReservedJSONBytes(free)
                try write(view, to: &output)
                output.put(0x0A)
                initialized = output.count
            }
        }
    }

    private func write(_ view: RecordView, to output: inout ReservedJSONBytes) throws(RecordDecodingError) {
        // One walk over the field list finds every field (and checks its framing, as decoding does).
        let wellFormed = try view.withFields { (fields) throws(RecordDecodingError) in
            try write(view, fields, to: &output)
        }
        guard wellFormed else { throw RecordDecodingError(offset: 0, reason: "malformed record framing") }
    }

    private func write(
        _ view: RecordView, _ fields: StackFields, to output: inout ReservedJSONBytes
    ) throws(RecordDecodingError) {
        func required(_ tag: FieldTag) throws(RecordDecodingError) -> UnsafeRawBufferPointer {
            guard let value = fields[tag] else {
                throw RecordDecodingError(offset: 0, reason: "missing field \(tag)")
            }
            return value
        }
        // The cause, checked as decoding checks it (trace starts have an origin instead).
        var cause: (EntityType, UnsafeRawBufferPointer)?
        if view.kind != .traceStart, view.causeTypeByte != 0 {
            guard let type = view.causeType else {
                throw RecordDecodingError(offset: 0, reason: "unknown cause type \(view.causeTypeByte)")
            }
            cause = (type, try required(.causeID))
        }
        switch view.kind {
        case .traceStart:
            let origin = try view.causeType.map { type throws(RecordDecodingError) in (type, try required(.entityID)) }
            let tag = try required(.tag)
            output.put("{\"type\":\"trace\",\"id\":\"")
            output.putHex(view.traceID)
            output.put("\"")
            writeTime(view, to: &output)
            writeMember("tag", tag, to: &output)
            writeReference("origin", origin, to: &output)
        case .triggerInstance:
            guard let source = view.triggerSource else {
                throw RecordDecodingError(offset: 0, reason: "unknown trigger source \(view.auxByte)")
            }
            let id = try required(.entityID)
            let trigger = try required(.ref)
            let payload = try required(.primaryJSON)
            writeHeader("trigger_instance", id: id, view, to: &output)
            writeMember("trigger", trigger, to: &output)
            output.put(",\"source\":\"")
            output.put(source.wireName)
            output.put("\"")
            writeMember("hook", fields[.hook], to: &output)
            writeMember("timer", fields[.timer], to: &output)
            writeRaw("payload", payload, to: &output)
            writeReference("caused_by", cause, to: &output)
        case .ruleEnforcement:
            let id = try required(.entityID)
            let ruleID = try required(.ruleID)
            let ruleRef = try required(.ref)
            let triggerInstance = try required(.triggerInstanceID)
            writeHeader("rule_enforcement", id: id, view, to: &output)
            output.put(",\"rule\":{\"id\":")
            output.putString(utf8: ruleID)
            output.put(",\"ref\":")
            output.putString(utf8: ruleRef)
            output.put("}")
            writeMember("trigger_instance", triggerInstance, to: &output)
            writeMember("execution", fields[.executionID], to: &output)
            writeReference("caused_by", cause, to: &output)
        case .executionAttempt:
            let id = try required(.entityID)
            let action = try required(.ref)
            writeHeader("execution", id: id, view, to: &output)
            writeMember("action", action, to: &output)
            writeMember("run_id", fields[.runID], to: &output)
            output.put(",\"attempt\":")
            output.putDecimal(UInt64(view.attempt))
            writeMember("status", fields[.status], to: &output)
            writeMember("parent", fields[.parent], to: &output)
            writeMember("rerun_of", fields[.rerunOf], to: &output)
            writeRaw("input", fields[.primaryJSON], to: &output)
            writeRaw("output", fields[.output], to: &output)
            if let value = fields[.durationMs], value.count == 8,
                case let duration = Double(bitPattern: UInt64(littleEndian: value.loadUnaligned(as: UInt64.self))),
                duration.isFinite
            {
                output.put(",\"duration_ms\":")
                if duration == duration.rounded(.towardZero), abs(duration) < 9_007_199_254_740_992 {
                    output.putDecimal(Int64(duration))
                } else {
                    output.putDescription(duration)
                }
            }
            if let failure = view.failure {
                output.put(",\"failure\":\"")
                output.put(failure.wireName)
                output.put("\"")
            }
            writeMember("failure_message", fields[.failureMessage], to: &output)
            writeRaw("otlp", fields[.otlp], to: &output)
            writeReference("caused_by", cause, to: &output)
        case .causationLink:
            guard let effect = view.linkedType, let cause else {
                throw RecordDecodingError(offset: 0, reason: "causation link without both ends")
            }
            let id = try required(.entityID)
            writeHeader("causation_link", id: nil, view, to: &output)
            writeReference("entity", (effect, id), to: &output)
            writeReference("caused_by", cause, to: &output)
        case .flowEvent:
            let event = try required(.ref)
            let details = try required(.primaryJSON)
            writeHeader("flow_event", id: fields[.entityID], view, to: &output)
            writeMember("event", event, to: &output)
            writeMember("node", fields[.node], to: &output)
            writeRaw("details", details, to: &output)
        }
        output.put("}")
    }

    /// `{"type":…,"id":…,"time":…,"trace":{"id":…}`, leaving the object open (as for a decoded record, whose
    /// trace context is its trace id).
    private func writeHeader(
        _ type: StaticString, id: UnsafeRawBufferPointer?, _ view: RecordView, to output: inout ReservedJSONBytes
    ) {
        output.put("{\"type\":\"")
        output.put(type)
        output.put("\"")
        writeMember("id", id, to: &output)
        writeTime(view, to: &output)
        output.put(",\"trace\":{\"id\":\"")
        output.putHex(view.traceID)
        output.put("\"}")
    }

    private func writeTime(_ view: RecordView, to output: inout ReservedJSONBytes) {
        output.put(",\"time\":\"")
        output.putRFC3339(view.time)
        output.put("\"")
    }

    private func writeMember(_ key: StaticString, _ value: UnsafeRawBufferPointer?, to output: inout ReservedJSONBytes)
    {
        guard let value else { return }
        output.put(",")
        output.putKey(key)
        output.putString(utf8: value)
    }

    private func writeRaw(_ key: StaticString, _ value: UnsafeRawBufferPointer?, to output: inout ReservedJSONBytes) {
        guard let value else { return }
        output.put(",")
        output.putKey(key)
        output.putRaw(utf8: value)
    }

    private func writeReference(
        _ key: StaticString, _ reference: (EntityType, UnsafeRawBufferPointer)?, to output: inout ReservedJSONBytes
    ) {
        guard let (type, id) = reference else { return }
        output.put(",")
        output.putKey(key)
        output.put("{\"type\":\"")
        output.put(type.wireName)
        output.put("\",\"id\":")
        output.putString(utf8: id)
        output.put("}")
    }
}
