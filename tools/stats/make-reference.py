#!/usr/bin/env python3
"""Reference values for TraceLogAnalysis's statistics, computed with scipy.

Writes Tests/TraceLogAnalysisTests/Fixtures/statistics-reference.json; the Swift tests compare against it and
need no Python. Run from the repository root:  python3 tools/stats/make-reference.py
(generated with scipy 1.17.1 and numpy 2.4.6; the versions are recorded in the file).

Holm's correction and Newcombe's interval are not in scipy: they are written out below from their published
definitions (Holm 1979; Newcombe 1998, method 10, on scipy's Wilson intervals), independently of the Swift code.
"""
import json
import math
import pathlib

import numpy as np
import scipy
from scipy import special, stats

rng = np.random.default_rng(20261122)


def floats(values):
    return [float(v) for v in values]


def mann_whitney_cases():
    cases = []

    def add(name, x, y, method):
        result = stats.mannwhitneyu(x, y, alternative="two-sided", method=method)
        cases.append({"name": name, "x": floats(x), "y": floats(y), "method": method,
                      "u1": float(result.statistic), "p": float(result.pvalue)})

    # Exact, small, no ties (scipy's auto picks exact).
    add("exact 3 vs 3, separated", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0], "auto")
    add("exact 4 vs 5", [1.1, 3.4, 2.2, 7.9], [4.5, 5.1, 0.3, 8.8, 9.1], "auto")
    add("exact 8 vs 8", floats(rng.normal(100, 10, 8)), floats(rng.normal(110, 10, 8)), "auto")
    add("exact 5 vs 40", floats(rng.normal(100, 10, 5)), floats(rng.normal(100, 10, 40)), "auto")
    add("exact 8 vs 200", floats(rng.normal(100, 10, 8)), floats(rng.normal(104, 10, 200)), "auto")
    add("exact 1 vs 7", [5.5], floats(rng.normal(5, 1, 7)), "auto")
    add("forced exact 12 vs 15", floats(rng.normal(50, 5, 12)), floats(rng.normal(55, 5, 15)), "exact")
    # Asymptotic: large samples, and any ties.
    add("asymptotic 30 vs 30, no ties", floats(rng.normal(100, 10, 30)), floats(rng.normal(108, 10, 30)), "auto")
    add("asymptotic with ties, small", [1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 4.0, 4.0, 5.0], "auto")
    add("asymptotic integer durations with ties",
        floats(rng.integers(10, 20, 40)), floats(rng.integers(12, 22, 45)), "auto")
    add("asymptotic heavy ties", floats(rng.integers(0, 3, 60)), floats(rng.integers(0, 4, 50)), "auto")
    add("asymptotic far apart", floats(rng.normal(100, 5, 50)), floats(rng.normal(150, 5, 50)), "auto")
    add("forced asymptotic small no ties", [1.5, 2.5, 9.0], [3.5, 4.5, 5.5, 6.5], "asymptotic")
    add("asymptotic 2000 vs 2000 lognormal",
        floats(np.round(rng.lognormal(4, 0.3, 2000), 3)), floats(np.round(rng.lognormal(4.02, 0.3, 2000), 3)), "auto")
    return cases


def fisher_cases():
    tables = [
        [[3, 1], [1, 3]], [[0, 40], [10, 30]], [[1, 39], [0, 40]], [[5, 35], [5, 35]], [[12, 28], [2, 38]],
        [[0, 3], [3, 0]], [[7, 2], [1, 9]], [[2, 7], [8, 2]], [[150, 1850], [100, 1900]],
        [[400, 9600], [330, 9670]], [[1, 0], [0, 1]], [[20, 20], [0, 40]], [[6, 0], [0, 5]],
    ]
    return [{"table": t, "p": float(stats.fisher_exact(t, alternative="two-sided").pvalue)} for t in tables]


def holm(pvalues):
    """Holm's step-down adjustment, written from the definition."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: (pvalues[i], i))
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


def holm_cases():
    families = [[0.01, 0.04, 0.03, 0.005], [0.2, 0.001, 0.5], [0.0001], [0.04, 0.04, 0.04], [0.3, 0.6, 0.9, 0.012]]
    return [{"p": f, "adjusted": holm(f)} for f in families]


def ttest_cases():
    cases = []
    for x, y in [
        ([1.0, 2.0, 3.0, 4.0], [3.0, 4.0, 5.0, 6.0, 7.0]),
        (floats(rng.normal(100, 10, 25)), floats(rng.normal(104, 12, 25))),
        (floats(rng.normal(100, 3, 50)), floats(rng.normal(150, 3, 10))),
        ([5.0], [6.0, 7.0, 8.0]),
        (floats(rng.normal(0, 1, 3)), floats(rng.normal(0.5, 1, 4))),
    ]:
        result = stats.ttest_ind(x, y, equal_var=True)
        cases.append({"x": x, "y": y, "t": float(result.statistic), "p": float(result.pvalue)})
    return cases


def wilson(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def newcombe(x1, n1, x2, n2):
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    d = p2 - p1
    return d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def proportion_cases():
    wilson_cases = [{"k": k, "n": n, "interval": list(wilson(k, n))}
                    for k, n in [(0, 40), (1, 40), (20, 40), (40, 40), (3, 7), (150, 2000), (0, 1)]]
    newcombe_cases = [{"x1": a, "n1": b, "x2": c, "n2": d, "interval": list(newcombe(a, b, c, d))}
                      for a, b, c, d in [(0, 40, 10, 40), (5, 40, 5, 40), (0, 200, 0, 200), (56, 70, 48, 80),
                                         (9, 10, 3, 10), (100, 2000, 150, 2000)]]
    return wilson_cases, newcombe_cases


def special_cases():
    normal = [{"z": z, "sf": float(stats.norm.sf(z))} for z in [-3.0, -1.0, 0.0, 0.5, 1.959963984540054, 4.0, 8.5, 30.0]]
    beta = [{"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
            for x, a, b in [(0.3, 2.0, 3.0), (0.9, 0.5, 0.5), (0.01, 10.0, 0.5), (0.75, 24.0, 0.5), (0.5, 200.0, 180.0),
                            (0.999, 1.5, 40.0)]]
    t = [{"t": t, "df": df, "p": float(2 * stats.t.sf(abs(t), df))}
         for t, df in [(0.5, 3), (2.1, 10), (-3.7, 48), (12.0, 5), (1.0, 1000)]]
    return normal, beta, t


def main():
    wilson_cases, newcombe_cases = proportion_cases()
    normal, beta, t = special_cases()
    document = {
        "generator": "tools/stats/make-reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "mann_whitney": mann_whitney_cases(),
        "fisher": fisher_cases(),
        "holm": holm_cases(),
        "t_test": ttest_cases(),
        "wilson": wilson_cases,
        "newcombe": newcombe_cases,
        "normal_sf": normal,
        "incomplete_beta": beta,
        "student_t_two_sided": t,
    }
    out = pathlib.Path(__file__).resolve().parents[2] / "Tests/TraceLogAnalysisTests/Fixtures/statistics-reference.json"
    # One case per line: small diffs when a case is added or scipy changes a value.
    lines = []
    for key, value in document.items():
        if isinstance(value, list):
            body = ",\n".join("  " + json.dumps(case) for case in value)
            lines.append(f" {json.dumps(key)}: [\n{body}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}")
    out.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
