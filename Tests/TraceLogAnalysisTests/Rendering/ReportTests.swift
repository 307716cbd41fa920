import Foundation
import Testing
import TraceLog
import TraceLogAnalysis
import TraceLogStorage

@Suite("Reports: the JSON contract, terminal, markdown and HTML")
struct ReportTests {
    static func comparison() -> RunSetComparison {
        var runs = SyntheticRuns(seed: 8)
        let nodes = [
            SyntheticRuns.Node(name: "steady", median: 100), .init(name: "slow\u{1B}[31m|<b>", median: 50),
            .init(name: "gone", median: 5),
        ]
        var candidateNodes = nodes
        candidateNodes[1].median *= 1.5
        candidateNodes[2] = .init(name: "new", median: 7)
        return RunSetComparison(
            baseline: runs.runSet("tag:base-*", runs: 25, nodes: nodes),
            candidate: runs.runSet("tag:cand-*", runs: 25, nodes: candidateNodes))
    }

    @Test("compare --json has exactly the documented keys; null duration and failure_rate for added/removed")
    func comparisonJSON() throws {
        let comparison = Self.comparison()
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(comparison.json.serialized().utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["baseline", "candidate", "nodes", "regressions"])
        #expect((object["baseline"] as? [String: Any])?["selector"] as? String == "tag:base-*")
        #expect((object["candidate"] as? [String: Any])?["runs"] as? Int == 25)
        #expect(object["regressions"] as? Int == 1)
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        #expect(nodes.count == 4)
        for node in nodes {
            #expect(Set(node.keys) == ["node", "status", "duration", "failure_rate", "retries"])
            #expect(Set((node["retries"] as? [String: Any])?.keys ?? [:].keys) == ["baseline_mean", "candidate_mean"])
            if node["status"] as? String == "compared" {
                let duration = try #require(node["duration"] as? [String: Any])
                #expect(
                    Set(duration.keys) == [
                        "baseline_p50", "candidate_p50", "ratio", "ci_low", "ci_high", "p_value", "verdict",
                    ])
                let rate = try #require(node["failure_rate"] as? [String: Any])
                #expect(Set(rate.keys) == ["baseline", "candidate", "delta", "p_value", "verdict"])
            } else {
                #expect(node["duration"] is NSNull && node["failure_rate"] is NSNull)
            }
        }
        #expect(nodes.first?["node"] as? String == "slow\u{1B}[31m|<b>")
        #expect((nodes.first?["duration"] as? [String: Any])?["verdict"] as? String == "slower")
        #expect(nodes.map { $0["status"] as? String } == ["compared", "added", "removed", "compared"])
    }

    @Test("the terminal report escapes control characters and lists worst first with marks")
    func terminal() throws {
        let report = Self.comparison().terminalReport()
        #expect(!report.contains("\u{1B}"), "no escape character reaches the terminal")
        #expect(report.contains("slow\\u{1b}[31m|<b>"))
        let lines = report.split(separator: "\n")
        let dashes = try #require(lines.firstIndex { $0.hasPrefix("   ---") })
        #expect(lines[dashes - 1].contains("node") && lines[dashes - 1].contains("ratio [95% CI]"))
        #expect(lines[dashes + 1].hasPrefix("+ "), "the regression first")
        #expect(report.contains("1 regression: slow\\u{1b}[31m|<b> (slower)"))
        #expect(report.contains("marks: + slower or worse"))
    }

    @Test("the markdown report is a table whose cells cannot break it")
    func markdown() {
        let report = Self.comparison().markdownReport()
        #expect(report.contains("| mark | node | base p50 |"))
        #expect(report.contains("slow\\\\u{1b}[31m\\|\\<b\\>") || report.contains("slow\\\\u{1b}\\[31m\\|\\<b\\>"))
        let tableRows = report.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(tableRows.count == 1 + 4)
        for row in tableRows { #expect(row.split(separator: "|", omittingEmptySubsequences: false).count >= 13) }
    }

    @Test("the HTML report is self-contained: inline SVG charts, no script, nothing loaded from elsewhere")
    func html() {
        let page = Self.comparison().htmlReport()
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<svg"))
        #expect(page.components(separatedBy: "<svg").count - 1 >= 4, "one chart per node with durations")
        #expect(!page.lowercased().contains("<script"))
        #expect(
            !page.contains("http://")
                || !page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!page.contains("https://"))
        #expect(!page.contains("<b>"), "node names are escaped")
        #expect(page.contains("slow\\u{1b}[31m|&lt;b&gt;"))
        #expect(!page.contains(" style="), "charts style with attributes only (CSP-safe)")
    }

    @Test("history JSON has the documented keys")
    func historyJSON() throws {
        var runs = SyntheticRuns(seed: 9)
        var set = runs.runSet("tag:h", runs: 60, nodes: [.init(name: "n", median: 100, sigma: 0.03)])
        let faster = runs.runSet("tag:h", runs: 60, nodes: [.init(name: "n", median: 160, sigma: 0.03)])
        set.runs += faster.runs
        let history = try RunHistory(set)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(history.json.serialized().utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["nodes"])
        let node = try #require((object["nodes"] as? [[String: Any]])?.first)
        #expect(Set(node.keys) == ["node", "runs", "change_points"])
        #expect(node["runs"] as? Int == 120)
        let change = try #require((node["change_points"] as? [[String: Any]])?.first)
        #expect(
            Set(change.keys) == ["index", "trace_id", "time", "before_p50", "after_p50", "ratio", "p_value"])
        #expect(change["index"] as? Int == 60)
        #expect(change["trace_id"] as? String == faster.runs[0].traceID.description)
        let page = history.htmlReport()
        #expect(page.contains("<svg") && page.contains("stroke-dasharray") && !page.contains("<script"))
    }
}
