import TraceLog

/// A plain-text table: a header row, a rule, and left-aligned columns separated by ` | `.
///
/// Cells are user data (ids, tags, refs, messages): their control characters are escaped
/// (``TerminalText/escaped(_:)``) before the columns are measured, so a cell can neither move the cursor nor
/// break the layout.
struct TextTable {
    var columns: [String]
    var rows: [[String]] = []

    func rendered() -> String {
        let rows = rows.map { $0.map(TerminalText.escaped) }
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
