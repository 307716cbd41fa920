import Foundation
import Testing

@testable import TraceLogAnalysis

@Suite("Change points: E-Divisive means with a t-test")
struct ChangePointDetectorTests {
    /// Normal noise from a seeded generator.
    static func noise(_ count: Int, mean: Double, sd: Double, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in mean + sd * generator.nextNormal() }
    }

    @Test("a step is found at its first run after the change")
    func step() {
        let series = Self.noise(60, mean: 100, sd: 5, seed: 1) + Self.noise(60, mean: 150, sd: 5, seed: 2)
        let points = ChangePointDetector.detect(series)
        #expect(points.map(\.index) == [60])
        let point = points[0]
        #expect(point.pValue < 1e-6)
        #expect(abs(point.ratio - 1.5) < 0.05)
    }

    @Test("a slowdown and its fix are two change points")
    func upAndDown() {
        let series =
            Self.noise(80, mean: 200, sd: 10, seed: 3) + Self.noise(40, mean: 260, sd: 10, seed: 4)
            + Self.noise(80, mean: 200, sd: 10, seed: 5)
        #expect(ChangePointDetector.detect(series).map(\.index) == [80, 120])
    }

    @Test("a flat, noisy series has no change point (200 seeds of 300 runs, normal and log-normal noise)")
    func flatNoise() {
        var normal = 0
        var logNormal = 0
        for seed in 0..<200 as Range<UInt64> {
            if !ChangePointDetector.detect(Self.noise(300, mean: 100, sd: 15, seed: 1000 + seed)).isEmpty {
                normal += 1
            }
            let series = Self.noise(300, mean: 0, sd: 0.3, seed: 5000 + seed).map { 100 * exp($0) }
            if !ChangePointDetector.detect(series).isEmpty { logNormal += 1 }
        }
        // Measured: none of the normal series; one log-normal series (30% noise) of 200 (README).
        #expect(normal == 0, "\(normal) of 200 flat normal series got a change point")
        #expect(logNormal <= 1, "\(logNormal) of 200 flat log-normal series got a change point")
    }

    @Test("a slowdown in the last 8 runs is found at its first run")
    func lateChange() {
        let series = Self.noise(40, mean: 100, sd: 5, seed: 21) + Self.noise(8, mean: 150, sd: 5, seed: 22)
        #expect(ChangePointDetector.detect(series).map(\.index) == [40])
    }

    @Test("retry spikes in a flat series are not change points")
    func spikes() {
        var series = Self.noise(200, mean: 100, sd: 5, seed: 9)
        for index in stride(from: 7, to: 200, by: 23) { series[index] *= 3 }  // a retry doubles or triples a run
        #expect(ChangePointDetector.detect(series).isEmpty)
    }

    @Test("deterministic, and too short a series has none")
    func determinism() {
        let series = Self.noise(50, mean: 10, sd: 1, seed: 5) + Self.noise(50, mean: 14, sd: 1, seed: 6)
        #expect(ChangePointDetector.detect(series) == ChangePointDetector.detect(series))
        #expect(ChangePointDetector.detect([1, 2]).isEmpty)
        #expect(ChangePointDetector.detect([]).isEmpty)
    }

    @Test("the energy split search finds the obvious split")
    func energySplit() {
        let values: [Double] = [1, 1.1, 0.9, 1, 5, 5.1, 4.9, 5]
        #expect(EnergyDivergence.bestSplit(values, in: 0..<8)?.index == 4)
        #expect(EnergyDivergence.bestSplit(values, in: 0..<1) == nil)
    }
}
