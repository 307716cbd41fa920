/// Holm's step-down correction of a family of p-values (Holm, 1979, "A simple sequentially rejective multiple
/// test procedure"): it controls the family-wise error rate — the chance of any false rejection — at alpha,
/// under any dependence between the tests, and rejects at least what Bonferroni's correction rejects.
///
/// With the m p-values sorted ascending, p₍ᵢ₎ (i = 1…m) becomes max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎);
/// rejecting where the adjusted value is below alpha is Holm's procedure. Cost: O(m log m).
public enum HolmBonferroni {
    /// The adjusted p-values, in input order; `nil` entries are not part of the family and stay `nil`.
    public static func adjust(_ pValues: [Double?]) -> [Double?] {
        let members = pValues.indices.filter { pValues[$0] != nil }.sorted {
            (pValues[$0]!, $0) < (pValues[$1]!, $1)
        }
        var adjusted = [Double?](repeating: nil, count: pValues.count)
        var running = 0.0
        for (rank, index) in members.enumerated() {
            running = max(running, min(1, Double(members.count - rank) * pValues[index]!))
            adjusted[index] = running
        }
        return adjusted
    }
}
