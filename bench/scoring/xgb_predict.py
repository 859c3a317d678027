"""XGBoost batch-prediction reference for bench/scoring (run by bench-scoring.js with /usr/bin/python3).

Reads the feature matrix Haven built from the sample (float64, column-major, n x d) and its target, trains XGBoost
with the shape of Haven's default model (300 rounds, depth 4, eta 0.1, hist), tiles the matrix to --rows rows, and
times Booster.predict on a prebuilt DMatrix (a fresh one per run, construction not timed; best of --repeat) with 1 and with 2 threads (the machine's cores).
Prints one JSON line.
"""

import argparse
import json
import time

import numpy as np
import xgboost as xgb


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--matrix", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--rows-in", type=int, required=True)
    p.add_argument("--cols", type=int, required=True)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    x = np.fromfile(a.matrix, dtype=np.float64).reshape(a.cols, a.rows_in).T.copy()
    y = np.fromfile(a.target, dtype=np.float64)
    params = {"max_depth": 4, "eta": 0.1, "tree_method": "hist", "objective": "reg:squarederror", "nthread": 1, "seed": 7}
    booster = xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=300)
    big = np.tile(x, (a.rows // a.rows_in + 1, 1))[: a.rows]
    out = {"rows": a.rows, "trees": 300, "depth": 4, "version": xgb.__version__}
    for threads in (1, 2):
        booster.set_param({"nthread": threads})
        booster.predict(xgb.DMatrix(big[: a.rows_in], nthread=threads))
        best = float("inf")
        for _ in range(a.repeat):
            # A fresh DMatrix per run: predicting the same DMatrix twice may be answered from XGBoost's prediction cache.
            dm = xgb.DMatrix(big, nthread=threads)
            t = time.perf_counter()
            booster.predict(dm)
            best = min(best, time.perf_counter() - t)
        out[f"rows_per_s_{threads}_threads"] = a.rows / best
    print(json.dumps(out))


if __name__ == "__main__":
    main()
