import Testing
import TraceLogWorkload

/// 20k lines of the default mix must exercise every behaviour the log and its projections handle.
@Suite("Traffic coverage")
struct TrafficCoverageTests {
    private let sample: WorkloadSample
    private let resolver: TraceResolver

    init() throws {
        sample = try WorkloadSample(seed: 2026, count: 20_000)
        resolver = TraceResolver(sample.objects)
    }

    private func objects(_ type: String) -> [[String: Any]] {
        sample.objects.filter { $0.type == type }
    }

    @Test("trigger instances come from sensors, webhooks, timers, action and notify triggers")
    func triggerSources() {
        let sources = Set(objects("trigger_instance").compactMap { $0.string("source") })
        #expect(sources.isSuperset(of: ["sensor", "webhook", "timer", "action_trigger", "notify_trigger"]))
        let actionTriggers = objects("trigger_instance").filter { $0.string("source") == "action_trigger" }
        #expect(
            actionTriggers.allSatisfy {
                $0.string("trigger") == "core.st2.generic.actiontrigger" && $0.cause?.type == "execution"
            })
    }

    @Test("traces start tagged, untagged, and with tags reused across traces; trace.id is never written")
    func tags() {
        let tags = resolver.tagOfTrace
        #expect(tags.contains(nil))
        var tracesPerTag: [String: Int] = [:]
        for tag in tags.compactMap({ $0 }) { tracesPerTag[tag, default: 0] += 1 }
        #expect(tracesPerTag.values.contains { $0 >= 2 }, "no tag starts two traces")
        #expect(!sample.lines.contains { $0.contains(#""trace":{"id""#) })
    }

    @Test("rules cascade through action triggers, and one rule fires twice in one trace")
    func cascades() {
        let traceOfEnforcement = zip(sample.objects, resolver.traceOfLine).filter { $0.0.type == "rule_enforcement" }
        let actionTriggerIDs = Set(
            objects("trigger_instance").filter { $0.string("source") == "action_trigger" }.map(\.id))
        #expect(traceOfEnforcement.contains { actionTriggerIDs.contains($0.0.string("trigger_instance") ?? "") })
        var firings: [String: Int] = [:]
        for (object, trace) in traceOfEnforcement {
            let rule = (object["rule"] as? [String: String])?["id"] ?? ""
            firings["\(trace)/\(rule)", default: 0] += 1
        }
        #expect(firings.values.contains { $0 >= 2 }, "no rule fired twice in one trace")
        let matched = Set(objects("rule_enforcement").compactMap { $0.string("trigger_instance") })
        #expect(objects("trigger_instance").contains { !matched.contains($0.id) }, "no noop trigger instance")
    }

    @Test("executions retry, run as workflow children, start from users, and are re-run")
    func executionShapes() {
        let executions = objects("execution")
        #expect(executions.contains { $0.attempt == 3 })
        #expect(executions.contains { $0.string("parent") != nil && $0.cause?.type == "execution" })
        #expect(executions.contains { $0.string("rerun_of") != nil })
        let userStarted = executions.filter {
            $0.cause == nil && $0.string("parent") == nil && $0.string("run_id") == nil
                && !($0.string("action") ?? "").hasPrefix("flow:") && $0.attempt == 1
                && $0.string("status") == "requested"
        }
        #expect(userStarted.contains { $0.tag != nil } && userStarted.contains { $0.tag == nil })
    }

    @Test("every failure class occurs, in Stroma runs and elsewhere")
    func failureClasses() {
        let executions = objects("execution")
        for failure in ["RECOVERABLE", "TERMINAL", "AMBIGUOUS"] {
            #expect(executions.contains { $0.string("failure") == failure && $0["run_id"] != nil }, "\(failure)")
            #expect(executions.contains { $0.string("failure") == failure && $0["run_id"] == nil }, "\(failure)")
        }
        #expect(executions.contains { $0["duration_ms"] is Double && "\($0["duration_ms"]!)".contains(".") })
    }

    @Test("Selinon flows use many of Selinon's event names, including retries, failures and sub-flows")
    func selinonEvents() {
        let events = Set(objects("flow_event").compactMap { $0.string("event") })
        #expect(events.isSubset(of: selinonEventNames))
        #expect(events.count >= 14, "only \(events.sorted())")
        #expect(
            events.isSuperset(of: [
                "FLOW_SCHEDULE", "DISPATCHER_WAKEUP", "FLOW_START", "TASK_SCHEDULE", "TASK_START", "TASK_END",
                "TASK_RETRY", "TASK_FAILURE", "NODE_SUCCESSFUL", "NODE_FAILURE", "FLOW_END", "FLOW_FAILURE",
                "SUBFLOW_SCHEDULE", "DISPATCHER_RETRY",
            ]))
    }

    @Test("traces interleave: consecutive lines often belong to different traces")
    func interleaving() {
        let switches = zip(resolver.traceOfLine, resolver.traceOfLine.dropFirst()).filter { $0 != $1 }.count
        #expect(switches > sample.lines.count / 2)
    }

    @Test("the average line length is 200 to 260 bytes", arguments: [WorkloadMix.mixed, WorkloadMix(stackstorm: 1)])
    func averageLineLength(mix: WorkloadMix) throws {
        let lines = try mix == .mixed ? sample.lines : WorkloadSample(seed: 1, count: 20_000, mix: mix).lines
        let average = Double(lines.reduce(0) { $0 + $1.utf8.count }) / Double(lines.count)
        #expect((200...260).contains(average), "average \(average)")
    }
}
