#if TRACELOG_FUZZING
    import CLibFuzzer
    import Glibc
    import TraceLogFuzz

    /// The sanitizer build's bridge to libFuzzer.
    ///
    /// SwiftPM links executables with `main` pointing at the Swift entry point, so libFuzzer's own `main` never
    /// runs: `main.swift` calls ``run(_:arguments:)``, which hands the remaining arguments to libFuzzer with
    /// ``testOneInput(_:_:)`` as the callback.
    enum LibFuzzer {
        /// The target under test: set once before libFuzzer starts, then only read (libFuzzer runs inputs on
        /// one thread).
        nonisolated(unsafe) static var target = FuzzTarget.batch
        /// The environment variable that names the target for the processes libFuzzer starts itself.
        static let targetVariable = "TRACELOG_FUZZ_TARGET"

        /// Runs libFuzzer on `target` with libFuzzer's own arguments (flags and corpus directories).
        static func run(_ target: FuzzTarget, arguments: [String]) -> Int32 {
            Self.target = target
            var cArguments = arguments.map { strdup($0) } + [nil]
            var count = Int32(arguments.count)
            return cArguments.withUnsafeMutableBufferPointer { buffer in
                var argv = buffer.baseAddress
                return LLVMFuzzerRunDriver(&count, &argv) { data, size in testOneInput(data, size) }
            }
        }
    }

    /// libFuzzer's callback: one input through the current target. A failed check aborts (libFuzzer then saves
    /// the input as a crash); crashes and traps abort by themselves.
    @_cdecl("LLVMFuzzerTestOneInput")
    func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        do throws(FuzzFinding) {
            try LibFuzzer.target.run(UnsafeRawBufferPointer(start: data, count: size))
        } catch {
            fatalError("\(error)")
        }
        return 0
    }
#endif
