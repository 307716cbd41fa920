/// Plans one StackStorm-style trace: a trigger instance (sensor, webhook or timer) matched by
/// rules, or a user-started execution or re-run, with retries, workflow children and action
/// trigger cascades.
///
/// Every line that refers to another entity (`caused_by`, `parent`, `rerun_of`, the enforcement's
/// trigger instance) is written after that entity's first line, so the script is causally ordered.
struct StackStormPlanner {
    /// How deep action-trigger cascades may go (rule → execution → action trigger → rule …).
    static let maximumCascadeDepth = 4

    private var context: PlanningContext
    private var script: ScenarioScript

    /// Writes one whole trace into `script`.
    static func plan(into script: inout ScenarioScript, context: inout PlanningContext) {
        var planner = StackStormPlanner(context: consume context, script: consume script)
        planner.planTrace()
        context = planner.context
        script = planner.script
    }

    private init(context: PlanningContext, script: ScenarioScript) {
        self.context = context
        self.script = script
    }

    private mutating func planTrace() {
        let roll = context.random.below(100)
        if roll < 74 {
            startFromTrigger(context.random.pick(StackStormOrigin.allCases))
        } else if roll < 90 || context.completedExecutions.isEmpty {
            startUserExecution()
        } else {
            startRerun()
        }
    }

    // MARK: Origins

    private mutating func startFromTrigger(_ origin: StackStormOrigin) {
        let triggerInstance = context.objectID()
        script.beginLine(.triggerInstance, id: triggerInstance)
        script.field("trigger", origin.trigger)
        script.field("source", origin.source)
        script.writeOriginPayloadAndTag(origin, context: &context)
        script.endLine()

        let rules = origin.rules
        guard !context.random.percent(8) else { return }  // nothing matched: a noop trigger instance
        fireRule(rules.primary, triggerInstance: triggerInstance, depth: 0)
        if let secondary = rules.secondary, context.random.percent(20) {
            fireRule(secondary, triggerInstance: triggerInstance, depth: 0)
        }
    }

    private mutating func startUserExecution() {
        let actions: [StackStormAction] = [.coreLocal, .rollout, .runTests, .diagnoseHost, .snapshotVolume]
        let action = context.random.pick(actions)
        let tag: TraceTagText =
            context.random.percent(50) ? .fixed(context.random.pick(StackStormVocabulary.userTags)) : .none
        run(context.objectID(), action: action, links: ExecutionLinks(tag: tag), depth: 0, topLevel: true)
    }

    private mutating func startRerun() {
        let original = context.random.pick(context.completedExecutions)
        let tag: TraceTagText = context.random.percent(40) ? .id(prefix: "rerun-", id: original.id) : .none
        let links = ExecutionLinks(rerunOf: original.id, tag: tag)
        run(context.objectID(), action: original.action, links: links, depth: 0, topLevel: true)
    }

    // MARK: Rules and executions

    private mutating func fireRule(_ rule: StackStormRule, triggerInstance: EntityID, depth: Int) {
        let enforcement = context.objectID()
        let execution = context.objectID()
        script.beginLine(.ruleEnforcement, id: enforcement)
        script.openObject("rule")
        script.field("id", id: context.ruleIDs[rule.rawValue])
        script.field("ref", rule.ref)
        script.closeObject()
        script.field("trigger_instance", id: triggerInstance)
        script.field("execution", id: execution)
        script.causedBy(.triggerInstance, triggerInstance)
        script.endLine()
        let links = ExecutionLinks(cause: (.rule, enforcement))
        run(execution, action: rule.action, links: links, depth: depth, topLevel: true)
    }

    /// Runs one execution (a workflow with children, or a simple action with retries: `requested`
    /// with the input, `scheduled`, `running`, then the final status; a retry starts at `running`,
    /// as StackStorm's execution stream reports them); a top-level
    /// execution then emits its action trigger, which may cascade into more rules.
    private mutating func run(
        _ execution: EntityID, action: StackStormAction, links: ExecutionLinks, depth: Int, topLevel: Bool
    ) {
        let inputSeed = context.random.next()
        let result: AttemptResult
        if action.children.isEmpty {
            result = runAttempts(execution, action: action, links: links, inputSeed: inputSeed, depth: depth)
        } else {
            result = runWorkflow(execution, action: action, links: links, inputSeed: inputSeed, depth: depth)
        }
        guard topLevel else { return }
        script.rerunCandidates.append(RerunCandidate(id: execution, action: action))
        emitCompletion(of: execution, action: action, result: result, depth: depth)
    }

    private mutating func runAttempts(
        _ execution: EntityID, action: StackStormAction, links: ExecutionLinks, inputSeed: UInt64, depth: Int
    ) -> AttemptResult {
        var attempt = 1
        while true {
            let result = nextAttemptResult()
            if attempt == 1 {
                script.beginExecution(id: execution, action: action.ref, attempt: 1, result: .requested, links: links)
                script.writeInput(of: action, seed: inputSeed, depth: depth)
                script.endExecution(durationThousandths: nil, result: .requested, links: links)
                for status in [AttemptResult.scheduled, .running] {
                    script.beginExecution(id: execution, action: action.ref, attempt: 1, result: status, links: .none)
                    script.endExecution(durationThousandths: nil, result: status, links: .none)
                }
            } else {
                script.beginExecution(
                    id: execution, action: action.ref, attempt: attempt, result: .running, links: .none)
                script.writeInput(of: action, seed: inputSeed, depth: depth)
                script.endExecution(durationThousandths: nil, result: .running, links: .none)
            }
            script.beginExecution(id: execution, action: action.ref, attempt: attempt, result: result, links: .none)
            if !result.isFailure { script.writeOutput(of: action, random: &context.random) }
            let duration = context.duration(minimumMilliseconds: 40, maximumMilliseconds: 45_000)
            script.endExecution(durationThousandths: duration, result: result, links: .none)
            guard result.failure == .recoverable, attempt < 3 else { return result }
            attempt += 1
        }
    }

    private mutating func nextAttemptResult() -> AttemptResult {
        let roll = context.random.below(100)
        let vocabulary = StackStormVocabulary.self
        if roll < 10 {
            return AttemptResult(
                status: "failed", failure: .recoverable, message: context.random.pick(vocabulary.recoverableMessages))
        } else if roll < 14 {
            return AttemptResult(
                status: "timeout", failure: .recoverable, message: "Action timed out after 600 seconds")
        } else if roll < 18 {
            return AttemptResult(
                status: "failed", failure: .terminal, message: context.random.pick(vocabulary.terminalMessages))
        } else if roll < 19 {
            return AttemptResult(
                status: "failed", failure: .ambiguous, message: "Runner lost contact; action may have completed")
        }
        return .succeeded
    }

    private mutating func runWorkflow(
        _ execution: EntityID, action: StackStormAction, links: ExecutionLinks, inputSeed: UInt64, depth: Int
    ) -> AttemptResult {
        script.beginExecution(id: execution, action: action.ref, attempt: 1, result: .running, links: links)
        script.writeInput(of: action, seed: inputSeed, depth: depth)
        script.endExecution(durationThousandths: nil, result: .running, links: links)

        var result = AttemptResult.succeeded
        for child in action.children {
            let childLinks = ExecutionLinks(cause: (.execution, execution), parent: execution)
            let outcome = runAttempts(
                context.objectID(), action: child, links: childLinks, inputSeed: inputSeed, depth: depth)
            if outcome.isFailure {
                result = AttemptResult(
                    status: "failed", failure: .terminal, message: "Workflow task failed: no hosts matched")
                break
            }
        }
        script.beginExecution(id: execution, action: action.ref, attempt: 1, result: result, links: .none)
        if !result.isFailure { script.writeOutput(of: action, random: &context.random) }
        let duration = context.duration(minimumMilliseconds: 2_000, maximumMilliseconds: 600_000)
        script.endExecution(durationThousandths: duration, result: result, links: .none)
        return result
    }

    /// The action trigger a finished execution dispatches; it may match a rule (a cascade, possibly
    /// the same rule again) or nothing (a noop trigger). Sometimes a notify trigger follows.
    private mutating func emitCompletion(
        of execution: EntityID, action: StackStormAction, result: AttemptResult, depth: Int
    ) {
        let actionTrigger = context.objectID()
        script.writeCompletionTrigger(
            actionTrigger, of: execution, action: action, status: result.status, notify: false)
        if depth < Self.maximumCascadeDepth {
            if action == .runStep || action == .rollout || action == .remediateHost {
                if context.random.percent(action == .runStep ? 65 : 50) {
                    fireRule(.chainNextStep, triggerInstance: actionTrigger, depth: depth + 1)
                }
            } else if action != .slackPost, context.random.percent(25) {
                fireRule(.notifyCompletion, triggerInstance: actionTrigger, depth: depth + 1)
            }
        }
        if context.random.percent(8) {
            script.writeCompletionTrigger(
                context.objectID(), of: execution, action: action, status: result.status, notify: true)
        }
    }
}
