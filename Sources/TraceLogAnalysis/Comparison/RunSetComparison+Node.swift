extension RunSetComparison {
    /// One node while its tests run, before the family-wise correction.
    struct Partial {
        var name: String
        var baseline: [NodeRunSample]
        var candidate: [NodeRunSample]
        var baselineDurations: [Double] = []
        var candidateDurations: [Double] = []
        var mannWhitney: MannWhitneyU.Result?
        var fisher: FisherExact.Result?
        var interval: (low: Double, high: Double)?

        init(name: String, baseline: [NodeRunSample], candidate: [NodeRunSample]) {
            self.name = name
            self.baseline = baseline
            self.candidate = candidate
            baselineDurations = baseline.compactMap(\.durationMs)
            candidateDurations = candidate.compactMap(\.durationMs)
        }

        var isCompared: Bool { !baseline.isEmpty && !candidate.isEmpty }
        var baselineFailures: Int { baseline.count(where: \.failed) }
        var candidateFailures: Int { candidate.count(where: \.failed) }

        /// The uncorrected Mann–Whitney p-value, when the test belongs to the family.
        var durationFamilyP: Double? {
            guard let mannWhitney, !mannWhitney.isDegenerate else { return nil }
            return mannWhitney.pValue
        }

        /// The uncorrected Fisher p-value, when the test belongs to the family.
        var failureFamilyP: Double? {
            guard let fisher, !fisher.isDegenerate else { return nil }
            return fisher.pValue
        }

        /// Runs the uncorrected tests and the bootstrap.
        mutating func test(_ options: ComparisonOptions) {
            guard isCompared else { return }
            if !baselineDurations.isEmpty, !candidateDurations.isEmpty {
                mannWhitney = MannWhitneyU.test(candidateDurations, baselineDurations)
                interval = MedianRatioBootstrap.interval(
                    baseline: baselineDurations, candidate: candidateDurations,
                    level: ComparisonOptions.confidenceLevel, resamples: options.bootstrapResamples,
                    seed: options.seed ^ Self.stableHash(name))
            }
            fisher = FisherExact.test(
                candidateFailures, candidate.count - candidateFailures, baselineFailures,
                baseline.count - baselineFailures)
        }

        /// The node's comparison, given its corrected p-values.
        func finish(_ durationP: Double?, _ failureP: Double?, _ options: ComparisonOptions) -> NodeComparison {
            var node = NodeComparison(
                node: name, status: baseline.isEmpty ? .added : candidate.isEmpty ? .removed : .compared,
                duration: nil, failureRate: nil,
                baselineRetriesMean: Self.meanRetries(baseline), candidateRetriesMean: Self.meanRetries(candidate),
                mark: .none, baselineDurations: baselineDurations, candidateDurations: candidateDurations)
            guard isCompared else { return node }
            node.duration = durationComparison(corrected: durationP, options)
            node.failureRate = failureComparison(corrected: failureP, options)
            node.mark = mark(node, options)
            return node
        }

        private func durationComparison(corrected: Double?, _ options: ComparisonOptions) -> DurationComparison {
            let b = Descriptive.median(baselineDurations)
            let c = Descriptive.median(candidateDurations)
            let ratio = b.flatMap { b in c.map { MedianRatioBootstrap.ratio($0, b) } }
            // A degenerate test is not in the family: its p-value stays 1.
            let p = corrected ?? mannWhitney.map { _ in 1 }
            var verdict = DurationVerdict.unknown
            if let ratio, let p, p < options.alpha, abs(ratio - 1) >= options.minEffect {
                verdict = ratio > 1 ? .slower : .faster
            } else if let interval, interval.low >= 1 - options.minEffect, interval.high <= 1 + options.minEffect {
                verdict = .same
            }
            return DurationComparison(
                baselineP50: b, candidateP50: c, ratio: ratio, ciLow: interval?.low, ciHigh: interval?.high,
                pValue: p, rawPValue: mannWhitney?.pValue, verdict: verdict)
        }

        private func failureComparison(corrected: Double?, _ options: ComparisonOptions) -> FailureRateComparison {
            let interval = ProportionInterval.newcombeDifference(
                x1: baselineFailures, n1: baseline.count, x2: candidateFailures, n2: candidate.count)
            let raw = fisher?.pValue ?? 1
            let p = corrected ?? 1
            var result = FailureRateComparison(
                baselineFailures: baselineFailures, baselineRuns: baseline.count,
                candidateFailures: candidateFailures, candidateRuns: candidate.count, ciLow: interval.low,
                ciHigh: interval.high, pValue: p, rawPValue: raw, verdict: .unknown)
            if p < options.alpha, abs(result.delta) >= options.minEffect {
                result.verdict = result.delta > 0 ? .worse : .better
            } else if interval.low >= -options.minEffect, interval.high <= options.minEffect {
                result.verdict = .same
            }
            return result
        }

        private func mark(_ node: NodeComparison, _ options: ComparisonOptions) -> ComparisonMark {
            let duration = node.duration?.verdict
            let failure = node.failureRate?.verdict
            if node.isRegression { return .worse }
            if baselineFailures == 0, candidateFailures > 0 { return .newlyFailing }
            if duration == .faster || failure == .better { return .better }
            let ratio = node.duration?.ratio
            let pastRatio = duration == .unknown && ratio.map { abs($0 - 1) >= options.minEffect } == true
            let pastRate = failure == .unknown && abs(node.failureRate?.delta ?? 0) >= options.minEffect
            return pastRatio || pastRate ? .notSignificant : .none
        }

        static func meanRetries(_ samples: [NodeRunSample]) -> Double? {
            samples.isEmpty ? nil : Double(samples.reduce(0) { $0 + $1.retries }) / Double(samples.count)
        }

        /// FNV-1a over the name's UTF-8 bytes: a per-node seed that is the same in every process (Swift's
        /// `Hasher` is randomly seeded per process).
        static func stableHash(_ name: String) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            return hash
        }
    }
}
