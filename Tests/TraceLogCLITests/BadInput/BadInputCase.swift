import Testing

/// The `--format` values of `tracelog ingest`.
enum InputFormat: String, CaseIterable, Sendable {
    case native, selinon, stroma, st2

    /// Native and Selinon inputs are JSON lines; Stroma and StackStorm inputs are one JSON array.
    var isLineBased: Bool { self == .native || self == .selinon }
}

/// The classes of bad input every path is tried with (issue #7, item 4).
enum InputClass: String, CaseIterable, Sendable {
    case malformedJSON = "malformed JSON"
    case wrongFieldType = "wrong field type"
    case missingField = "missing required field"
    case unknownType = "unknown type"
    case invalidUTF8 = "invalid UTF-8"
    case deepNesting = "100,000 levels of nesting"
    case hugeLine = "a 100 MB line"
    case unknownTraceID = "unknown trace id"
    case conflictingTraceID = "conflicting trace id"
}

/// What the baseline log of a format holds that a case may refer to: its traces' ids by tag.
struct Baseline: Sendable {
    /// A log directory holding the baseline; each case works on a copy.
    var template: String
    /// The trace ids of the baseline, by tag.
    var traceIDs: [String: String]

    func traceID(_ tag: String) -> String { traceIDs[tag] ?? "no trace tagged \(tag)" }
}

/// How a bad line or element is rejected, which decides what of the valid input around it is stored.
enum Rejection: Sendable {
    /// The bad line or element alone is rejected: the valid ones are stored (with `--stop-on-error`, those before
    /// it). `events` is how many events the rejection counts (a line or element that cannot be converted counts
    /// one; one that trace resolution rejects counts every event it converts to).
    case itself(events: Int)
    /// A Stroma or StackStorm document that cannot be converted: nothing of it is stored, in either mode.
    case wholeDocument
}

/// One bad input tried on `tracelog ingest`: the file (valid lines or elements around a bad one), the mode, and
/// the message expected on stderr after `FILE: `.
struct BadInputCase: Sendable, CustomTestStringConvertible {
    var format: InputFormat
    var inputClass: InputClass
    var stopOnError = false
    /// The input; the bad piece may use the baseline's trace ids.
    var pieces: @Sendable (Baseline) -> [InputPiece]
    /// The start of the one stderr line (after `FILE: `): location, field, and as much of the reason as is stable.
    var message: @Sendable (Baseline) -> String
    var rejection: Rejection = .itself(events: 1)

    var testDescription: String {
        "\(format.rawValue)\(stopOnError ? " --stop-on-error" : ""): \(inputClass.rawValue)"
    }

    /// The same case with `--stop-on-error`.
    var stoppingOnError: BadInputCase {
        var copy = self
        copy.stopOnError = true
        return copy
    }

    /// The pieces that must be stored: all valid ones, those before the bad one with `--stop-on-error`, or none
    /// when the whole document is rejected.
    func storedPieces(_ baseline: Baseline) -> [InputPiece] {
        let all = pieces(baseline)
        if case .wholeDocument = rejection { return [] }
        guard stopOnError, let bad = all.firstIndex(where: \.isBad) else { return all.filter { !$0.isBad } }
        return Array(all[..<bad])
    }

    /// How many events the rejection counts.
    var rejectedEvents: Int {
        if case .itself(let events) = rejection { return events }
        return 1
    }
}
