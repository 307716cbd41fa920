extension RunSetComparison {
    /// The columns of the terminal and markdown tables.
    static let columns = [
        "", "node", "base p50", "cand p50", "ratio [95% CI]", "p", "time", "base fail", "cand fail", "p", "failures",
        "retries",
    ]

    /// The cells of one node's row (unescaped).
    func cells(_ node: NodeComparison) -> [String] {
        let retries =
            "\(node.baselineRetriesMean.map { NumberFormat.fixed($0, 2) } ?? "–") → "
            + "\(node.candidateRetriesMean.map { NumberFormat.fixed($0, 2) } ?? "–")"
        guard let duration = node.duration, let failure = node.failureRate else {
            let durations = node.status == .added ? node.candidateDurations : node.baselineDurations
            let p50 = NumberFormat.milliseconds(Descriptive.median(durations))
            return [
                node.mark.rawValue, node.node, node.status == .removed ? p50 : "–", node.status == .added ? p50 : "–",
                "–", "–", node.status.rawValue, "–", "–", "–", node.status.rawValue, retries,
            ]
        }
        let interval =
            duration.ciLow.map { low in
                " [\(NumberFormat.fixed(low, 2)), \(duration.ciHigh.map { NumberFormat.fixed($0, 2) } ?? "–")]"
            } ?? ""
        return [
            node.mark.rawValue, node.node, NumberFormat.milliseconds(duration.baselineP50),
            NumberFormat.milliseconds(duration.candidateP50), NumberFormat.ratio(duration.ratio) + interval,
            NumberFormat.pValue(duration.pValue), duration.verdict.rawValue,
            "\(NumberFormat.percent(failure.baseline)) (\(failure.baselineFailures)/\(failure.baselineRuns))",
            "\(NumberFormat.percent(failure.candidate)) (\(failure.candidateFailures)/\(failure.candidateRuns))",
            NumberFormat.pValue(failure.pValue), failure.verdict.rawValue, retries,
        ]
    }

    /// The lines above the table.
    var headerLines: [String] {
        [
            "baseline:  \(baseline.selector) (\(baseline.runs) runs)",
            "candidate: \(candidate.selector) (\(candidate.runs) runs)",
            "alpha \(NumberFormat.plain(options.alpha)) (Holm-corrected per family), min effect "
                + "\(NumberFormat.plain(options.minEffect * 100, maximumDigits: 2))%",
        ]
    }

    /// The summary below the table.
    var summaryLine: String {
        let regressed = nodes.filter(\.isRegression).map { node in
            let what = [
                node.duration?.verdict == .slower ? "slower" : nil, node.failureRate?.verdict == .worse ? "worse" : nil,
            ]
            .compactMap { $0 }.joined(separator: ", ")
            return "\(node.node) (\(what))"
        }
        return regressed.isEmpty
            ? "no regressions"
            : "\(regressed.count) regression\(regressed.count == 1 ? "" : "s"): " + regressed.joined(separator: ", ")
    }

    /// The legend of the marks.
    static let legend =
        "marks: + slower or worse, - faster or better, ~ past the min effect but not significant, "
        + "! newly failing"

    /// The terminal report: a header, one row per node (worst first), the summary and the legend. Text from the
    /// log is escaped (no control characters reach the terminal). Warnings are not included: print them apart.
    public func terminalReport() -> String {
        let rows = [Self.columns] + nodes.map { cells($0).map(Escape.terminal) }
        var widths = [Int](repeating: 0, count: Self.columns.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        let numeric: Set<Int> = [2, 3, 5, 9]
        var lines = headerLines.map(Escape.terminal)
        lines.append("")
        for (number, row) in rows.enumerated() {
            let padded = row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return numeric.contains(index) ? padding + cell : cell + padding
            }
            lines.append(padded.joined(separator: "  ").trimmingSuffixSpaces())
            if number == 0 {  // the mark column gets no rule: a "-" there would read as a mark
                lines.append(
                    widths.enumerated().map { String(repeating: $0.offset == 0 ? " " : "-", count: $0.element) }
                        .joined(separator: "  "))
            }
        }
        lines.append("")
        lines.append(Escape.terminal(summaryLine))
        lines.append(Self.legend)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The markdown report (for a CI comment): header, warnings, a table with one row per node, summary, legend.
    public func markdownReport() -> String {
        var lines = ["## Run comparison", ""]
        lines += headerLines.map { "- " + Escape.markdown($0) }
        lines += warnings.map { "- **warning:** " + Escape.markdown($0) }
        lines.append("")
        let header = Self.columns.enumerated().map { $0.offset == 0 ? "mark" : $0.element }
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + header.indices.map { [2, 3, 5, 9].contains($0) ? "---:|" : "---|" }.joined())
        for node in nodes {
            let row = cells(node).enumerated().map { index, cell in
                index == 0 ? (cell == " " ? "" : "`\(cell)`") : Escape.markdown(cell)
            }
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        lines += ["", "**" + Escape.markdown(summaryLine) + "**", "", "_" + Self.legend + "_"]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingSuffixSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
