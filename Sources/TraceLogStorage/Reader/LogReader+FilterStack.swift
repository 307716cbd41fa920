#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The log's filter stack (see ``FilterStack``): loading it, asking it which segments may hold a key, and, in the
/// writer's process, writing it.
extension LogReader {
    /// Which segments a lookup of one key reads, and how (see ``probePlan(_:hash:in:whileFiltersLoad:)``).
    struct ProbePlan {
        /// The filter stack that answered, and its answer (see ``MappedFilterStack/passMask(_:hash:)``); nil when
        /// the stack covers none of the segments or cannot answer for this key.
        var stack: MappedFilterStack?
        var passes: UInt64 = 0

        /// Whether to read `segment` for the key: nil to skip it (the stack rules it out), else whether its own
        /// key filter must be asked first (false when the stack says it may hold the key).
        func askFilter(_ segment: ReaderSegment) -> Bool? {
            guard let stack, let index = stack.entryIndex(baseSeq: segment.baseSeq, endSeq: segment.endSeq) else {
                return true
            }
            return passes & (1 << UInt64(index)) != 0 ? false : nil
        }
    }

    /// How a lookup of a key reads `all` (loaded, in order).
    ///
    /// Segments the filter stack covers are answered by one read of its group for the key; the others are asked
    /// their own filter pages, all requested before `whileFiltersLoad` runs and before the first is read. A
    /// segment the stack rules out is skipped; if the key's group fails its check, every segment asks its own
    /// filter, so the answer is the same with or without the stack. Allocates nothing.
    func probePlan(_ kind: IndexKind, hash: UInt64, in all: [ReaderSegment], whileFiltersLoad: () -> Void = {})
        -> ProbePlan
    {
        let stack = filterStack.withLock { $0 }
        let useStack =
            stack.map { stack in
                all.contains { stack.entryIndex(baseSeq: $0.baseSeq, endSeq: $0.endSeq) != nil }
            } ?? false
        if useStack { stack?.prefetch(kind, hash: hash) }
        if all.count > 1 {
            for segment in all
            where !useStack || stack?.entryIndex(baseSeq: segment.baseSeq, endSeq: segment.endSeq) == nil {
                segment.prefetchFilter(kind, hash: hash)
            }
        }
        whileFiltersLoad()
        guard useStack, let stack, let passes = stack.passMask(kind, hash: hash) else { return ProbePlan() }
        return ProbePlan(stack: stack, passes: passes)
    }

    /// Maps the filter stack if the directory has one other than the one mapped (the writer replaces the file
    /// whole), and asks for its header page without waiting. A stack that cannot be opened is simply not used.
    func loadFilterStack() {
        let path = logDirectory.file(FilterStack.fileName)
        guard let file = try? logDirectory.io.open(path, flags: O_RDONLY) else {
            filterStack.withLock { $0 = nil }
            return
        }
        var info = stat()
        guard fstat(file.descriptor, &info) == 0 else { return }
        let inode = UInt64(info.st_ino)
        if filterStack.withLock({ $0?.inode }) == inode { return }
        guard info.st_size > 0, let region = try? MappedRegion(file: file, randomAccess: true) else {
            filterStack.withLock { $0 = nil }
            return
        }
        let stack = MappedFilterStack(region: region, inode: inode)
        stack.prefetchLayout()
        filterStack.withLock { $0 = stack }
    }

    /// Writes the filter stack for the newest ``FilterStack/maxSegments`` sealed segments (every segment but the
    /// last): the filters of segments the current stack covers are carried over, the others are built from
    /// their index's keys. Only for the writer's process (``persistsIndexes``), after it wrote the index files;
    /// the stack is derived data, so a failure is noted for ``verify()`` and otherwise ignored — lookups then
    /// ask the segments' own filters.
    ///
    /// `justSealed` is a segment the writer rolled away from: the refresh that saw the roll may not have
    /// published the new last segment yet, and the sealed one is covered either way.
    func writeFilterStack(justSealed: ReaderSegment? = nil) {
        guard persistsIndexes else { return }
        do {
            let all = try loadedSegments()
            var sealed = Array(all.dropLast())
            if let justSealed, all.last === justSealed { sealed.append(justSealed) }
            sealed = Array(sealed.suffix(FilterStack.maxSegments))
            let current = filterStack.withLock { $0 }
            let entries = current?.layout()?.entries ?? []
            let bounds = sealed.map { (baseSeq: $0.baseSeq, endSeq: $0.endSeq) }
            if sealed.isEmpty { return }
            // Already describes these segments, and every group checks: nothing to write.
            if let current,
                bounds.elementsEqual(entries, by: { $0.baseSeq == $1.baseSeq && $0.endSeq == $1.endSeq }),
                (try? current.checkAll()) != nil
            {
                return
            }
            // The keys of the segments the stack does not describe yet; the others' counts are in the table.
            var carried: [MappedFilterStack.Entry?] = []
            var newKeys: [[UInt64]?] = []
            for (segment, (_, endSeq)) in zip(sealed, bounds) {
                let entry = entries.first { $0.baseSeq == segment.baseSeq && $0.endSeq == endSeq }
                carried.append(entry)
                newKeys.append(entry == nil ? try segment.filterKeys() : nil)
            }
            let keyCounts = zip(carried, newKeys).map { entry, keys in entry?.keys ?? keys?.count ?? 0 }
            let groups = FilterStack.groupCount(keyCounts: keyCounts)
            var segments: [FilterStack.Segment] = []
            for (index, (segment, (_, endSeq))) in zip(sealed, bounds).enumerated() {
                if let entry = carried[index], FilterStack.fits(blocks: entry.blocks, groups: groups),
                    let filter = try? current?.filter(of: entry)
                {
                    segments.append(
                        FilterStack.Segment(baseSeq: entry.baseSeq, endSeq: endSeq, keys: entry.keys, filter: filter))
                } else {
                    let keys = try newKeys[index] ?? segment.filterKeys()
                    segments.append(
                        FilterStack.Segment(baseSeq: segment.baseSeq, endSeq: endSeq, keys: keys, groups: groups))
                }
            }
            try logDirectory.replaceFile(FilterStack.fileName, with: FilterStack.encode(segments, groups: groups))
            filterStackProblem.withLock { $0 = nil }
            loadFilterStack()
        } catch {
            filterStackProblem.withLock { $0 = "filter stack not saved: \(error)" }
        }
    }
}
