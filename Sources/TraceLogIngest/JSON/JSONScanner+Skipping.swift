extension JSONScanner {
    /// Consumes and validates the value at the cursor, whatever it is, and returns its exact byte range.
    ///
    /// This is how free-form values (payloads, inputs, outputs, details) are kept byte for byte: the range is
    /// the value's input text, from its first byte to its last, with no surrounding whitespace.
    ///
    /// - Complexity: one pass, iterative (no recursion, whatever the nesting); allocates only for nesting
    ///   deeper than 64 levels below the cursor, which the default depth limit never allows.
    mutating func skipValue() throws(JSONError) -> Range<Int> {
        let start = position
        var open = ContainerStack()
        while true {
            // The cursor is on a value.
            switch current {
            case UInt8(ascii: "{"):
                try enterContainer()
                skipWhitespace()
                if current == UInt8(ascii: "}") {
                    position += 1
                    depth -= 1
                } else {
                    open.push(isObject: true)
                    try scanMemberKey()
                    continue
                }
            case UInt8(ascii: "["):
                try enterContainer()
                skipWhitespace()
                if current == UInt8(ascii: "]") {
                    position += 1
                    depth -= 1
                } else {
                    open.push(isObject: false)
                    continue
                }
            case UInt8(ascii: "\""):
                _ = try scanString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                _ = try scanNumber()
            default:
                _ = try scanLiteral()
            }
            // A value is complete: close finished containers until one has a next element.
            while !open.isEmpty {
                skipWhitespace()
                let byte = current
                if open.topIsObject {
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        try scanMemberKey()
                        break
                    }
                    guard byte == UInt8(ascii: "}") else { throw error(.expectedCommaOrObjectEnd(found: found)) }
                } else {
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        break
                    }
                    guard byte == UInt8(ascii: "]") else { throw error(.expectedCommaOrArrayEnd(found: found)) }
                }
                position += 1
                depth -= 1
                open.pop()
            }
            if open.isEmpty { return start..<position }
        }
    }

    /// Consumes `"key" :` and the whitespace after it, leaving the cursor on the member's value.
    private mutating func scanMemberKey() throws(JSONError) {
        guard current == UInt8(ascii: "\"") else { throw error(.expectedKey(found: found)) }
        _ = try scanString()
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw error(.expectedColon(found: found)) }
        position += 1
        skipWhitespace()
    }
}

/// A stack of "object or array" flags, one bit per open container: 64 levels inline, deeper ones spilled.
struct ContainerStack {
    private var word: UInt64 = 0
    private var countInWord = 0
    private var spilled: [UInt64] = []

    /// Whether no container is open.
    var isEmpty: Bool { countInWord == 0 }

    /// Whether the innermost open container is an object.
    var topIsObject: Bool { word & 1 == 1 }

    /// Opens a container.
    mutating func push(isObject: Bool) {
        if countInWord == 64 {
            spilled.append(word)
            word = 0
            countInWord = 0
        }
        word = word << 1 | (isObject ? 1 : 0)
        countInWord += 1
    }

    /// Closes the innermost container.
    mutating func pop() {
        word >>= 1
        countInWord -= 1
        if countInWord == 0, let previous = spilled.popLast() {
            word = previous
            countInWord = 64
        }
    }
}
