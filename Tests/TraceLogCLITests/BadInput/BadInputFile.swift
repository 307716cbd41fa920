import Foundation

/// One part of an input: text, raw bytes (invalid UTF-8), or one byte repeated many times — streamed to the file
/// in chunks, so a 100 MB line never sits in the test's memory.
enum InputPart: Sendable {
    case text(String)
    case bytes([UInt8])
    case repeated(UInt8, count: Int)
}

/// One line (line formats) or array element (document formats) of an input file.
struct InputPiece: Sendable {
    var parts: [InputPart]
    /// Whether this is the bad line or element the case is about.
    var isBad: Bool

    /// A valid line or element.
    static func valid(_ text: String) -> InputPiece { InputPiece(parts: [.text(text)], isBad: false) }

    /// The bad line or element.
    static func bad(_ parts: InputPart...) -> InputPiece { InputPiece(parts: parts, isBad: true) }
}

/// Writes input files: lines joined by `\n`, or elements inside a JSON array, one per line.
enum InputFile {
    /// The bytes of `pieces` as one file of `format`: JSON lines, or `[`, one element per line, `]`.
    static func parts(of pieces: [InputPiece], as format: InputFormat) -> [InputPart] {
        var parts: [InputPart] = format.isLineBased ? [] : [.text("[\n")]
        for (index, piece) in pieces.enumerated() {
            if index > 0 { parts.append(.text(format.isLineBased ? "\n" : ",\n")) }
            parts += piece.parts
        }
        parts.append(.text(format.isLineBased ? "\n" : "\n]\n"))
        return parts
    }

    /// Writes `parts` to a new file at `path`.
    static func write(_ parts: [InputPart], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CocoaError(.fileWriteUnknown) }
        defer { try? handle.close() }
        for part in parts {
            switch part {
            case .text(let text): try handle.write(contentsOf: Data(text.utf8))
            case .bytes(let bytes): try handle.write(contentsOf: Data(bytes))
            case .repeated(let byte, let count):
                let chunk = Data(repeating: byte, count: 1 << 20)
                var left = count
                while left > 0 {
                    let size = min(left, chunk.count)
                    try handle.write(contentsOf: size == chunk.count ? chunk : chunk.prefix(size))
                    left -= size
                }
            }
        }
    }

    /// The text of `pieces` that are valid, as a file of `format` (nil when none are).
    static func validText(of pieces: [InputPiece], as format: InputFormat) -> String? {
        let valid = pieces.filter { !$0.isBad }
        guard !valid.isEmpty else { return nil }
        return parts(of: valid, as: format).map {
            guard case .text(let text) = $0 else { preconditionFailure("valid pieces are text") }
            return text
        }.joined()
    }
}

/// `count` nested arrays, `[[[…]]]`: 100,000 levels would overflow the stack of any recursive parser.
func nestedArrays(_ count: Int) -> [InputPart] {
    [.repeated(UInt8(ascii: "["), count: count), .repeated(UInt8(ascii: "]"), count: count)]
}

/// 100 MB: far over the 16 MiB line (and element) limit.
let hugeLength = 100_000_000
