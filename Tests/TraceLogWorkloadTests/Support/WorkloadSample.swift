import Foundation
import TraceLogIngest
import TraceLogWorkload

/// Generated lines and their Foundation-parsed objects, for tests that inspect a workload.
struct WorkloadSample {
    let lines: [String]
    let objects: [[String: Any]]

    /// The first `count` lines of the workload for `seed` and `mix`, parsed with `JSONSerialization`.
    init(seed: UInt64, count: Int, mix: WorkloadMix = .mixed) throws {
        let generator = WorkloadGenerator(configuration: WorkloadConfiguration(seed: seed, mix: mix))
        lines = generator.prefix(count).map { String(decoding: $0, as: UTF8.self) }
        objects = try lines.enumerated().map { index, line in
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let object = value as? [String: Any] else { throw SampleError.notAnObject(line: index + 1) }
            return object
        }
    }

    enum SampleError: Error {
        case notAnObject(line: Int)
    }
}

extension Dictionary where Key == String, Value == Any {
    var type: String { self["type"] as? String ?? "" }
    var id: String { self["id"] as? String ?? "" }
    var tag: String? { (self["trace"] as? [String: Any])?["tag"] as? String }
    var cause: (type: String, id: String)? {
        guard let cause = self["caused_by"] as? [String: Any], let type = cause["type"] as? String,
            let id = cause["id"] as? String
        else { return nil }
        return (type, id)
    }
    var attempt: Int { self["attempt"] as? Int ?? 1 }
    func string(_ key: String) -> String? { self[key] as? String }
}

/// Selinon's 53 trace event names: the importer's list, taken from `selinon.trace.Trace._event_strings`.
let selinonEventNames = SelinonEventName.known
