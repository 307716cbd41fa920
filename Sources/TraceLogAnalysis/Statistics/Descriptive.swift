/// Order statistics of samples: medians and percentiles.
///
/// Percentiles interpolate linearly between order statistics (Hyndman and Fan's definition 7, the default of
/// NumPy, R and most spreadsheets): for a sorted sample of n values, percentile q is at position (n − 1)·q.
public enum Descriptive {
    /// The median of a sample (the mean of the two middle values when n is even); nil when empty.
    /// Cost: O(n log n) (sorts a copy).
    public static func median(_ values: [Double]) -> Double? {
        medianOfSorted(values.sorted())
    }

    /// The median of an already sorted sample; nil when empty. O(1).
    public static func medianOfSorted(_ sorted: [Double]) -> Double? {
        percentileOfSorted(sorted, 0.5)
    }

    /// Percentile `q` (0…1) of an already sorted sample, interpolating linearly; nil when empty. O(1).
    public static func percentileOfSorted(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = Double(sorted.count - 1) * min(max(q, 0), 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        let (a, b) = (sorted[lower], sorted[upper])
        if fraction == 0 || a == b { return a }
        if a.isInfinite || b.isInfinite { return a.isInfinite ? a : b }
        return a + (b - a) * fraction
    }

    /// The arithmetic mean; nil when empty.
    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The sample variance (n − 1 in the denominator); nil with fewer than two values.
    public static func sampleVariance(_ values: [Double]) -> Double? {
        guard values.count >= 2, let mean = mean(values) else { return nil }
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    }
}
