/// Every bad input tried on `tracelog ingest`: each format × each input class, in the default mode and with
/// `--stop-on-error`, and the cells that do not apply with the reason.
enum BadInputMatrix {
    /// The baseline log of each format: what the log holds before the bad input comes.
    static func baselineInput(_ format: InputFormat) -> String {
        switch format {
        case .native: nativeBaseline
        case .selinon: selinonBaseline
        case .stroma: stromaBaseline
        case .st2: st2Baseline
        }
    }

    /// The cases in the default mode.
    static let defaultModeCases = nativeCases + selinonCases + stromaCases + st2Cases

    /// Every case: the default mode, then `--stop-on-error` (whose 100 MB document cases are left out: see
    /// `BadInputMatrix+Documents.swift`).
    static let cases: [BadInputCase] =
        defaultModeCases
        + defaultModeCases.filter { $0.format.isLineBased || $0.inputClass != .hugeLine }.map(\.stoppingOnError)

    /// The cells that have no case, and why.
    static let notApplicable: [InputFormat: [InputClass: String]] = [
        .selinon: [.unknownTraceID: "Selinon lines carry no trace id; flows map to traces by dispatcher id"],
        .stroma: [
            .unknownTraceID: "a Stroma document names no trace; a run is the trace tagged run-<run_id>",
            .conflictingTraceID:
                "each run of a document gets its own import id in its execution ids, so none is in another trace",
        ],
        .st2: [.unknownTraceID: "a StackStorm trace object creates the trace it names; an existing id conflicts"],
    ]
}
