import RealModule

/// The special functions behind the p-values: the normal tail, log-binomial coefficients and the regularized
/// incomplete beta function (Student's t tail).
///
/// `erfc` and `logGamma` come from swift-numerics (libm underneath, thread-safe); the incomplete beta function is
/// evaluated with its continued fraction (Press et al., *Numerical Recipes*, 3rd ed., §6.4, modified Lentz's
/// method), to about 1e-14 relative accuracy. Every function is pure and costs O(1) (the continued fraction
/// converges in at most a few hundred terms).
public enum SpecialFunctions {
    /// P(Z > z) for a standard normal Z, computed as erfc(z/√2)/2 so that far tails keep their relative accuracy.
    public static func normalSurvival(_ z: Double) -> Double {
        0.5 * Double.erfc(z / 2.0.squareRoot())
    }

    /// The 97.5% quantile of the standard normal distribution (the z of a two-sided 95% interval).
    public static let normalQuantile975 = 1.959_963_984_540_054

    /// ln Γ(x) for x > 0.
    public static func logGamma(_ x: Double) -> Double {
        Double.logGamma(x)
    }

    /// ln C(n, k), the log of the binomial coefficient, for 0 ≤ k ≤ n.
    public static func logChoose(_ n: Int, _ k: Int) -> Double {
        logGamma(Double(n) + 1) - logGamma(Double(k) + 1) - logGamma(Double(n - k) + 1)
    }

    /// The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Double.log(x) + b * Double.log(1 - x)
        let front = Double.exp(logFront)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry I_x(a, b) =
        // 1 − I_(1−x)(b, a) on the other side.
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - front * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    /// Two-sided tail of Student's t distribution: P(|T| ≥ |t|) with `degreesOfFreedom` > 0.
    public static func studentTTwoSided(_ t: Double, degreesOfFreedom: Double) -> Double {
        if t.isNaN { return 1 }
        if t.isInfinite { return 0 }
        let x = degreesOfFreedom / (degreesOfFreedom + t * t)
        return min(1, max(0, regularizedIncompleteBeta(x, a: degreesOfFreedom / 2, b: 0.5)))
    }

    /// The continued fraction of I_x(a, b) (modified Lentz), without the front factor.
    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        func guarded(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }
        var c = 1.0
        var d = 1 / guarded(1 - (a + b) * x / (a + 1))
        var result = d
        for m in 1...1000 {
            let m = Double(m)
            // Even step.
            var term = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 / guarded(1 + term * d)
            c = guarded(1 + term / c)
            result *= d * c
            // Odd step.
            term = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 / guarded(1 + term * d)
            c = guarded(1 + term / c)
            let delta = d * c
            result *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return result
    }
}
