extension IngestPipeline {
    /// Runs a file descriptor's input of `format` through the pipeline with that format's reader and converter:
    /// what `tracelog ingest --format FORMAT` does.
    ///
    /// - Parameters:
    ///   - fileDescriptor: the input (not closed here).
    ///   - name: how read errors name it (a path, or `stdin`).
    public func run(_ format: IngestFormat, fileDescriptor: Int32, name: String) async throws(IngestPipelineError)
        -> IngestSummary
    {
        switch format {
        case .native:
            try await run(
                reader: { NativeLinesReader(fileDescriptor: fileDescriptor, name: name) },
                converter: NativeEventConverter())
        case .selinon:
            try await run(
                reader: { SelinonLinesReader(fileDescriptor: fileDescriptor, name: name) },
                converter: SelinonImporter())
        case .otlp:
            throw IngestPipelineError(
                reason: "OTLP input is read by TraceLogOTLP (IngestPipeline.runOTLP)", summary: IngestSummary())
        case .stroma, .st2:
            try await run(
                reader: { DocumentReader(fileDescriptor: fileDescriptor, name: name, format: format) },
                converter: DocumentElementConverter())
        }
    }
}

extension IngestFormat {
    /// What error messages and ``IngestSummary/lastStored(unit:)`` call this format's units: `line` or `element`.
    public var unitName: String { isLineBased ? "line" : "element" }
}
