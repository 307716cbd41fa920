import Foundation

/// A strict reader of the Prometheus text format (0.0.4), for tests: every sample belongs to a family announced
/// by `# HELP` and `# TYPE` lines before it, names and labels are well formed, no series appears twice, values
/// parse, and histograms have cumulative buckets ending in `+Inf` equal to their `_count`.
struct PrometheusText {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    var help: [String: String] = [:]
    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        var seen: Set<String> = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            if line.isEmpty { continue }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count == 4, parts[2].range(of: "^\(name)$", options: .regularExpression) != nil else {
                    throw Problem(description: "line \(number + 1): bad comment: \(line)")
                }
                if parts[1] == "HELP" {
                    guard help.updateValue(parts[3], forKey: parts[2]) == nil else {
                        throw Problem(description: "line \(number + 1): second HELP for \(parts[2])")
                    }
                } else {
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]),
                        types.updateValue(parts[3], forKey: parts[2]) == nil
                    else { throw Problem(description: "line \(number + 1): bad or second TYPE: \(line)") }
                }
                continue
            }
            guard !line.hasPrefix("#") else { continue }
            let pattern = "^(\(name))(\\{(.*)\\})? ([^ ]+)$"
            guard let match = line.firstMatch(of: try Regex(pattern)),
                let value = Double(String(match.output[4].substring ?? ""))
                    ?? (match.output[4].substring == "+Inf" ? .infinity : nil)
            else { throw Problem(description: "line \(number + 1): bad sample: \(line)") }
            let sampleName = String(match.output[1].substring ?? "")
            var labels: [String: String] = [:]
            if let body = match.output[3].substring, !body.isEmpty {
                for pair in body.split(separator: ",") {
                    guard let equals = pair.firstIndex(of: "="), pair[pair.index(after: equals)...].hasPrefix("\""),
                        pair.hasSuffix("\"")
                    else { throw Problem(description: "line \(number + 1): bad label \(pair)") }
                    labels[String(pair[..<equals])] = String(
                        pair[pair.index(equals, offsetBy: 2)..<pair.index(before: pair.endIndex)])
                }
            }
            let family = ["_bucket", "_sum", "_count", "_total"].reduce(sampleName) { current, suffix in
                current.hasSuffix(suffix) && types[current] == nil
                    && types[String(current.dropLast(suffix.count))] != nil
                    ? String(current.dropLast(suffix.count)) : current
            }
            guard types[family] != nil || types[sampleName] != nil, help[family] != nil || help[sampleName] != nil
            else {
                throw Problem(description: "line \(number + 1): \(sampleName) has no HELP and TYPE before it")
            }
            let key = sampleName + labels.sorted { $0.key < $1.key }.description
            guard seen.insert(key).inserted else {
                throw Problem(description: "line \(number + 1): series twice: \(line)")
            }
            samples.append(Sample(name: sampleName, labels: labels, value: value))
        }
        for (family, type) in types where type == "histogram" {
            let buckets = samples.filter { $0.name == family + "_bucket" }
            let groups = Dictionary(grouping: buckets) { $0.labels.filter { $0.key != "le" } }
            for (labels, series) in groups {
                let values = series.map(\.value)
                guard values == values.sorted(), series.last?.labels["le"] == "+Inf",
                    let count = samples.first(where: { $0.name == family + "_count" && $0.labels == labels }),
                    count.value == values.last
                else {
                    throw Problem(description: "histogram \(family) \(labels) is not cumulative up to +Inf = _count")
                }
            }
        }
    }

    /// The value of the one sample named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }?.value
    }
}
