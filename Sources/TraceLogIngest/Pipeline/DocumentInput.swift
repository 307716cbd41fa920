public import TraceLog
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole JSON document of Stroma (`to_json`) or StackStorm (`st2 trace get -j`) input, read and converted on
/// the parse thread; its units are its elements, each with its events.
///
/// The document is converted completely before any unit is handed on: if one element cannot be converted, that
/// is the only problem reported (`element N: …`) and nothing of the document is written.
public struct DocumentReader: IngestReader, ~Copyable {
    private let fileDescriptor: Int32
    private let name: String
    private let format: IngestFormat
    private var units: [(position: Int, events: [IncomingEvent])]?
    private var next = 0
    private var bytesRead = 0

    /// Reads `fileDescriptor` (not closed here) as `format` (`.stroma` or `.st2`); `name` names it in read errors.
    public init(fileDescriptor: Int32, name: String, format: IngestFormat) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        self.format = format
    }

    public mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<[IncomingEvent]>? {
        var chunk = InputChunk<[IncomingEvent]>()
        if units == nil {
            let bytes = try Self.readAll(fileDescriptor, name: name)
            bytesRead = bytes.count
            do throws(ImportError) {
                let events =
                    format == .stroma
                    ? try StromaImporter().events(from: bytes) : try StackStormImporter().events(from: bytes)
                units = Self.elements(events)
            } catch {
                units = []
                let position = if case .element(let index) = error.location { index } else { 0 }
                chunk.append(problem: InputProblem(position: position, message: error.description))
                chunk.bytesRead = bytesRead
                return chunk
            }
        }
        guard let units, next < units.count else { return nil }
        let end = min(units.count, next + limit)
        for unit in units[next..<end] { chunk.append(unit.events, position: unit.position) }
        next = end
        chunk.bytesRead = bytesRead
        return chunk
    }

    /// Groups converted events by the element they came from, in order.
    private static func elements(_ events: [ImportedEvent]) -> [(position: Int, events: [IncomingEvent])] {
        var elements: [(position: Int, events: [IncomingEvent])] = []
        for event in events {
            let position = if case .element(let index) = event.location { index } else { 0 }
            if elements.last?.position == position {
                elements[elements.count - 1].events.append(event.event)
            } else {
                elements.append((position, [event.event]))
            }
        }
        return elements
    }

    /// Every byte of `fileDescriptor` until the end of input.
    ///
    /// A regular file's bytes are read into an array of its size: grown by doubling, a 276 MB document took a
    /// 512 MB buffer.
    static func readAll(_ fileDescriptor: Int32, name: String) throws(IngestInputError) -> [UInt8] {
        var bytes: [UInt8] = []
        var status = stat()
        if fstat(fileDescriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 {
            bytes.reserveCapacity(Int(status.st_size))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw IngestInputError(SystemError(operation: "read", path: name, errno: errno).description)
            }
            bytes += chunk[..<count]
        }
    }
}

/// Hands a document element's events through unchanged (the document was converted as a whole).
public struct DocumentElementConverter: IngestConverter {
    /// Creates the converter.
    public init() {}

    public func convert(_ unit: [IncomingEvent], position: Int, into events: inout [IncomingEvent]) {
        events.append(contentsOf: unit)
    }

    public func restore(_ checkpoint: Void) {}

    public func location(of unit: [IncomingEvent], at position: Int) -> String { "element \(position)" }
}
