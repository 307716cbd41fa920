public import TraceLogStorage

/// Why `tracelog forward` stopped.
public enum ForwardError: Error, Sendable, CustomStringConvertible {
    /// The endpoint refused a batch with an answer that retrying cannot change (a 4xx other than 429, or a 5xx
    /// other than 502–504): the batch's records were not acknowledged and the cursor stays before them.
    case refused(status: Int, records: ClosedRange<UInt64>, message: String)
    /// A batch still failed after the policy's last retry.
    case retriesExhausted(records: ClosedRange<UInt64>, retries: Int, lastProblem: String)
    /// The forward's name cannot be a cursor file name.
    case invalidName(String)
    /// The endpoint is not an http(s) URL.
    case invalidEndpoint(String)
    /// The cursor file is unreadable, or ahead of the log.
    case cursor(String)
    /// The log failed.
    case log(LogError)

    public var description: String {
        switch self {
        case .refused(let status, let records, let message):
            "the endpoint refused records \(records.lowerBound)...\(records.upperBound) with HTTP \(status)\(message.isEmpty ? "" : ": \(message)"); they were not forwarded (the cursor stays before them)"
        case .retriesExhausted(let records, let retries, let problem):
            "records \(records.lowerBound)...\(records.upperBound) not forwarded after \(retries) retries: \(problem)"
        case .invalidName(let name):
            "invalid forward name \"\(name)\": use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'"
        case .invalidEndpoint(let endpoint): "invalid endpoint \"\(endpoint)\": expected an http:// or https:// URL"
        case .cursor(let message): message
        case .log(let error): error.description
        }
    }
}
