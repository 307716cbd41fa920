/// The Selinon trace events this generator emits (names as in `selinon.trace.Trace`).
enum SelinonEvent {
    case flowSchedule, dispatcherWakeup, flowStart, taskSchedule, taskStart, subflowSchedule, taskEnd
    case nodeSuccessful, taskFailure, taskRetry, flowFailure, nodeFailure, dispatcherRetry, flowEnd
    case storageStore, storageStored, storageStoreError, storageRetrieve, storageRetrieved, edgeCondFalse
    case taskResultCacheMiss, taskResultCacheAdd

    var name: StaticString {
        switch self {
        case .flowSchedule: "FLOW_SCHEDULE"
        case .dispatcherWakeup: "DISPATCHER_WAKEUP"
        case .flowStart: "FLOW_START"
        case .taskSchedule: "TASK_SCHEDULE"
        case .taskStart: "TASK_START"
        case .subflowSchedule: "SUBFLOW_SCHEDULE"
        case .taskEnd: "TASK_END"
        case .nodeSuccessful: "NODE_SUCCESSFUL"
        case .taskFailure: "TASK_FAILURE"
        case .taskRetry: "TASK_RETRY"
        case .flowFailure: "FLOW_FAILURE"
        case .nodeFailure: "NODE_FAILURE"
        case .dispatcherRetry: "DISPATCHER_RETRY"
        case .flowEnd: "FLOW_END"
        case .storageStore: "STORAGE_STORE"
        case .storageStored: "STORAGE_STORED"
        case .storageStoreError: "STORAGE_STORE_ERROR"
        case .storageRetrieve: "STORAGE_RETRIEVE"
        case .storageRetrieved: "STORAGE_RETRIEVED"
        case .edgeCondFalse: "EDGE_COND_FALSE"
        case .taskResultCacheMiss: "TASK_RESULT_CACHE_MISS"
        case .taskResultCacheAdd: "TASK_RESULT_CACHE_ADD"
        }
    }
}

/// A Selinon task: its name and the storage its results go to (`nil`: results are discarded).
struct SelinonTask {
    var name: StaticString
    var storage: StaticString?
}

/// A Selinon flow: stages of tasks run one stage after another (tasks within a stage are parallel
/// edges), and an optional sub-flow scheduled after the last stage.
struct SelinonFlow {
    var name: StaticString
    var queue: StaticString
    var stages: [[SelinonTask]]
    var subflow: Int?
}

/// Flows, hosts and package names of the Selinon traffic.
enum SelinonVocabulary {
    static let flows: [SelinonFlow] = [
        SelinonFlow(
            name: "analysesFlow", queue: "analyses_v1",
            stages: [
                [SelinonTask(name: "InitAnalysisFlow", storage: "PostgreSQL")],
                [SelinonTask(name: "FetchSourceTask", storage: "S3Storage"), SelinonTask(name: "DigestTask")],
                [SelinonTask(name: "LicenseCheckTask", storage: "PostgreSQL")],
            ],
            subflow: 3),
        SelinonFlow(
            name: "bayesianFlow", queue: "bayesian_v1",
            stages: [
                [SelinonTask(name: "GraphImporterTask")], [SelinonTask(name: "ScoreTask", storage: "PostgreSQL")],
            ],
            subflow: nil),
        SelinonFlow(
            name: "ingestFlow", queue: "ingest_v1",
            stages: [
                [SelinonTask(name: "DownloadTask", storage: "S3Storage")], [SelinonTask(name: "ParseTask")],
                [SelinonTask(name: "IndexTask", storage: "PostgreSQL"), SelinonTask(name: "NotifyTask")],
            ],
            subflow: nil),
        SelinonFlow(
            name: "packageFlow", queue: "package_v1",
            stages: [[SelinonTask(name: "PackageMetadataTask", storage: "PostgreSQL")]],
            subflow: nil),
    ]

    /// Flows that start traces (`packageFlow` runs only as a sub-flow of `analysesFlow`).
    static let topLevelFlows = [0, 1, 2]

    /// Container host names (`platform.node()`): two workers, then the dispatcher's.
    static let hosts: [StaticString] = ["8176ab3c865e", "3f0b9d2e71c4", "c2a7e5519b08"]
    static let ecosystems: [StaticString] = ["npm", "pypi", "maven", "go"]
    static let packages: [StaticString] = ["lodash", "requests", "jackson-databind", "left-pad", "flask", "gin"]
    static let retryReasons: [StaticString] = [
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='registry.npmjs.org', port=443)",
        "celery.exceptions.TimeLimitExceeded: TimeLimitExceeded(300,)",
    ]
    static let failureReasons: [StaticString] = [
        "ValueError: unable to parse package metadata", "KeyError: 'version'",
    ]
}
