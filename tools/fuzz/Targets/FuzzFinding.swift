/// A broken invariant found by a fuzz target: decoding succeeded but gave a wrong answer.
///
/// Crashes, traps and sanitizer reports are findings too, but they end the process; this is for the
/// checks a target makes itself (a round trip that does not give back what went in, a length that does not
/// add up). Under libFuzzer a finding aborts, so libFuzzer saves the input; the corpus replayer reports it.
public struct FuzzFinding: Error, Sendable, CustomStringConvertible {
    /// The target that found it.
    public var target: FuzzTarget
    /// What did not hold.
    public var message: String

    /// Creates a finding.
    public init(target: FuzzTarget, message: String) {
        self.target = target
        self.message = message
    }

    /// `target: message`.
    public var description: String { "\(target.rawValue): \(message)" }
}

/// A broken invariant before the target is known (wrapped into a ``FuzzFinding`` by ``FuzzTarget/run(_:)``).
struct Violation: Error {
    var message: String
}

/// Throws a ``Violation`` when `condition` is false.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(Violation) {
    if !condition { throw Violation(message: message()) }
}
