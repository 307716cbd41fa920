extension RunSetComparison {
    /// The self-contained HTML report of `tracelog compare --html FILE`: the table, then per node its duration
    /// distributions (strip and box plots and ECDFs, baseline next to candidate) and failure-rate bars, all as
    /// inline SVG.
    public func htmlReport() -> String {
        var body = "<h1>Run comparison</h1>\n<p class=\"meta\">"
        body += headerLines.map(Escape.html).joined(separator: "<br>\n") + "</p>\n"
        for warning in warnings { body += "<p class=\"warning\">warning: \(Escape.html(warning))</p>\n" }
        body += "<p><strong>\(Escape.html(summaryLine))</strong></p>\n"
        body += tableHTML()
        body += "<p class=\"meta\">\(Escape.html(Self.legend))</p>\n"
        body += "<h2>Failure rates</h2>\n" + failureChart()
        body += "<h2>Durations</h2>\n"
        for node in nodes where !node.baselineDurations.isEmpty || !node.candidateDurations.isEmpty {
            let verdict = node.duration?.verdict.rawValue ?? node.status.rawValue
            body += "<h3>\(Escape.html(node.node)) <span class=\"\(verdict)\">\(verdict)</span></h3>\n"
            body += durationChart(node)
        }
        return HTMLPage.page(title: "Run comparison: \(baseline.selector) → \(candidate.selector)", body: body)
    }

    /// The table, one row per node, with classes on marks and verdicts.
    func tableHTML() -> String {
        let rows = nodes.map { node in
            cells(node).enumerated().map { index, cell -> String in
                let text = Escape.html(cell)
                switch index {
                case 0:
                    let kind: String
                    switch node.mark {
                    case .worse: kind = "worse"
                    case .better: kind = "better"
                    case .newlyFailing: kind = "newly-failing"
                    default: kind = "none"
                    }
                    return "<span class=\"mark-\(kind)\">\(text)</span>"
                case 1: return "<code>\(text)</code>"
                case 6, 10: return "<span class=\"\(text)\">\(text)</span>"
                default: return text
                }
            }
        }
        return HTMLPage.table(header: Self.columns, rows: rows, numeric: [2, 3, 5, 9])
    }

    /// Strip and box plots of both sets on one axis, and their ECDFs below.
    func durationChart(_ node: NodeComparison) -> String {
        let (width, left, right) = (720.0, 100.0, 700.0)
        let baseline = node.baselineDurations.sorted()
        let candidate = node.candidateDurations.sorted()
        let scale = SVGChart.Scale(covering: baseline + candidate, to: (left, right))
        var svg = ""
        for (row, (label, values, color)) in [
            ("baseline", baseline, SVGChart.baselineColor), ("candidate", candidate, SVGChart.candidateColor),
        ].enumerated() {
            let y = 22 + Double(row) * 38
            svg += SVGChart.text("\(label) (n=\(values.count))", x: 4, y: y + 4)
            guard !values.isEmpty else { continue }
            for (index, value) in SVGChart.thinned(values, limit: 300).enumerated() {
                let jitter = Double((index * 7919) % 17 - 8) * 1.1
                svg += SVGChart.circle(scale(value), y + jitter, radius: 2.2, fill: color, opacity: 0.35)
            }
            let q = { (p: Double) in scale(Descriptive.percentileOfSorted(values, p)!) }
            svg += SVGChart.line(q(0.05), y, q(0.25), y, color: color)
            svg += SVGChart.line(q(0.75), y, q(0.95), y, color: color)
            svg += SVGChart.rect(q(0.25), y - 10, q(0.75) - q(0.25), 20, fill: color, opacity: 0.15, stroke: color)
            svg += SVGChart.line(q(0.5), y - 12, q(0.5), y + 12, color: color, width: 2.5)
        }
        svg += SVGChart.horizontalAxis(scale, y: 86, unit: "duration (ms)")
        // ECDFs.
        let (top, bottom) = (130.0, 240.0)
        svg += SVGChart.text("ECDF", x: 4, y: top + 4)
        svg += SVGChart.line(left, bottom, left, top, color: SVGChart.axisColor)
        svg += SVGChart.text("1", x: left - 6, y: top + 4, anchor: "end")
        svg += SVGChart.text("0", x: left - 6, y: bottom + 4, anchor: "end")
        for (values, color) in [(baseline, SVGChart.baselineColor), (candidate, SVGChart.candidateColor)]
        where !values.isEmpty {
            let thinned = SVGChart.thinned(values, limit: 400)
            var points: [(Double, Double)] = [(scale(thinned[0]), bottom)]
            for (index, value) in thinned.enumerated() {
                let fraction = Double(index + 1) / Double(thinned.count)
                let previous = points.last!.1
                points.append((scale(value), previous))
                points.append((scale(value), bottom - fraction * (bottom - top)))
            }
            svg += SVGChart.polyline(points, color: color)
        }
        svg += SVGChart.horizontalAxis(scale, y: bottom, unit: "duration (ms)")
        return SVGChart.svg(
            width: width, height: 275, title: "durations of \(node.node): baseline and candidate", content: svg) + "\n"
    }

    /// One pair of bars per node that failed in either set: baseline and candidate failure rates.
    func failureChart() -> String {
        let failing = nodes.filter { node in
            guard let rate = node.failureRate else { return false }
            return rate.baselineFailures + rate.candidateFailures > 0
        }
        guard !failing.isEmpty else { return "<p class=\"meta\">No node failed in either set.</p>\n" }
        let (left, right) = (200.0, 540.0)
        let highest = failing.map { max($0.failureRate!.baseline, $0.failureRate!.candidate) }.max() ?? 1
        let scale = SVGChart.Scale(covering: [0, max(highest, 0.05)], to: (left, right), includeZero: true)
        var svg = ""
        for (row, node) in failing.enumerated() {
            let rate = node.failureRate!
            let y = 10 + Double(row) * 44
            svg += SVGChart.text(node.node, x: 4, y: y + 18, bold: node.isRegression)
            for (offset, value, failures, runs, color) in [
                (0.0, rate.baseline, rate.baselineFailures, rate.baselineRuns, SVGChart.baselineColor),
                (17.0, rate.candidate, rate.candidateFailures, rate.candidateRuns, SVGChart.candidateColor),
            ] {
                svg += SVGChart.rect(left, y + offset, scale(value) - left, 14, fill: color)
                svg += SVGChart.text(
                    "\(NumberFormat.percent(value)) (\(failures)/\(runs))", x: scale(value) + 6, y: y + offset + 11)
            }
        }
        let axisY = 10 + Double(failing.count) * 44
        var axisScale = scale
        axisScale.domain = (0, scale.domain.high * 100)
        axisScale.range = scale.range
        svg += SVGChart.horizontalAxis(axisScale, y: axisY, unit: "failure rate (%)")
        svg += SVGChart.rect(650, 12, 10, 10, fill: SVGChart.baselineColor)
        svg += SVGChart.text("baseline", x: 666, y: 21)
        svg += SVGChart.rect(650, 30, 10, 10, fill: SVGChart.candidateColor)
        svg += SVGChart.text("candidate", x: 666, y: 39)
        return SVGChart.svg(width: 740, height: axisY + 36, title: "failure rates by node", content: svg) + "\n"
    }
}
