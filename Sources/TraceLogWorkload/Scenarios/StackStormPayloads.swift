/// The JSON bodies of StackStorm lines: trigger payloads, trace tags, execution inputs and outputs.
extension ScenarioScript {
    /// Writes `hook`/`timer`, `payload` and `trace` of an origin trigger instance.
    mutating func writeOriginPayloadAndTag(_ origin: StackStormOrigin, context: inout PlanningContext) {
        let vocabulary = StackStormVocabulary.self
        var tag = TraceTagText.none
        switch origin {
        case .githubPush:
            let commitHigh = context.random.next()
            let commitLow = context.random.next()
            openObject("payload")
            field("repository", context.random.pick(vocabulary.repositories))
            beginString("ref")
            text.append("refs/heads/")
            text.append(context.random.pick(vocabulary.branches))
            endString()
            beginString("commit")
            text.appendHex(commitHigh, digits: 16)
            text.appendHex(commitLow, digits: 16)
            text.appendHex(commitHigh ^ commitLow, digits: 8)
            endString()
            field("pusher", context.random.pick(vocabulary.users))
            closeObject()
            if context.random.percent(75) { tag = .hex(prefix: "commit-", value: commitHigh >> 16, digits: 12) }
        case .sensuEvent:
            openObject("payload")
            field("check", context.random.pick(vocabulary.checks))
            field("client", context.random.pick(vocabulary.hosts))
            field("status", int: 2)
            field("occurrences", int: context.random.between(1, 12))
            closeObject()
            context.tagSerial += 1
            if context.random.percent(60) { tag = .number(prefix: "sensu-event-", value: context.tagSerial) }
        case .nagiosState:
            let host = context.random.pick(vocabulary.hosts)
            openObject("payload")
            field("host", host)
            field("service", context.random.pick(vocabulary.services))
            field("state", context.random.percent(70) ? "CRITICAL" : "WARNING")
            field("attempt", int: context.random.between(1, 3))
            closeObject()
            // Deliberately reused: every alert about one host carries the same tag.
            if context.random.percent(50) { tag = .name(prefix: "nagios-", name: host) }
        case .githubWebhook:
            field("hook", "github")
            openObject("payload")
            field("action", context.random.percent(70) ? "opened" : "synchronize")
            field("number", int: context.random.between(100, 4_000))
            field("repository", context.random.pick(vocabulary.repositories))
            closeObject()
            context.tagSerial += 1
            if context.random.percent(50) { tag = .number(prefix: "webhook-", value: context.tagSerial) }
        case .alertWebhook:
            let fingerprint = context.random.next()
            field("hook", "alertmanager")
            openObject("payload")
            field("alertname", context.random.pick(vocabulary.alerts))
            field("severity", context.random.percent(60) ? "critical" : "warning")
            field("instance", context.random.pick(vocabulary.hosts))
            closeObject()
            if context.random.percent(60) { tag = .hex(prefix: "alert-", value: fingerprint, digits: 8) }
        case .deployWebhook:
            field("hook", "deploy")
            openObject("payload")
            field("service", context.random.pick(vocabulary.services))
            beginString("version")
            text.append("v2.")
            text.appendDecimal(context.random.below(20))
            text.append(".")
            text.appendDecimal(context.random.below(10))
            endString()
            field("environment", context.random.percent(80) ? "production" : "staging")
            closeObject()
            // Deliberately reused: a handful of deploy tickets, each deployed several times.
            tag = .number(prefix: "deploy-", value: context.random.between(1, 12))
        case .intervalTimer:
            field("timer", "healthcheck-5m")
            openObject("payload")
            field("unit", "minutes")
            field("delta", int: 5)
            closeObject()
        case .cronTimer:
            field("timer", "nightly-backup")
            openObject("payload")
            field("hour", int: 2)
            field("minute", int: 0)
            field("timezone", "UTC")
            closeObject()
        }
        traceTag(tag)
    }

    /// Writes `input`: the execution's parameters, the same on every attempt (drawn from `seed`).
    mutating func writeInput(of action: StackStormAction, seed: UInt64, depth: Int) {
        let vocabulary = StackStormVocabulary.self
        var bits = SeedBits(seed)
        openObject("input")
        switch action {
        case .buildAndTest, .build, .runTests, .publishArtifacts:
            field("repository", bits.pick(vocabulary.repositories))
            field("ref", bits.pick(vocabulary.branches))
        case .coreLocal:
            field("cmd", bits.take(2) == 0 ? "date -u" : "uname -a")
        case .slackPost:
            field("channel", "#ops-notifications")
            field("message", "execution finished")
        case .restartService, .serviceControl:
            field("hosts", bits.pick(vocabulary.hosts))
            field("service", bits.pick(vocabulary.services))
        case .createIncident:
            field("severity", "critical")
            field("escalation_policy", "primary-oncall")
        case .remediateHost, .checkProcesses, .diagnoseHost:
            field("host", bits.pick(vocabulary.hosts))
        case .httpCheck:
            beginString("url")
            text.append("https://")
            text.append(bits.pick(vocabulary.hosts))
            text.append("/healthz")
            endString()
            field("method", "GET")
        case .rollout, .deployCanary, .promoteRelease:
            field("service", bits.pick(vocabulary.services))
            field("strategy", bits.take(2) == 0 ? "canary" : "blue-green")
        case .snapshotVolume:
            beginString("volume")
            text.append("vol-")
            text.appendHex(seed, digits: 8)
            endString()
            field("retention_days", int: 14)
        case .runStep:
            field("step", int: depth)
        }
        closeObject()
    }

    /// Writes `output` of a successful attempt.
    mutating func writeOutput(of action: StackStormAction, random: inout WorkloadRandom) {
        openObject("output")
        switch action {
        case .buildAndTest, .remediateHost, .rollout:
            field("tasks_completed", int: action.children.count)
        case .httpCheck:
            field("status_code", int: 200)
            field("body", "OK")
        case .coreLocal, .checkProcesses, .serviceControl, .restartService, .diagnoseHost:
            field("return_code", int: 0)
            field("stdout", "ok")
        default:
            field("result", bool: true)
            field("elapsed_ms", int: random.between(3, 900))
        }
        closeObject()
    }

    /// Writes the action trigger (or notify trigger) instance a finished execution dispatches.
    mutating func writeCompletionTrigger(
        _ id: EntityID, of execution: EntityID, action: StackStormAction, status: StaticString?, notify: Bool
    ) {
        beginLine(.triggerInstance, id: id)
        field("trigger", notify ? "core.st2.generic.notifytrigger" : "core.st2.generic.actiontrigger")
        field("source", notify ? "notify_trigger" : "action_trigger")
        openObject("payload")
        field("execution_id", id: execution)
        field("status", status ?? "succeeded")
        field("action_ref", action.ref)
        if notify { field("channel", "chatops") }
        closeObject()
        causedBy(.execution, execution)
        endLine()
    }
}
