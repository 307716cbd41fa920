/// A plain-text table: a header row, a rule, and left-aligned columns separated by ` | `.
struct TextTable {
    var columns: [String]
    var rows: [[String]] = []

    func rendered() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: " | ")
        }
        var lines = [line(columns), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}
