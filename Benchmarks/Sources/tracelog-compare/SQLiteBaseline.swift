import Foundation
import GRDB
import TraceLogStorage

/// The baseline users would otherwise pick: one SQLite table through GRDB, WAL mode, one row per record, the same
/// five indexes TraceLog keeps (trace id, tag, execution, rule, trigger instance), payloads as JSON text,
/// batched transactions with one prepared INSERT.
///
/// Columns: the fields queries filter or sort on get their own column; the small remaining fields go into one
/// JSON text column (`attrs`); payload/input/details and output are JSON text columns, byte for byte.
/// The four sparse index columns get partial indexes (`WHERE col IS NOT NULL`), which keeps SQLite's
/// indexes as small as it can make them.
final class SQLiteBaseline {
    enum Synchronous: String {
        case full = "FULL"
        case normal = "NORMAL"
        case off = "OFF"
    }

    static let schema = """
        CREATE TABLE records (
            seq INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            trace_id BLOB NOT NULL,
            kind INTEGER NOT NULL,
            entity_id TEXT,
            tag TEXT,
            execution_id TEXT,
            rule_id TEXT,
            trigger_instance_id TEXT,
            ref TEXT,
            cause_type INTEGER,
            cause_id TEXT,
            attrs TEXT,
            payload TEXT,
            output TEXT
        );
        CREATE INDEX records_trace ON records(trace_id);
        CREATE INDEX records_tag ON records(tag) WHERE tag IS NOT NULL;
        CREATE INDEX records_execution ON records(execution_id) WHERE execution_id IS NOT NULL;
        CREATE INDEX records_rule ON records(rule_id) WHERE rule_id IS NOT NULL;
        CREATE INDEX records_trigger_instance ON records(trigger_instance_id) WHERE trigger_instance_id IS NOT NULL;
        """

    static let insertSQL = "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    let path: String
    let queue: DatabaseQueue

    /// Opens (creating) the database in WAL mode with the given `synchronous` setting.
    init(path: String, synchronous: Synchronous, create: Bool) throws {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        if create { try queue.inDatabase { db in try db.execute(sql: Self.schema) } }
    }

    /// Files that make up the database (for size and cache eviction).
    var files: [String] { [path, path + "-wal", path + "-shm"] }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Inserts records in transactions of `chunk` rows; seq continues from `firstSeq`.
    func insert(_ records: ArraySlice<Record>, firstSeq: Int64, chunk: Int) throws {
        try queue.inDatabase { db in
            let statement = try db.makeStatement(sql: Self.insertSQL)
            var seq = firstSeq
            var start = records.startIndex
            while start < records.endIndex {
                let end = min(start + chunk, records.endIndex)
                try db.inTransaction(.immediate) {
                    for record in records[start..<end] {
                        statement.setUncheckedArguments(SQLRow.arguments(seq: seq, record: record))
                        try statement.execute()
                        seq += 1
                    }
                    return .commit
                }
                start = end
            }
        }
    }

    /// Checkpoints the WAL into the database file (so its size is what the data takes).
    func checkpoint() throws {
        try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    func close() throws { try queue.close() }

    // MARK: Queries (the same questions TraceLog answers, answered the SQLite way)

    static let traceSQL = "SELECT * FROM records WHERE trace_id = ? ORDER BY seq"

    /// `trace get ID`: every row of the trace, materialized.
    func traceRows(_ db: Database, _ traceID: TraceID) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: Self.traceSQL)
        return try SQLRow.fetchAll(statement, arguments: [traceBlob(traceID)])
    }

    /// `trace list --trace-tag T -n limit`: how many traces carry the tag, and the newest `limit` of them with
    /// all their rows.
    func listByTag(_ db: Database, _ tag: String, limit: Int) throws -> (total: Int, traces: [[SQLRow]]) {
        let count = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM records WHERE tag = ? AND kind = 1"), arguments: [tag]) ?? 0
        let ids = try Data.fetchAll(
            db.cachedStatement(
                sql: "SELECT trace_id FROM records WHERE tag = ? AND kind = 1 ORDER BY time DESC, seq DESC LIMIT ?"),
            arguments: [tag, limit])
        return (count, try ids.map { try SQLRow.fetchAll(db.cachedStatement(sql: Self.traceSQL), arguments: [$0]) })
    }

    /// `trace list --execution E -n limit`: the traces containing the execution, newest first, with their rows.
    func listByExecution(_ db: Database, _ execution: String, limit: Int) throws -> (total: Int, traces: [[SQLRow]]) {
        let starts = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT trace_id FROM records WHERE kind = 1 AND trace_id IN
                        (SELECT trace_id FROM records WHERE execution_id = ?)
                    ORDER BY time DESC, seq DESC
                    """), arguments: [execution])
        let ids = starts.prefix(limit).map { $0[0] as Data }
        return (starts.count, try ids.map { try SQLRow.fetchAll(db.cachedStatement(sql: Self.traceSQL), arguments: [$0]) })
    }

    /// Full scan in seq order, every column materialized; returns the row count.
    func scanAll() throws -> Int {
        try queue.inDatabase { db in
            var count = 0
            var checksum = 0
            let cursor = try SQLRow.fetchCursor(db, sql: "SELECT * FROM records ORDER BY seq")
            while let row = try cursor.next() {
                count += 1
                checksum &+= Int(row.time) &+ (row.payload?.utf8.count ?? 0)
            }
            if checksum == 42 { print("") }
            return count
        }
    }
}

func traceBlob(_ id: TraceID) -> Data {
    var bytes = Data(count: 16)
    bytes.withUnsafeMutableBytes { raw in
        raw.storeBytes(of: id.high.bigEndian, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: id.low.bigEndian, toByteOffset: 8, as: UInt64.self)
    }
    return bytes
}

/// One `records` row, materialized into Swift values.
struct SQLRow: FetchableRecord {
    var seq: Int64
    var time: Int64
    var traceID: Data
    var kind: Int
    var entityID: String?
    var tag: String?
    var executionID: String?
    var ruleID: String?
    var triggerInstanceID: String?
    var ref: String?
    var causeType: Int?
    var causeID: String?
    var attrs: String?
    var payload: String?
    var output: String?

    init(row: Row) {
        seq = row[0]
        time = row[1]
        traceID = row[2]
        kind = row[3]
        entityID = row[4]
        tag = row[5]
        executionID = row[6]
        ruleID = row[7]
        triggerInstanceID = row[8]
        ref = row[9]
        causeType = row[10]
        causeID = row[11]
        attrs = row[12]
        payload = row[13]
        output = row[14]
    }

    /// The INSERT arguments for a record (its conversion to columns and JSON text is part of the measured cost,
    /// as encoding is part of TraceLog's).
    static func arguments(seq: Int64, record: Record) -> StatementArguments {
        var entityID: String?
        var tag: String?
        var executionID: String?
        var ruleID: String?
        var triggerInstanceID: String?
        var ref: String?
        var cause: EntityRef?
        var attrs = JSONObjectText()
        var payload: String?
        var output: String?
        switch record.body {
        case .traceStart(let start):
            tag = start.tag
            if let origin = start.origin {
                attrs.add("origin_type", origin.type.name)
                attrs.add("origin_id", origin.id)
            }
        case .triggerInstance(let instance):
            entityID = instance.id
            triggerInstanceID = instance.id
            ref = instance.trigger
            cause = instance.causedBy
            attrs.add("source", instance.source.name)
            attrs.add("hook", instance.hook)
            attrs.add("timer", instance.timer)
            payload = instance.payload.text
        case .ruleEnforcement(let enforcement):
            entityID = enforcement.id
            ruleID = enforcement.ruleID
            ref = enforcement.ruleRef
            triggerInstanceID = enforcement.triggerInstanceID
            cause = enforcement.causedBy
            attrs.add("execution_id", enforcement.executionID)
        case .executionAttempt(let attempt):
            entityID = attempt.id
            executionID = attempt.id
            ref = attempt.action
            cause = attempt.causedBy
            attrs.add("run_id", attempt.runID)
            attrs.addNumber("attempt", Double(attempt.attempt))
            attrs.add("status", attempt.status)
            attrs.add("parent", attempt.parent)
            attrs.add("rerun_of", attempt.rerunOf)
            if let duration = attempt.durationMs { attrs.addNumber("duration_ms", duration) }
            attrs.add("failure", attempt.failure?.name)
            attrs.add("failure_message", attempt.failureMessage)
            payload = attempt.input?.text
            output = attempt.output?.text
        case .causationLink(let link):
            entityID = link.entity.id
            switch link.entity.type {
            case .execution: executionID = link.entity.id
            case .rule: ruleID = link.entity.id
            case .triggerInstance: triggerInstanceID = link.entity.id
            case .trace: break
            }
            attrs.add("entity_type", link.entity.type.name)
            cause = link.causedBy
        case .flowEvent(let event):
            entityID = event.entityID
            executionID = event.entityID
            ref = event.event
            attrs.add("node", event.node)
            payload = event.details.text
        }
        return StatementArguments([
            seq, record.time.microseconds, traceBlob(record.traceID), Int(record.kind.rawValue), entityID, tag,
            executionID, ruleID, triggerInstanceID, ref, cause.map { Int($0.type.rawValue) }, cause?.id,
            attrs.text, payload, output,
        ] as [(any DatabaseValueConvertible)?])
    }
}

/// A tiny JSON object writer for the `attrs` column (strings escaped per RFC 8259).
struct JSONObjectText {
    private var bytes: [UInt8] = []

    mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        open(key)
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func addNumber(_ key: String, _ value: Double) {
        open(key)
        if value == value.rounded(), abs(value) < 1e15 {
            bytes += Array(String(Int64(value)).utf8)
        } else {
            bytes += Array(String(value).utf8)
        }
    }

    private mutating func open(_ key: String) {
        bytes.append(bytes.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
        bytes.append(UInt8(ascii: "\""))
        bytes += Array(key.utf8)
        bytes += [UInt8(ascii: "\""), UInt8(ascii: ":")]
    }

    var text: String? { bytes.isEmpty ? nil : String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }
}
