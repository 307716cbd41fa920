/// StackStorm actions the generated rules and users run.
enum StackStormAction {
    case buildAndTest, build, runTests, publishArtifacts, coreLocal, slackPost, restartService, createIncident
    case remediateHost, checkProcesses, serviceControl, httpCheck, rollout, deployCanary, promoteRelease
    case snapshotVolume, runStep, diagnoseHost

    var ref: StaticString {
        switch self {
        case .buildAndTest: "ci.build_and_test"
        case .build: "ci.build"
        case .runTests: "ci.run_tests"
        case .publishArtifacts: "ci.publish_artifacts"
        case .coreLocal: "core.local"
        case .slackPost: "slack.post_message"
        case .restartService: "ops.restart_service"
        case .createIncident: "pagerduty.create_incident"
        case .remediateHost: "ops.remediate_host"
        case .checkProcesses: "linux.check_processes"
        case .serviceControl: "linux.service"
        case .httpCheck: "core.http"
        case .rollout: "deploy.rollout"
        case .deployCanary: "deploy.canary"
        case .promoteRelease: "deploy.promote"
        case .snapshotVolume: "backup.snapshot_volume"
        case .runStep: "ops.run_step"
        case .diagnoseHost: "ops.diagnose_host"
        }
    }

    /// The child executions of a workflow action; empty for simple actions.
    var children: [StackStormAction] {
        switch self {
        case .buildAndTest: [.build, .runTests, .publishArtifacts]
        case .remediateHost: [.checkProcesses, .serviceControl, .httpCheck]
        case .rollout: [.deployCanary, .httpCheck, .promoteRelease]
        default: []
        }
    }
}

/// Persistent StackStorm rules; each gets one id for the whole workload (`PlanningContext.ruleIDs`).
enum StackStormRule: Int, CaseIterable {
    case ciOnPush, notifyPush, sensuRemediate, sensuPage, nagiosRemediate, ciOnPullRequest, onAlert
    case deployOnRequest, nightlyBackup, healthcheck, chainNextStep, notifyCompletion

    var ref: StaticString {
        switch self {
        case .ciOnPush: "ci.on_push"
        case .notifyPush: "chatops.notify_push"
        case .sensuRemediate: "ops.sensu_remediate"
        case .sensuPage: "ops.sensu_page_oncall"
        case .nagiosRemediate: "ops.nagios_remediate"
        case .ciOnPullRequest: "ci.on_pull_request"
        case .onAlert: "ops.on_alert"
        case .deployOnRequest: "deploy.on_request"
        case .nightlyBackup: "backup.nightly"
        case .healthcheck: "ops.healthcheck"
        case .chainNextStep: "ops.chain_next_step"
        case .notifyCompletion: "chatops.notify_completion"
        }
    }

    var action: StackStormAction {
        switch self {
        case .ciOnPush: .buildAndTest
        case .notifyPush, .notifyCompletion: .slackPost
        case .sensuRemediate: .restartService
        case .sensuPage: .createIncident
        case .nagiosRemediate: .remediateHost
        case .ciOnPullRequest: .runTests
        case .onAlert: .diagnoseHost
        case .deployOnRequest: .rollout
        case .nightlyBackup: .snapshotVolume
        case .healthcheck: .httpCheck
        case .chainNextStep: .runStep
        }
    }
}

/// Where a StackStorm trace begins, with the rules that may match its trigger instance.
enum StackStormOrigin: CaseIterable {
    case githubPush, sensuEvent, nagiosState, githubWebhook, alertWebhook, deployWebhook
    case intervalTimer, cronTimer

    var trigger: StaticString {
        switch self {
        case .githubPush: "github.push_event"
        case .sensuEvent: "sensu.event_handler"
        case .nagiosState: "nagios.service_state_change"
        case .githubWebhook, .alertWebhook, .deployWebhook: "core.st2.webhook"
        case .intervalTimer: "core.st2.IntervalTimer"
        case .cronTimer: "core.st2.CronTimer"
        }
    }

    var source: StaticString {
        switch self {
        case .githubPush, .sensuEvent, .nagiosState: "sensor"
        case .githubWebhook, .alertWebhook, .deployWebhook: "webhook"
        case .intervalTimer, .cronTimer: "timer"
        }
    }

    /// The primary rule first; a second rule that sometimes matches too.
    var rules: (primary: StackStormRule, secondary: StackStormRule?) {
        switch self {
        case .githubPush: (.ciOnPush, .notifyPush)
        case .sensuEvent: (.sensuRemediate, .sensuPage)
        case .nagiosState: (.nagiosRemediate, nil)
        case .githubWebhook: (.ciOnPullRequest, .notifyPush)
        case .alertWebhook: (.onAlert, .sensuPage)
        case .deployWebhook: (.deployOnRequest, nil)
        case .intervalTimer: (.healthcheck, nil)
        case .cronTimer: (.nightlyBackup, nil)
        }
    }
}

/// Names that fill payloads, inputs and tags.
enum StackStormVocabulary {
    static let repositories: [StaticString] = [
        "acme/billing-api", "acme/web-frontend", "acme/search-indexer", "acme/auth-service", "acme/infra",
    ]
    static let branches: [StaticString] = ["main", "release-2.4", "feature/rate-limits", "fix/login-timeout"]
    static let users: [StaticString] = ["alice", "bob", "carol", "dmitri", "erin", "farah"]
    static let hosts: [StaticString] = [
        "web-01.prod", "web-02.prod", "db-01.prod", "cache-03.prod", "queue-02.prod", "api-05.prod",
    ]
    static let services: [StaticString] = ["nginx", "postgresql", "redis", "rabbitmq", "billing-api"]
    static let checks: [StaticString] = ["check_disk", "check_http", "check_load", "check_memory"]
    static let alerts: [StaticString] = ["HighErrorRate", "InstanceDown", "DiskWillFillIn4Hours", "HighLatency"]
    static let userTags: [StaticString] = ["TraceDateAction", "manual-run", "oncall-debug"]
    static let recoverableMessages: [StaticString] = [
        "SSH connection to host timed out after 60s", "HTTP 503 from upstream, retrying",
        "Connection reset by peer",
    ]
    static let terminalMessages: [StaticString] = [
        "Command exited with code 2: permission denied", "Action parameter 'service' is not valid",
        "Workflow task failed: no hosts matched",
    ]
}
