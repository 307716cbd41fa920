import Synchronization

/// A test's plan of I/O faults: "make the Nth `fdatasync` fail with EIO", "make the 3rd `pwrite` short".
///
/// Passed to a writer or reader through its options; every system call of the storage layer asks it first
/// (see ``FileIO``). Without a plan nothing is checked. The plan is per log instance, so tests that run in
/// parallel never see each other's faults.
public final class FaultInjector: Sendable {
    /// The system calls a fault can be attached to.
    public enum Operation: String, Sendable, CaseIterable {
        case open, write, read, fdatasync, fsync, fallocate, ftruncate, rename, unlink, mmap, lock
    }

    /// What happens instead of the call.
    public enum Fault: Sendable, Hashable {
        /// The call fails with this `errno` and does nothing.
        case error(Int32)
        /// A write stores only this many bytes, then reports `ENOSPC` (a short write at a full disk).
        case shortWrite(Int)
    }

    /// One fault that was injected, for the test's report.
    public struct Injection: Sendable, Hashable {
        /// The operation that was failed.
        public var operation: Operation
        /// Its 1-based occurrence count.
        public var occurrence: Int
        /// The fault.
        public var fault: Fault
        /// The path of the file involved.
        public var path: String
    }

    private struct Rule {
        var operation: Operation
        var occurrence: Int
        var fault: Fault
        var repeats: Bool
    }

    private struct State {
        var rules: [Rule] = []
        var counts: [Operation: Int] = [:]
        var injections: [Injection] = []
    }

    private let state = Mutex(State())

    /// Creates an empty plan.
    public init() {}

    /// Fails the `occurrence`-th call (1-based, counted from now) of `operation`, and every later one if `repeats`.
    public func fail(_ operation: Operation, occurrence: Int = 1, with fault: Fault, repeats: Bool = false) {
        state.withLock { state in
            let base = state.counts[operation, default: 0]
            state.rules.append(
                Rule(operation: operation, occurrence: base + occurrence, fault: fault, repeats: repeats))
        }
    }

    /// The faults injected so far, in order.
    public var injections: [Injection] {
        state.withLock { $0.injections }
    }

    /// How many times `operation` was called so far (faulted or not).
    public func count(of operation: Operation) -> Int {
        state.withLock { $0.counts[operation, default: 0] }
    }

    /// Counts a call and returns the fault to inject, if any.
    func check(_ operation: Operation, path: String) -> Fault? {
        state.withLock { state in
            let occurrence = state.counts[operation, default: 0] + 1
            state.counts[operation] = occurrence
            guard
                let rule = state.rules.first(where: {
                    $0.operation == operation
                        && ($0.occurrence == occurrence || ($0.repeats && $0.occurrence <= occurrence))
                })
            else { return nil }
            state.injections.append(
                Injection(operation: operation, occurrence: occurrence, fault: rule.fault, path: path))
            return rule.fault
        }
    }
}
