#!/usr/bin/env python3
"""Writes Tests/ReportTests/Fixtures/rliable.json: rliable's own numbers on fixed score matrices.

The fixture the Swift robust statistics are tested against (issue 14). Needs rliable from PyPI
(this script only; nothing at run time imports it):
    python3 -m venv /tmp/rl && /tmp/rl/bin/pip install rliable==1.2.0 "pandas<3"   # arch 7.2 fails to import under pandas 3
    /tmp/rl/bin/python scripts/reference/rliable_fixture.py
For each matrix (runs x tasks) it records rliable's point estimates of the aggregate median, IQM,
mean and optimality gap, their 95 % stratified-bootstrap percentile intervals at `reps`
resamples, and the Monte-Carlo spread of those interval ends (their standard deviation over
`repeats` bootstraps with different random states), so that a test can tell a different
resampler from a wrong one. Also the probability of improvement of one matrix over another
(point and interval) and performance-profile points (run-score distributions).
"""
import json
import os

import numpy as np
from rliable import library as rly
from rliable import metrics

REPS = 2000
REPEATS = 12
TAUS = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5]


def matrices():
    rng = np.random.RandomState(20261201)
    a = np.round(rng.normal(0.8, 0.3, size=(5, 3)), 4)          # 5 seeds x 3 tasks
    b = np.round(rng.gamma(2.0, 0.4, size=(10, 6)), 4)          # 10 seeds x 6 tasks, skewed
    c = np.array([[0.1, 1.0], [0.1, 2.0], [0.5, 2.0], [0.5, 0.0]])  # ties
    return {"a": a, "b": b, "c": c}


def aggregates(x):
    return np.array([metrics.aggregate_median(x), metrics.aggregate_iqm(x),
                     metrics.aggregate_mean(x), metrics.aggregate_optimality_gap(x)])


NAMES = ["median", "iqm", "mean", "optimality_gap"]


def main():
    out = {"rliable": "1.2.0", "reps": REPS, "repeats": REPEATS, "size": 0.95, "taus": TAUS, "matrices": {}}
    ms = matrices()
    for name, m in ms.items():
        points, _ = rly.get_interval_estimates({name: m}, aggregates, reps=REPS, random_state=np.random.RandomState(0))
        ends = []
        for r in range(REPEATS):
            _, cis = rly.get_interval_estimates({name: m}, aggregates, reps=REPS, random_state=np.random.RandomState(100 + r))
            ends.append(cis[name])  # shape (2, 4)
        ends = np.array(ends)
        profile, _ = rly.create_performance_profile({name: m}, TAUS, reps=10)
        out["matrices"][name] = {
            "scores": m.tolist(),
            "point": dict(zip(NAMES, points[name].tolist())),
            "low": dict(zip(NAMES, ends[:, 0, :].mean(axis=0).tolist())),
            "high": dict(zip(NAMES, ends[:, 1, :].mean(axis=0).tolist())),
            "low_mc_sd": dict(zip(NAMES, ends[:, 0, :].std(axis=0, ddof=1).tolist())),
            "high_mc_sd": dict(zip(NAMES, ends[:, 1, :].std(axis=0, ddof=1).tolist())),
            "profile": profile[name].tolist(),
        }
    # Probability of improvement: the first three tasks of b against its last three, as two methods.
    x, y = ms["b"][:, :3], ms["b"][:, 3:]
    poi_points, _ = rly.get_interval_estimates({"x_y": (x, y)}, metrics.probability_of_improvement, reps=REPS,
                                               random_state=np.random.RandomState(0))
    ends = []
    for r in range(REPEATS):
        _, cis = rly.get_interval_estimates({"x_y": (x, y)}, metrics.probability_of_improvement, reps=REPS,
                                            random_state=np.random.RandomState(100 + r))
        ends.append(np.ravel(cis["x_y"]))
    ends = np.array(ends)
    out["poi"] = {"x": x.tolist(), "y": y.tolist(), "point": float(np.ravel(poi_points["x_y"])[0]),
                  "low": float(ends[:, 0].mean()), "high": float(ends[:, 1].mean()),
                  "low_mc_sd": float(ends[:, 0].std(ddof=1)), "high_mc_sd": float(ends[:, 1].std(ddof=1))}
    path = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ReportTests", "Fixtures", "rliable.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
