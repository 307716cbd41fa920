#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One segment file known in a directory listing.
struct SegmentEntry: Hashable, Sendable {
    var name: String
    var baseSeq: UInt64
}

/// The files of a log directory: segments in sequence order, temporary files, the lock.
struct LogDirectory: Sendable {
    let path: String
    let io: FileIO

    func file(_ name: String) -> String { path + "/" + name }

    /// Segment files sorted by base sequence number.
    func segments() throws(LogError) -> [SegmentEntry] {
        let names = try withIOErrors { () throws(SystemError) in try io.listDirectory(path) }
        return names.compactMap { name in
            SegmentName.baseSeq(ofSegment: name).map { SegmentEntry(name: name, baseSeq: $0) }
        }
        .sorted { $0.baseSeq < $1.baseSeq }
    }

    /// Removes files left by an interrupted segment creation or index seal; returns their names.
    func removeTemporaryFiles() throws(LogError) -> [String] {
        let names = try withIOErrors { () throws(SystemError) in try io.listDirectory(path) }
        let stray = names.filter { $0.hasSuffix(SegmentName.temporarySuffix) }
        for name in stray { try withIOErrors { () throws(SystemError) in try io.unlink(file(name)) } }
        if !stray.isEmpty { try withIOErrors { () throws(SystemError) in try io.syncDirectory(path) } }
        return stray
    }

    /// Removes index files whose segment is gone (a crash during retention); returns their names.
    func removeOrphanIndexFiles() throws(LogError) -> [String] {
        let names = try withIOErrors { () throws(SystemError) in try io.listDirectory(path) }
        let segments = Set(names.compactMap(SegmentName.baseSeq(ofSegment:)))
        let orphans = names.filter { name in
            guard name.hasSuffix(SegmentIndexFile.suffix),
                let base = UInt64(name.dropLast(SegmentIndexFile.suffix.count))
            else { return false }
            return !segments.contains(base)
        }
        for name in orphans { try withIOErrors { () throws(SystemError) in try io.unlink(file(name)) } }
        return orphans
    }

    /// Replaces (or creates) the file `name` with `bytes` atomically: written to `name.tmp`, `fdatasync`'d,
    /// renamed into place, the directory `fsync`'d. A crash leaves the old file or the new one, and at most a
    /// `.tmp` that ``removeTemporaryFiles()`` deletes. For derived files (index files, the filter stack).
    func replaceFile(_ name: String, with bytes: [UInt8]) throws(LogError) {
        let final = file(name)
        let temporary = final + SegmentName.temporarySuffix
        try withIOErrors { () throws(SystemError) in
            let file = try io.open(temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
            try file.write(bytes, at: 0)
            try file.syncData()
            try io.rename(temporary, to: final)
            try io.syncDirectory(path)
        }
    }

    /// Creates a segment atomically: header written to a `.tmp` file, synced, renamed, directory synced.
    /// So a file under a segment name always has a complete header; a crash during creation leaves only the
    /// `.tmp` file, which ``removeTemporaryFiles()`` deletes. Readers and recovery rely on this: a damaged header
    /// is damage wherever the segment sits (see ``SegmentHeaderCheck``). Returns the segment opened under its final name, so that later errors about it name the right file.
    func createSegment(baseSeq: UInt64, createdAt: Int64) throws(LogError) -> OpenFile {
        let name = SegmentName.segment(baseSeq: baseSeq)
        let temporary = file(name + SegmentName.temporarySuffix)
        let header = SegmentHeader(baseSeq: baseSeq, createdAt: createdAt).encoded()
        return try withIOErrors { () throws(SystemError) in
            let staging = try io.open(temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
            try staging.write(header, at: 0)
            try staging.syncData()
            try io.rename(temporary, to: file(name))
            try io.syncDirectory(path)
            return try io.open(file(name), flags: O_RDWR)
        }
    }
}
