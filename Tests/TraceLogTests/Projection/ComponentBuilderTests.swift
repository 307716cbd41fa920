import Testing
import TraceLog
import TraceLogStorage

/// Components are found by entity whatever their number: small traces search their components, large ones switch
/// to a table part-way through; records that come after the switch must find the components made before it.
@Suite struct ComponentBuilderTests {
    private static let id = TraceID(high: 1, low: 2)

    private static func stored(_ seq: Int, _ body: RecordBody) -> StoredRecord {
        StoredRecord(
            seq: UInt64(seq), record: Record(time: Timestamp(microseconds: Int64(seq)), traceID: id, body: body))
    }

    /// `count` executions and as many trigger instances with the same ids, then for each a causation link and a
    /// second attempt: every later record must reach the component its first record made.
    private static func projection(components count: Int) -> TraceProjection {
        var records = [stored(0, .traceStart(TraceStart(tag: "many")))]
        for number in 0..<count {
            records.append(
                stored(
                    records.count,
                    .executionAttempt(ExecutionAttempt(id: "x\(number)", action: "core.local", status: "running"))))
            records.append(
                stored(
                    records.count,
                    .triggerInstance(TriggerInstance(id: "x\(number)", trigger: "core.timer", source: .timer))))
        }
        for number in 0..<count {
            let link = CausationLink(
                entity: EntityRef(type: .execution, id: "x\(number)"),
                causedBy: EntityRef(type: .triggerInstance, id: "x\(number)"))
            records.append(stored(records.count, .causationLink(link)))
            let failure: FailureClass? = number.isMultiple(of: 2) ? nil : .terminal
            records.append(
                stored(
                    records.count,
                    .executionAttempt(
                        ExecutionAttempt(
                            id: "x\(number)", action: "core.local", attempt: 2, status: "succeeded", failure: failure)))
            )
        }
        return TraceProjection(id: id, records: records)
    }

    @Test(arguments: [1, 5, 24, 25, 60])
    func laterRecordsReachTheComponentOfTheirEntity(count: Int) {
        let trace = Self.projection(components: count)
        #expect(trace.tag == "many")
        #expect(trace.components.count == 2 * count)
        for number in 0..<count {
            let executions = trace.components(matching: .execution, id: "x\(number)")
            let triggers = trace.components(matching: .triggerInstance, id: "x\(number)")
            #expect(executions.count == 1 && triggers.count == 1)
            guard let execution = executions.first, let trigger = triggers.first else { continue }
            #expect(execution.seq == UInt64(1 + 2 * number) && trigger.seq == UInt64(2 + 2 * number))
            #expect(execution.causedBy == EntityRef(type: .triggerInstance, id: "x\(number)"))
            #expect(trigger.causedBy == nil)
            #expect(execution.attempts == 2 && execution.attemptSummaries.map(\.attempt) == [1, 2])
            #expect(execution.status == "succeeded")
            #expect(execution.failure == (number.isMultiple(of: 2) ? nil : .terminal))
            #expect(trigger.attempts == 0 && trigger.ref == "core.timer" && execution.ref == "core.local")
        }
    }
}
