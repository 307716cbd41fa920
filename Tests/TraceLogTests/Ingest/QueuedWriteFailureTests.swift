import Foundation
import Testing
import TraceLog
import TraceLogStorage

/// The ingest thread hands writes over without waiting for the one before (up to two wait for the write thread).
/// When one of them fails, every call after it must fail too, and the log must hold exactly the calls that
/// succeeded: none acknowledged and lost, none written after the failure.
@Suite struct QueuedWriteFailureTests {
    @Test(arguments: [1, 2, 3, 5])
    func callsQueuedBehindAFailedWriteFailAndTheLogKeepsExactlyTheAcknowledgedOnes(failingWrite: Int) async throws {
        let directory = NSTemporaryDirectory() + "tracelog-queued-write-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let faults = FaultInjector()
        let store = try WritableTraceStore.open(
            directory: directory, options: LogOptions(durability: .none, faults: faults))
        faults.fail(.write, occurrence: failingWrite, with: .error(EIO))
        let calls = 24
        let perCall = 40
        // Calls are submitted without awaiting any, in small groups: calls that arrive while one is resolved share
        // its append, and the groups make several appends that queue for the write thread.
        var tickets: [IngestTicket<Int>] = []
        for call in 0..<calls {
            tickets.append(
                store.submitIngestSession { session throws(LogError) -> Int in
                    var events = Events()
                    var outcomes: [EventOutcome] = []
                    for index in 0..<perCall {
                        let attempt = ExecutionAttempt(
                            id: "ex-\(call)-\(index)", action: "core.local", status: "running")
                        try session.resolve(
                            unit: [IncomingEvent(body: .executionAttempt(attempt), time: events.nextTime())],
                            outcomes: &outcomes)
                    }
                    return outcomes.count { $0.seq != nil }
                })
            if call % 3 == 2 { try await Task.sleep(for: .milliseconds(1)) }
        }
        var succeeded: [Int] = []
        var failures: [LogError] = []
        for (call, ticket) in tickets.enumerated() {
            do {
                #expect(try await ticket.value() == perCall)
                #expect(failures.isEmpty, "call \(call) succeeded after a failed one")
                succeeded.append(call)
            } catch {
                failures.append(error)
            }
        }
        #expect(!failures.isEmpty, "the injected write failure reached no call")
        // The calls of the failed append get its error; the calls after it, the stopped writer's.
        for failure in failures {
            switch failure {
            case .writerStopped: break
            case .io(let error) where error.injected: break
            default: Issue.record("a call failed with \(failure), neither the injected error nor writerStopped")
            }
        }
        try? store.close()

        let reader = try TraceStore.openReadOnly(directory: directory)
        var stored: [String] = []
        var cursor = reader.reader.cursor()
        while let record = try cursor.next() {
            if case .executionAttempt(let attempt) = record.record.body { stored.append(attempt.id) }
        }
        let acknowledged = succeeded.flatMap { call in (0..<perCall).map { "ex-\(call)-\($0)" } }
        let common = min(stored.count, acknowledged.count)
        let firstDifference = (0..<common).first { stored[$0] != acknowledged[$0] } ?? common
        #expect(
            stored.count == acknowledged.count && firstDifference == stored.count,
            "\(stored.count) events stored, \(acknowledged.count) acknowledged; they differ from event \(firstDifference)"
        )
    }
}
