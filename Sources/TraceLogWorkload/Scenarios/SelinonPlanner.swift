/// Plans one Selinon-style flow: the dispatcher execution (which starts the trace with the flow
/// name as tag), the dispatcher's and tasks' trace events, task executions with retries, and
/// sometimes a sub-flow whose dispatcher joins the parent's trace through `parent`.
///
/// A flow event concerning a task is written only after that task's first execution line, so its
/// `id` is already known to the log when it arrives.
struct SelinonPlanner {
    var context: PlanningContext
    var script: ScenarioScript
    private let nodeArgs: UInt64

    /// Writes one whole flow into `script`.
    static func plan(into script: inout ScenarioScript, context: inout PlanningContext) {
        let nodeArgs = context.random.next()
        var planner = SelinonPlanner(context: consume context, script: consume script, nodeArgs: nodeArgs)
        let flow = planner.context.random.pick(SelinonVocabulary.topLevelFlows)
        _ = planner.runFlow(flow, dispatcher: planner.context.uuid(), parent: nil)
        context = planner.context
        script = planner.script
    }

    private init(context: PlanningContext, script: ScenarioScript, nodeArgs: UInt64) {
        self.context = context
        self.script = script
        self.nodeArgs = nodeArgs
    }

    /// Runs a flow under `dispatcher`; returns whether it succeeded.
    private mutating func runFlow(_ flowIndex: Int, dispatcher: EntityID, parent: EntityID?) -> Bool {
        let flow = SelinonVocabulary.flows[flowIndex]
        let host = SelinonVocabulary.hosts[2]
        let links = parent.map { ExecutionLinks(parent: $0) } ?? ExecutionLinks(tag: .fixed(flow.name))
        script.beginExecution(
            id: dispatcher, actionPrefix: "flow:", action: flow.name, attempt: 1, result: .running, links: links)
        writeNodeArgs("input")
        script.endExecution(durationThousandths: nil, result: .running, links: links)

        if parent == nil {
            beginEvent(.flowSchedule, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
            script.field("queue", flow.queue)
            writeNodeArgs("node_args")
            endEvent()
        }
        beginEvent(.dispatcherWakeup, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
        script.nullField("retry")
        script.nullField("state")
        endEvent()
        beginEvent(.flowStart, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
        script.field("queue", flow.queue)
        writeNodeArgs("node_args")
        endEvent()

        var parents: [(task: SelinonTask, id: EntityID)] = []
        var finished = 0
        var failedNode: StaticString?
        for (stageIndex, stage) in flow.stages.enumerated() {
            let scheduled = stage.map { (task: $0, id: context.uuid()) }
            for entry in scheduled {
                beginEvent(.taskSchedule, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
                script.field("task_name", entry.task.name)
                script.field("task_id", id: entry.id)
                writeParents(parents)
                endEvent()
            }
            beginEvent(.dispatcherRetry, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
            script.field("retry", int: 2)
            endEvent()
            var succeeded: [Bool] = []
            for entry in scheduled {
                succeeded.append(
                    runTask(entry.task, id: entry.id, flow: flow, dispatcher: dispatcher, parents: parents))
            }
            beginEvent(.dispatcherWakeup, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
            script.field("retry", int: 2)
            endEvent()
            for (entry, ok) in zip(scheduled, succeeded) {
                beginEvent(
                    ok ? .nodeSuccessful : .nodeFailure, id: dispatcher, flow: flow, host: host,
                    dispatcher: dispatcher)
                script.field("node_name", entry.task.name)
                script.field("node_id", id: entry.id)
                endEvent()
                if ok { finished += 1 } else { failedNode = entry.task.name }
            }
            if failedNode != nil { break }
            if stageIndex + 1 < flow.stages.count, context.random.percent(10) {
                beginEvent(.edgeCondFalse, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
                script.field("condition_str", "fieldEqual(message, 'cached', True)")
                endEvent()
            }
            parents = scheduled
        }
        if failedNode == nil, let subflow = flow.subflow, context.random.percent(40) {
            if runSubflow(subflow, of: flow, dispatcher: dispatcher, host: host) {
                finished += 1
            } else {
                failedNode = SelinonVocabulary.flows[subflow].name
            }
        }
        finishFlow(flow, dispatcher: dispatcher, host: host, finished: finished, failedNode: failedNode)
        return failedNode == nil
    }

    private mutating func runSubflow(_ subflow: Int, of flow: SelinonFlow, dispatcher: EntityID, host: StaticString)
        -> Bool
    {
        let child = context.uuid()
        let childFlow = SelinonVocabulary.flows[subflow]
        beginEvent(.subflowSchedule, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
        script.field("child_flow_name", childFlow.name)
        script.field("child_dispatcher_id", id: child)
        script.field("queue", childFlow.queue)
        endEvent()
        let ok = runFlow(subflow, dispatcher: child, parent: dispatcher)
        beginEvent(ok ? .nodeSuccessful : .nodeFailure, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
        script.field("node_name", childFlow.name)
        script.field("node_id", id: child)
        endEvent()
        return ok
    }

    private mutating func finishFlow(
        _ flow: SelinonFlow, dispatcher: EntityID, host: StaticString, finished: Int, failedNode: StaticString?
    ) {
        if let failedNode {
            beginEvent(.flowFailure, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
            script.field("will_retry", bool: false)
            script.openObject("state")
            script.openArray("failed_nodes")
            script.field(nil, failedNode)
            script.closeArray()
            script.closeObject()
            endEvent()
        } else {
            beginEvent(.flowEnd, id: dispatcher, flow: flow, host: host, dispatcher: dispatcher)
            script.field("finished_nodes", int: finished)
            endEvent()
        }
        let result =
            failedNode == nil
            ? AttemptResult.succeeded
            : AttemptResult(
                status: "failed", failure: .terminal, message: "Flow failed: a node failed without fallback")
        script.beginExecution(
            id: dispatcher, actionPrefix: "flow:", action: flow.name, attempt: 1, result: result, links: .none)
        if failedNode == nil {
            script.openObject("output")
            script.field("finished_nodes", int: finished)
            script.closeObject()
        }
        let duration = context.duration(minimumMilliseconds: 500, maximumMilliseconds: 120_000)
        script.endExecution(durationThousandths: duration, result: result, links: .none)
    }

    // MARK: Lines

    mutating func beginEvent(
        _ event: SelinonEvent, id: EntityID, flow: SelinonFlow, host: StaticString, dispatcher: EntityID
    ) {
        script.beginLine(.flowEvent, id: id)
        script.field("event", event.name)
        script.field("node", host)
        script.openObject("details")
        script.field("flow_name", flow.name)
        script.field("dispatcher_id", id: dispatcher)
    }

    mutating func endEvent() {
        script.closeObject()
        script.endLine()
    }

    private mutating func writeNodeArgs(_ key: StaticString) {
        var bits = SeedBits(nodeArgs)
        script.openObject(key)
        script.field("ecosystem", bits.pick(SelinonVocabulary.ecosystems))
        script.field("name", bits.pick(SelinonVocabulary.packages))
        script.beginString("version")
        script.text.appendDecimal(bits.take(5))
        script.text.append(".")
        script.text.appendDecimal(bits.take(30))
        script.text.append(".")
        script.text.appendDecimal(bits.take(12))
        script.endString()
        script.closeObject()
    }

    /// Selinon's `parent`: the previous stage's task names mapped to their task ids.
    mutating func writeParents(_ parents: [(task: SelinonTask, id: EntityID)]) {
        script.openObject("parent")
        for parent in parents { script.field(parent.task.name, id: parent.id) }
        script.closeObject()
    }
}
