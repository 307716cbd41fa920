/// The frame of a self-contained HTML report: one file, inline CSS, inline SVG, no script, no external font,
/// stylesheet or image.
enum HTMLPage {
    static let style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
        h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1.5rem 0 .3rem}
        table{border-collapse:collapse;font-size:.85rem}td,th{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left}
        td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}
        .mark-worse,.slower,.worse{color:#b30000;font-weight:bold}.mark-better,.faster,.better{color:#1a7f37}
        .mark-newly-failing{color:#b30000}.unknown{color:#777}.same{color:#444}.warning{color:#9a6700}
        .meta{color:#555;font-size:.9rem}.chart{display:block;margin:.3rem 0 1rem}code{font-size:.85rem}
        """

    /// A whole page.
    static func page(title: String, body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>\(Escape.html(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
            + body + "\n</body>\n</html>\n"
    }

    /// A table with a header row; `cells` are HTML already; `numeric` columns are right-aligned.
    static func table(header: [String], rows: [[String]], numeric: Set<Int> = []) -> String {
        var html = "<table>\n<tr>" + header.map { "<th>\(Escape.html($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html += numeric.contains(index) ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }
}
