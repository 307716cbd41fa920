import Foundation

/// Runs blocking `body` on a thread of its own and awaits its result.
///
/// Swift Testing runs every test on Swift concurrency's cooperative pool, which has one thread per core (two on
/// CI). A test that blocks one of them — waiting for a child process, sleeping, reading a pipe — takes that
/// thread from every other test in the process, including the in-process HTTP servers other tests talk to. Two
/// such waits at once stall the whole suite (a CI run lost 45 s that way, and the timeouts of unrelated tests
/// fired). Every blocking wait in the tests goes through here.
public func offThePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "test-blocking-wait"
        thread.start()
    }
}

/// ``offThePool(_:)`` for a body that cannot throw.
public func offThePool<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = "test-blocking-wait"
        thread.start()
    }
}
