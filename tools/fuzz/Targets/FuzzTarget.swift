/// The fuzz targets: each takes arbitrary bytes and must either decode them or reject them with a typed
/// error, never crash, trap, read out of bounds or hang.
///
/// One entry point for all of them, so one executable serves libFuzzer (`tracelog-fuzz TARGET …` in the
/// sanitizer build) and the corpus replayer (the normal build, and the tests).
public enum FuzzTarget: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Batch headers and payloads, as a segment holds them: checksums, LZ4, record framing, indexing.
    case batch
    /// Records as a decompressed payload holds them: decoder, zero-copy view, re-encoding, replay output.
    case record
    /// A sealed segment's index file, read through a log reader: lookups, reads, cursor, stats, verify.
    case index
    /// The LZ4 block wrapper: a declared size and a block.
    case lz4
    /// The native JSON-lines parser, and writing what it parsed back.
    case native
    /// Records built from the bytes, encoded and decoded alone and as a batch.
    case roundtrip
    /// OTLP requests (protobuf, and OTLP/JSON lines): decoding, re-encoding, and the span mapping's remainder.
    case otlp
    /// Stroma `to_json` documents: the importer's scan against its general path.
    case stroma
    /// The log's filter stack, read through a log reader: lookups and verify.
    case stack

    /// The target's name.
    public var description: String { rawValue }

    /// Runs one input.
    ///
    /// - Throws: a ``FuzzFinding`` when a check of the target fails (decoding gave a wrong answer). Crashes
    ///   and traps are not caught: they end the process, which is what libFuzzer and the tests look for.
    public func run(_ input: UnsafeRawBufferPointer) throws(FuzzFinding) {
        do {
            switch self {
            case .batch: try BatchTarget.run(input)
            case .record: try RecordTarget.run(input)
            case .index: try IndexTarget.run(input)
            case .lz4: try LZ4Target.run(input)
            case .native: try NativeEventTarget.run(input)
            case .roundtrip: try RoundTripTarget.run(input)
            case .otlp: try OTLPTarget.run(input)
            case .stroma: try StromaTarget.run(input)
            case .stack: try StackTarget.run(input)
            }
        } catch {
            throw FuzzFinding(target: self, message: error.message)
        }
    }

    /// Runs one input held in an array.
    public func run(_ input: [UInt8]) throws(FuzzFinding) {
        let outcome = input.withUnsafeBytes { raw in Result { () throws(FuzzFinding) in try run(raw) } }
        try outcome.get()
    }
}
