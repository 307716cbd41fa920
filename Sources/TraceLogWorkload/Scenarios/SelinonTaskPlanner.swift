extension SelinonPlanner {
    /// Selinon's default `max_retry` for the generated tasks.
    static let maximumRetries = 2

    /// Runs one task: per attempt a `running` execution line, `TASK_START`, then `TASK_END`,
    /// `TASK_RETRY` or `TASK_FAILURE` and the attempt's final execution line. Returns whether the
    /// task succeeded.
    mutating func runTask(
        _ task: SelinonTask, id: EntityID, flow: SelinonFlow, dispatcher: EntityID,
        parents: [(task: SelinonTask, id: EntityID)]
    ) -> Bool {
        let host = SelinonVocabulary.hosts[context.random.below(2)]
        var attempt = 1
        while true {
            let links = attempt == 1 ? ExecutionLinks(parent: dispatcher) : .none
            script.beginExecution(id: id, action: task.name, attempt: attempt, result: .running, links: links)
            script.endExecution(durationThousandths: nil, result: .running, links: links)
            beginTaskEvent(.taskStart, task: task, id: id, flow: flow, host: host, dispatcher: dispatcher)
            writeParents(parents)
            endEvent()

            let roll = context.random.below(100)
            let duration = context.duration(minimumMilliseconds: 5, maximumMilliseconds: 30_000)
            if roll >= 15 {
                finishSuccessfully(
                    task, id: id, attempt: attempt, flow: flow, host: host, dispatcher: dispatcher,
                    duration: duration)
                return true
            }
            let retrying = roll < 10 && attempt <= Self.maximumRetries
            let reason =
                retrying || roll < 10
                ? context.random.pick(SelinonVocabulary.retryReasons)
                : context.random.pick(SelinonVocabulary.failureReasons)
            beginTaskEvent(
                retrying ? .taskRetry : .taskFailure, task: task, id: id, flow: flow, host: host,
                dispatcher: dispatcher)
            script.field("what", reason)
            script.field("retried_count", int: attempt - 1)
            if retrying {
                script.field("max_retry", int: Self.maximumRetries)
                script.field("retry_countdown", int: 10 * attempt)
                script.field("user_retry", bool: false)
            }
            endEvent()
            if !retrying, let storage = task.storage, context.random.percent(50) {
                beginTaskEvent(.storageStoreError, task: task, id: id, flow: flow, host: host, dispatcher: dispatcher)
                script.field("storage_name", storage)
                endEvent()
            }
            let failure: FailureClass = roll < 10 ? .recoverable : (roll < 13 ? .terminal : .ambiguous)
            let result = AttemptResult(status: "failed", failure: failure, message: reason)
            script.beginExecution(id: id, action: task.name, attempt: attempt, result: result, links: .none)
            script.endExecution(durationThousandths: duration, result: result, links: .none)
            guard retrying else { return false }
            attempt += 1
        }
    }

    private mutating func finishSuccessfully(
        _ task: SelinonTask, id: EntityID, attempt: Int, flow: SelinonFlow, host: StaticString, dispatcher: EntityID,
        duration: Int
    ) {
        let recordID = context.random.between(1, 9_999_999)
        if let storage = task.storage {
            if context.random.percent(30) {
                for event in [SelinonEvent.storageStore, .storageStored] {
                    beginTaskEvent(event, task: task, id: id, flow: flow, host: host, dispatcher: dispatcher)
                    script.field("storage_name", storage)
                    script.field("record_id", int: recordID)
                    endEvent()
                }
            }
        } else if context.random.percent(20) {
            beginTaskEvent(.taskResultCacheMiss, task: task, id: id, flow: flow, host: host, dispatcher: dispatcher)
            endEvent()
        }
        beginTaskEvent(.taskEnd, task: task, id: id, flow: flow, host: host, dispatcher: dispatcher)
        if let storage = task.storage { script.field("storage", storage) } else { script.nullField("storage") }
        endEvent()
        script.beginExecution(id: id, action: task.name, attempt: attempt, result: .succeeded, links: .none)
        script.openObject("output")
        if let storage = task.storage {
            script.field("storage", storage)
            script.field("record_id", int: recordID)
        } else {
            script.field("result", "ok")
        }
        script.closeObject()
        script.endExecution(durationThousandths: duration, result: .succeeded, links: .none)
    }

    private mutating func beginTaskEvent(
        _ event: SelinonEvent, task: SelinonTask, id: EntityID, flow: SelinonFlow, host: StaticString,
        dispatcher: EntityID
    ) {
        beginEvent(event, id: id, flow: flow, host: host, dispatcher: dispatcher)
        script.field("task_name", task.name)
        script.field("task_id", id: id)
    }
}
