#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The log's filter stack (see ``FilterStack``): loading it, asking it which segments may hold a key, and, in the
/// writer's process, writing it.
extension LogReader {
    /// A segment to look a key up in, and whether its own key filter must be asked first (false: the filter
    /// stack said it may hold the key).
    struct Probe {
        var segment: ReaderSegment
        var askFilter: Bool
    }

    /// The segments of `all` (loaded, in order) that may hold a key, with what each must still ask.
    ///
    /// Segments the filter stack covers are answered by one read of its group for the key; the others are asked
    /// their own filter pages, all requested before `whileFiltersLoad` runs and before the first is read. A
    /// segment the stack rules out is left out; a covered segment whose group fails its check falls back to its
    /// own filter, so the answer is the same with or without the stack.
    func probes(_ kind: IndexKind, hash: UInt64, in all: [ReaderSegment], whileFiltersLoad: () -> Void = {})
        -> [Probe]
    {
        let stack = filterStack.withLock { $0 }
        let bounds = all.map { (baseSeq: $0.baseSeq, endSeq: $0.endSeq) }
        let covered = stack?.covered(bounds) ?? []
        let useStack = covered.contains(true)
        if useStack { stack?.prefetch(kind, hash: hash) }
        if all.count > 1 {
            for (index, segment) in all.enumerated() where !(useStack && covered[index]) {
                segment.prefetchFilter(kind, hash: hash)
            }
        }
        whileFiltersLoad()
        guard useStack, let stack else { return all.map { Probe(segment: $0, askFilter: true) } }
        var probes: [Probe] = []
        for (segment, verdict) in zip(all, stack.verdicts(kind, hash: hash, segments: bounds)) {
            switch verdict {
            case false?: continue
            case true?: probes.append(Probe(segment: segment, askFilter: false))
            case nil: probes.append(Probe(segment: segment, askFilter: true))
            }
        }
        return probes
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
            try FilterStack.write(FilterStack.encode(segments, groups: groups), in: logDirectory)
            filterStackProblem.withLock { $0 = nil }
            loadFilterStack()
        } catch {
            filterStackProblem.withLock { $0 = "filter stack not saved: \(error)" }
        }
    }
}

extension FilterStack {
    /// Replaces the stack file: written to a `.tmp` file, synced, renamed into place, the directory synced.
    static func write(_ bytes: [UInt8], in directory: LogDirectory) throws(LogError) {
        let final = directory.file(fileName)
        let temporary = final + SegmentName.temporarySuffix
        try withIOErrors { () throws(SystemError) in
            let file = try directory.io.open(temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
            try file.write(bytes, at: 0)
            try file.syncData()
            try directory.io.rename(temporary, to: final)
            try directory.io.syncDirectory(directory.path)
        }
    }
}

extension MappedFilterStack {
    /// For each of `segments`: whether the stack covers it as it is now (same base and end sequence number).
    func covered(_ segments: [(baseSeq: UInt64, endSeq: UInt64)]) -> [Bool] {
        guard let entries = layout()?.entries else { return segments.map { _ in false } }
        return segments.map { segment in
            entries.contains { $0.baseSeq == segment.baseSeq && $0.endSeq == segment.endSeq }
        }
    }
}
