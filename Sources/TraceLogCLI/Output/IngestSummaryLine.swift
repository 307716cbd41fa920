/// The last line `tracelog ingest` prints: `N ingested, M rejected`, plus `, K duplicates skipped` when trigger
/// instances already recorded with the same content were sent again (they are not written twice).
struct IngestSummaryLine: CustomStringConvertible {
    let ingested: Int
    let rejected: Int
    let duplicates: Int

    init(_ ingested: Int, _ rejected: Int, _ duplicates: Int) {
        self.ingested = ingested
        self.rejected = rejected
        self.duplicates = duplicates
    }

    var description: String {
        "\(ingested) ingested, \(rejected) rejected" + (duplicates > 0 ? ", \(duplicates) duplicates skipped" : "")
    }
}
