import CPlatform
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Random 64-bit words from the operating system's secure generator, fetched 4 KiB at a time.
///
/// `SystemRandomNumberGenerator` makes one `getrandom` system call per 64-bit word; a trace id needs two, and an
/// ingest of a million events starts about 120,000 traces, so those calls were a measurable share of the ingest
/// thread (`crng_make_state` in the kernel). The words handed out are the kernel's, unchanged and each used once:
/// as unpredictable as before, with one system call per 256 trace ids. A process that forks would share the
/// pool with its child; TraceLog never forks.
enum SecureRandomPool {
    private static let wordsPerRefill = 512
    private static let pool = Mutex(Pool())

    private struct Pool: ~Copyable {
        var words = [UInt64](repeating: 0, count: SecureRandomPool.wordsPerRefill)
        var next = SecureRandomPool.wordsPerRefill
    }

    /// Two fresh random words.
    static func nextPair() -> (UInt64, UInt64) {
        pool.withLock { pool in
            if pool.next + 2 > pool.words.count {
                refill(&pool.words)
                pool.next = 0
            }
            defer { pool.next += 2 }
            return (pool.words[pool.next], pool.words[pool.next + 1])
        }
    }

    /// Fills `words` from the kernel; falls back to `SystemRandomNumberGenerator` for whatever it cannot fill.
    private static func refill(_ words: inout [UInt64]) {
        var filled = 0
        words.withUnsafeMutableBytes { buffer in
            #if canImport(Darwin)
                arc4random_buf(buffer.baseAddress!, buffer.count)
                filled = buffer.count
            #else
                while filled < buffer.count {
                    let count = tracelog_getrandom(buffer.baseAddress! + filled, buffer.count - filled)
                    if count > 0 {
                        filled += count
                    } else if count < 0, errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
            #endif
        }
        guard filled < words.count * 8 else { return }
        var generator = SystemRandomNumberGenerator()
        for index in (filled / 8)..<words.count { words[index] = generator.next() }
    }
}
