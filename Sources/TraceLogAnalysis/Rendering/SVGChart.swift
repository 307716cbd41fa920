import RealModule

/// Small SVG building blocks for the HTML reports: a linear scale with round tick values, and element
/// helpers. Every style is a presentation attribute (no `style` attribute, no CSS needed), so a chart looks the
/// same inside the self-contained report and when the web viewer imports it under a strict content security
/// policy.
struct SVGChart {
    /// The colour of the baseline set.
    static let baselineColor = "#4c78a8"
    /// The colour of the candidate set.
    static let candidateColor = "#f58518"
    /// The colour of a change point.
    static let changeColor = "#d62728"
    static let axisColor = "#888888"
    static let font = "font-family=\"system-ui, sans-serif\" font-size=\"11\" fill=\"#333333\""

    /// A linear map from a data range to a pixel range.
    struct Scale {
        var domain: (low: Double, high: Double)
        var range: (low: Double, high: Double)

        /// A scale over `values` (padded by 5% of their spread), or 0…1 when there are none.
        init(covering values: [Double], to range: (low: Double, high: Double), includeZero: Bool = false) {
            let finite = values.filter(\.isFinite)
            var low = finite.min() ?? 0
            var high = finite.max() ?? 1
            if includeZero { low = min(low, 0) }
            if high == low {
                high += max(abs(high) * 0.1, 1)
                low -= includeZero && low == 0 ? 0 : max(abs(low) * 0.1, 1)
            }
            let padding = (high - low) * 0.05
            domain = (includeZero && low == 0 ? 0 : low - padding, high + padding)
            self.range = range
        }

        func callAsFunction(_ value: Double) -> Double {
            range.low + (value - domain.low) / (domain.high - domain.low) * (range.high - range.low)
        }

        /// At most `count` round tick values inside the domain (1, 2 or 5 times a power of ten apart).
        func ticks(_ count: Int = 6) -> [Double] {
            let span = domain.high - domain.low
            guard span > 0, span.isFinite else { return [] }
            let power = Double.pow(10, (Double.log10(span / Double(count))).rounded(.down))
            var step = power * 10
            for multiple in [1.0, 2, 5] where span / (power * multiple) <= Double(count) {
                step = power * multiple
                break
            }
            var ticks: [Double] = []
            var tick = (domain.low / step).rounded(.up) * step
            while tick <= domain.high, ticks.count < 20 {
                ticks.append(tick == 0 ? 0 : tick)
                tick += step
            }
            return ticks
        }
    }

    static func number(_ value: Double) -> String { NumberFormat.coordinate(value) }

    /// A tick label: the value with as few decimals as the step needs.
    static func tickLabel(_ value: Double, step: Double) -> String {
        let digits = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3
        return NumberFormat.fixed(value, digits)
    }

    /// A horizontal axis at `y` with its ticks and labels.
    static func horizontalAxis(_ scale: Scale, y: Double, unit: String) -> String {
        let ticks = scale.ticks()
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        var svg = line(scale.range.low, y, scale.range.high, y, color: axisColor)
        for tick in ticks {
            let x = scale(tick)
            svg += line(x, y, x, y + 4, color: axisColor)
            svg += text(tickLabel(tick, step: step), x: x, y: y + 15, anchor: "middle")
        }
        svg += text(unit, x: scale.range.high, y: y + 28, anchor: "end")
        return svg
    }

    static func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double = 1,
        dashed: Bool = false
    ) -> String {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" stroke=\"\(color)\" "
            + "stroke-width=\"\(number(width))\"" + (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>"
    }

    static func rect(
        _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String,
        opacity: Double = 1, stroke: String? = nil
    ) -> String {
        "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(max(width, 0)))\" height=\"\(number(height))\" "
            + "fill=\"\(fill)\" fill-opacity=\"\(NumberFormat.fixed(opacity, 2))\""
            + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>"
    }

    static func circle(_ x: Double, _ y: Double, radius: Double, fill: String, opacity: Double) -> String {
        "<circle cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"\(number(radius))\" fill=\"\(fill)\" "
            + "fill-opacity=\"\(NumberFormat.fixed(opacity, 2))\"/>"
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", bold: Bool = false)
        -> String
    {
        "<text x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" \(font)"
            + (bold ? " font-weight=\"bold\"" : "") + ">\(Escape.html(content))</text>"
    }

    static func polyline(_ points: [(Double, Double)], color: String, width: Double = 1.5) -> String {
        let coordinates = points.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ")
        return
            "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(number(width))\"/>"
    }

    /// An `<svg>` element of the given size around `content`, with an accessible title.
    static func svg(width: Double, height: Double, title: String, content: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(number(width))\" height=\"\(number(height))\" "
            + "viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\"><title>\(Escape.html(title))</title>"
            + content + "</svg>"
    }

    /// At most `limit` values spread evenly over a sorted sample (its quantiles), for charts of large sets.
    static func thinned(_ sorted: [Double], limit: Int) -> [Double] {
        guard sorted.count > limit, limit > 1 else { return sorted }
        return (0..<limit).map { sorted[Int((Double($0) / Double(limit - 1) * Double(sorted.count - 1)).rounded())] }
    }
}
