/// Finds the elements of a top-level JSON array without parsing them: strings and nesting are tracked only to
/// know where each element ends. Each element is then parsed (and fully validated) on its own.
enum JSONArraySplitter {
    /// JSON's insignificant whitespace (space, tab, line feed, carriage return).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The byte ranges of the elements of the array starting at `open` (a `[`), trimmed of whitespace.
    ///
    /// - Throws: a 400 when the array is not closed, an element is empty (`[1,,2]`, `[1,]`), or something
    ///   other than whitespace follows it.
    static func elements(of bytes: [UInt8], from open: Int) throws(APIError) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        var position = open + 1
        var elementStart = position
        var depth = 0
        var inString = false
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if depth > 0, byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
            } else if byte == UInt8(ascii: "}") {
                throw .badRequest("invalid JSON array: unbalanced } in element \(elements.count + 1)")
            } else if depth == 0, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                let element = trimmed(elementStart..<position, in: bytes)
                let closesEmptyArray = byte == UInt8(ascii: "]") && elements.isEmpty && element.isEmpty
                if !closesEmptyArray {
                    guard !element.isEmpty else {
                        throw .badRequest("invalid JSON array: element \(elements.count + 1) is empty")
                    }
                    elements.append(element)
                }
                if byte == UInt8(ascii: "]") {
                    guard bytes[(position + 1)...].allSatisfy(isWhitespace) else {
                        throw .badRequest("invalid JSON array: unexpected text after the closing bracket")
                    }
                    return elements
                }
                elementStart = position + 1
            }
            position += 1
        }
        throw .badRequest("invalid JSON array: no closing bracket")
    }

    private static func trimmed(_ range: Range<Int>, in bytes: [UInt8]) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }
}
