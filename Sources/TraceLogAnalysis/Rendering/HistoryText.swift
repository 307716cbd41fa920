extension RunHistory {
    /// The terminal report: per node its series length and a table of its change points. Text from the log is
    /// escaped.
    public func terminalReport() -> String {
        var lines = ["runs: \(Escape.terminal(selector)) (\(runs) runs)"]
        for node in nodes {
            lines.append("")
            let count = node.changePoints.count
            lines.append(
                "\(Escape.terminal(node.node)): \(node.points.count) runs, "
                    + (count == 0 ? "no change points" : "\(count) change point\(count == 1 ? "" : "s")"))
            guard count > 0 else { continue }
            let rows =
                [["index", "trace", "time", "before p50", "after p50", "ratio", "p"]]
                + node.changePoints.map { change in
                    [
                        String(change.index), change.traceID.description, change.time.description,
                        NumberFormat.milliseconds(change.beforeP50), NumberFormat.milliseconds(change.afterP50),
                        NumberFormat.ratio(change.ratio), NumberFormat.pValue(change.pValue),
                    ]
                }
            var widths = [Int](repeating: 0, count: rows[0].count)
            for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
            for row in rows {
                let padded = row.enumerated().map { index, cell in
                    let padding = String(repeating: " ", count: widths[index] - cell.count)
                    return index == 0 || index >= 3 ? padding + cell : cell + padding
                }
                lines.append("  " + padded.joined(separator: "  "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
