/// A shell-style glob over trace tags: `*` matches any run of characters (also none), `?` exactly one, and a
/// backslash makes the next character literal (`\*`, `\?`, `\\`); every other character matches itself. Brackets
/// have no special meaning. Characters are Swift `Character`s (extended grapheme clusters), so `?` matches one
/// user-perceived character.
///
/// Matching is linear in practice: the classic two-pointer walk that backtracks only to the last `*`, O(n·m) in
/// the worst case for a tag of n and a pattern of m characters.
public struct TagGlob: Hashable, Sendable, CustomStringConvertible {
    enum Element: Hashable, Sendable {
        case literal(Character)
        case any  // ?
        case run  // *
    }

    /// The pattern as written.
    public let pattern: String
    let elements: [Element]

    /// Parses a pattern; a trailing lone backslash is an error.
    public init(_ pattern: String) throws(AnalysisError) {
        self.pattern = pattern
        var elements: [Element] = []
        var escaped = false
        for character in pattern {
            if escaped {
                elements.append(.literal(character))
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "*" {
                if elements.last != .run { elements.append(.run) }
            } else if character == "?" {
                elements.append(.any)
            } else {
                elements.append(.literal(character))
            }
        }
        if escaped {
            throw .invalidSelector("tag:\(pattern)", reason: "the glob ends with a lone backslash")
        }
        self.elements = elements
    }

    /// The pattern as written.
    public var description: String { pattern }

    /// The one tag the pattern matches when it has no wildcard (after unescaping), else nil.
    public var literal: String? {
        var text = ""
        for element in elements {
            guard case .literal(let character) = element else { return nil }
            text.append(character)
        }
        return text
    }

    /// Whether the pattern is only `*` (every tag matches).
    public var matchesEverything: Bool { elements == [.run] }

    /// Whether `tag` matches the whole pattern.
    public func matches(_ tag: String) -> Bool {
        let text = Array(tag)
        var (t, p) = (0, 0)
        var backtrack: (pattern: Int, text: Int)?
        while t < text.count {
            if p < elements.count {
                switch elements[p] {
                case .run:
                    backtrack = (p, t)
                    p += 1
                    continue
                case .any:
                    t += 1
                    p += 1
                    continue
                case .literal(let character) where character == text[t]:
                    t += 1
                    p += 1
                    continue
                case .literal: break
                }
            }
            // Mismatch: let the last `*` swallow one more character, or fail.
            guard let (starPattern, starText) = backtrack else { return false }
            backtrack = (starPattern, starText + 1)
            p = starPattern + 1
            t = starText + 1
        }
        while p < elements.count, elements[p] == .run { p += 1 }
        return p == elements.count
    }
}
