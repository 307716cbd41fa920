extension RunHistory {
    /// The self-contained HTML report of `tracelog history --html FILE`: per node its durations in run order
    /// with the change points marked (dashed lines) and each segment's median, and a table of the change points.
    public func htmlReport() -> String {
        var body = "<h1>Run history</h1>\n<p class=\"meta\">runs: \(Escape.html(selector)) (\(runs) runs)</p>\n"
        for node in nodes {
            let count = node.changePoints.count
            body += "<h2><code>\(Escape.html(node.node))</code></h2>\n<p class=\"meta\">\(node.points.count) runs, "
            body += count == 0 ? "no change points" : "\(count) change point\(count == 1 ? "" : "s")"
            body += "</p>\n" + seriesChart(node)
            guard count > 0 else { continue }
            let rows = node.changePoints.map { change in
                [
                    String(change.index), "<code>\(change.traceID)</code>", Escape.html(change.time.description),
                    NumberFormat.milliseconds(change.beforeP50), NumberFormat.milliseconds(change.afterP50),
                    NumberFormat.ratio(change.ratio), NumberFormat.pValue(change.pValue),
                ]
            }
            body += HTMLPage.table(
                header: ["index", "trace", "time", "before p50", "after p50", "ratio", "p"], rows: rows,
                numeric: [0, 3, 4, 5, 6])
        }
        return HTMLPage.page(title: "Run history: \(selector)", body: body)
    }

    /// The series: points (or, past 1500 runs, the min–max range per pixel column), segment medians, change points.
    func seriesChart(_ node: Node) -> String {
        let (width, left, right, top, bottom) = (720.0, 60.0, 700.0, 16.0, 200.0)
        let values = node.points.map(\.durationMs)
        let x = SVGChart.Scale(covering: [0, Double(max(values.count - 1, 1))], to: (left, right))
        var y = SVGChart.Scale(covering: values, to: (bottom, top))
        if y.domain.low < 0, values.allSatisfy({ $0 >= 0 }) { y.domain.low = 0 }
        var svg = ""
        if values.count <= 1500 {
            for (index, value) in values.enumerated() {
                svg += SVGChart.circle(
                    x(Double(index)), y(value), radius: 2, fill: SVGChart.baselineColor, opacity: 0.5)
            }
        } else {
            let columns = 640
            for column in 0..<columns {
                let low = column * values.count / columns
                let high = max((column + 1) * values.count / columns, low + 1)
                let slice = values[low..<min(high, values.count)]
                guard let minimum = slice.min(), let maximum = slice.max() else { continue }
                let position = x(Double(low))
                svg += SVGChart.line(position, y(minimum), position, y(maximum), color: SVGChart.baselineColor)
            }
        }
        let bounds = [0] + node.changePoints.map(\.index) + [values.count]
        for (low, high) in zip(bounds, bounds.dropFirst()) where high > low {
            let median = Descriptive.median(Array(values[low..<high])) ?? 0
            svg += SVGChart.line(
                x(Double(low)), y(median), x(Double(max(high - 1, low))), y(median), color: "#222222", width: 2)
        }
        for change in node.changePoints {
            let position = x(Double(change.index) - 0.5)
            svg += SVGChart.line(position, top, position, bottom, color: SVGChart.changeColor, width: 1.5, dashed: true)
            svg += SVGChart.text(NumberFormat.ratio(change.ratio), x: position + 3, y: top + 10)
        }
        // Axes: run index below, duration on the left.
        svg += SVGChart.horizontalAxis(x, y: bottom, unit: "run (series index)")
        svg += SVGChart.line(left, top, left, bottom, color: SVGChart.axisColor)
        let ticks = y.ticks(4)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        for tick in ticks {
            svg += SVGChart.line(left - 4, y(tick), left, y(tick), color: SVGChart.axisColor)
            svg += SVGChart.text(SVGChart.tickLabel(tick, step: step), x: left - 6, y: y(tick) + 4, anchor: "end")
        }
        svg += SVGChart.text("ms", x: left - 6, y: top - 4, anchor: "end")
        return SVGChart.svg(width: width, height: 240, title: "durations of \(node.node) by run", content: svg) + "\n"
    }
}
