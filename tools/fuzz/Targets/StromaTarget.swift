import TraceLogIngest

/// (h) The Stroma importer's scan against its general path: for any bytes, the importer (the scan, else the
/// general path) must give exactly what the general path gives alone — the same events, or an error with the
/// same message — and a document the scan accepts must be one the general path converts to the same events.
enum StromaTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        let bytes = Array(input)
        let scanned = StromaImporter(newImportID: ImportIDs().next).scannedEvents(from: bytes)
        let importer = outcome { () throws(ImportError) in
            try StromaImporter(newImportID: ImportIDs().next).events(from: bytes)
        }
        let general = outcome { () throws(ImportError) in
            try StromaImporter(newImportID: ImportIDs().next).generalEvents(from: bytes)
        }
        try check(importer == general, "the importer and its general path disagree: \(importer) against \(general)")
        if let scanned {
            try check(general == .events(scanned), "the scan accepted a document the general path reads otherwise")
        }
    }

    private enum Outcome: Equatable, CustomStringConvertible {
        case events([ImportedEvent])
        case error(String)

        var description: String {
            switch self {
            case .events(let events): "\(events.count) events"
            case .error(let message): message
            }
        }
    }

    private static func outcome(_ convert: () throws(ImportError) -> [ImportedEvent]) -> Outcome {
        do throws(ImportError) {
            return .events(try convert())
        } catch {
            return .error(error.description)
        }
    }

    /// Import ids `i1`, `i2`, … so that two conversions of one document can be compared.
    private final class ImportIDs: @unchecked Sendable {
        private var count = 0

        func next() -> String {
            count += 1
            return "i\(count)"
        }
    }
}
