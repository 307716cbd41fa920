import Testing
import TraceLogWorkload

/// The workload must be ingestible in order: SPEC §2 resolves every line to exactly one trace.
@Suite("Causal consistency")
struct CausalConsistencyTests {
    @Test(
        "every line resolves to one trace; every cause, parent and re-run refers to an earlier entity",
        arguments: [
            (1, WorkloadMix.mixed), (99, .mixed), (3, WorkloadMix(stackstorm: 1)), (4, WorkloadMix(stroma: 1)),
            (5, WorkloadMix(selinon: 1)),
        ] as [(UInt64, WorkloadMix)])
    func tracesResolve(seed: UInt64, mix: WorkloadMix) throws {
        let sample = try WorkloadSample(seed: seed, count: 20_000, mix: mix)
        let resolver = TraceResolver(sample.objects)
        #expect(resolver.violations.isEmpty, "\(resolver.violations.prefix(5))")
    }

    @Test("attempts of one execution run 1, 2, 3 … in order (status changes repeat an attempt)")
    func attemptsAreSequential() throws {
        let sample = try WorkloadSample(seed: 12, count: 30_000)
        var lastAttempt: [String: Int] = [:]
        for (index, object) in sample.objects.enumerated() where object.type == "execution" {
            let previous = lastAttempt[object.id] ?? 0
            #expect(
                [previous, previous + 1].contains(object.attempt) && object.attempt >= 1,
                "line \(index + 1): attempt \(object.attempt) after \(previous)")
            lastAttempt[object.id] = object.attempt
        }
    }

    @Test("an enforcement names the execution that its rule then starts")
    func enforcementsNameTheirExecution() throws {
        let sample = try WorkloadSample(seed: 13, count: 20_000, mix: WorkloadMix(stackstorm: 1))
        var executionOfEnforcement: [String: String] = [:]
        for object in sample.objects where object.type == "rule_enforcement" {
            executionOfEnforcement[object.id] = object.string("execution")
        }
        var checked = 0
        for object in sample.objects where object.cause?.type == "rule" {
            #expect(executionOfEnforcement[object.cause!.id] == object.id)
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test("a Stroma node's first attempt is caused by the previous node of the same run")
    func stromaNodesChain() throws {
        let sample = try WorkloadSample(seed: 14, count: 10_000, mix: WorkloadMix(stroma: 1))
        var runOfExecution: [String: String] = [:]
        var firstNodeOfRun: Set<String> = []
        for object in sample.objects {
            let run = try #require(object.string("run_id"))
            #expect(object.id.hasPrefix(run + "."))
            if object.attempt == 1, runOfExecution[object.id] == nil {
                if let cause = object.cause {
                    #expect(runOfExecution[cause.id] == run, "caused by another run's node")
                } else {
                    #expect(object.tag == "run-\(run)")
                    #expect(firstNodeOfRun.insert(run).inserted, "two first nodes in run \(run)")
                }
            } else {
                #expect(object.cause == nil && object.tag == nil, "a retry carries no cause or tag")
            }
            runOfExecution[object.id] = run
        }
    }

    @Test("Selinon tasks and sub-flows hang under their dispatcher; flow events concern known entities")
    func selinonStructure() throws {
        let sample = try WorkloadSample(seed: 15, count: 20_000, mix: WorkloadMix(selinon: 1))
        var dispatchers: Set<String> = []
        var tasks: Set<String> = []
        for object in sample.objects {
            if object.type == "execution" {
                let action = try #require(object.string("action"))
                if action.hasPrefix("flow:") {
                    if dispatchers.insert(object.id).inserted {
                        let parent = object.string("parent")
                        #expect((object.tag != nil) != (parent != nil), "a flow starts a trace xor joins a parent")
                        if let parent { #expect(dispatchers.contains(parent)) }
                    }
                } else if tasks.insert(object.id).inserted {
                    #expect(dispatchers.contains(object.string("parent") ?? ""), "task without its dispatcher")
                }
            } else {
                let details = try #require(object["details"] as? [String: Any])
                let dispatcher = try #require(details["dispatcher_id"] as? String)
                #expect(dispatchers.contains(dispatcher))
                #expect(object.id == dispatcher || tasks.contains(object.id))
                if let task = details["task_id"] as? String, object.id != dispatcher { #expect(task == object.id) }
            }
        }
    }
}
