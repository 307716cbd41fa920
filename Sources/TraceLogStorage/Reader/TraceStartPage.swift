/// The first `limit` trace starts of a stream in start-time order (time, then sequence number; oldest or newest
/// first), and how many the stream held: what a page of `trace list` without filters needs, kept in memory
/// proportional to the page rather than to the log.
///
/// Entries are offered in any order. Those that cannot be on the page (ranked after the last kept entry once
/// `limit` are kept) are counted and dropped at once; the others go into a buffer that is sorted and cut back to
/// `limit` whenever it holds four times that, so each offer costs a comparison or, amortized, a few.
struct TraceStartPage: Sendable {
    let limit: Int
    let newestFirst: Bool
    private(set) var total = 0
    private var kept: [TraceStartEntry] = []
    /// The last entry of the page as far as it is known (set once `limit` entries were kept).
    private var last: TraceStartEntry?

    init(limit: Int, newestFirst: Bool) {
        self.limit = max(limit, 0)
        self.newestFirst = newestFirst
    }

    /// Whether `first` comes before `second` in the page's order.
    func ranksBefore(_ first: TraceStartEntry, _ second: TraceStartEntry) -> Bool {
        Self.ranksBefore(first, second, newestFirst: newestFirst)
    }

    private static func ranksBefore(_ first: TraceStartEntry, _ second: TraceStartEntry, newestFirst: Bool) -> Bool {
        newestFirst
            ? (first.time, first.seq) > (second.time, second.seq)
            : (first.time, first.seq) < (second.time, second.seq)
    }

    mutating func offer(_ entry: TraceStartEntry) {
        total += 1
        guard limit > 0 else { return }
        if let last, !ranksBefore(entry, last) { return }
        kept.append(entry)
        if kept.count >= 4 * limit { trim() }
    }

    /// Takes in another page's kept entries and count (a page of the same order, from other entries).
    mutating func merge(_ other: TraceStartPage) {
        for entry in other.kept { offer(entry) }
        total += other.total - other.kept.count
    }

    /// The page: at most `limit` entries, in order.
    var entries: [TraceStartEntry] {
        var page = self
        page.trim()
        return page.kept
    }

    private mutating func trim() {
        let newestFirst = newestFirst
        kept.sort { Self.ranksBefore($0, $1, newestFirst: newestFirst) }
        if kept.count > limit { kept.removeSubrange(limit...) }
        if kept.count == limit { last = kept.last }
    }
}
