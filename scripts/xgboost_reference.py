#!/usr/bin/env python3
"""XGBoost's own TreeSHAP, as the reference for Candor's TreeSHAP on an XGBoost model exported to ONNX.

Trains a small XGBoost model (multi:softprob, the objective Tribuo uses, so Candor's XGBoost reader takes it) on a
CSV of numeric feature columns and one class column, and writes for Candor:
  model.json     the booster in XGBoost's JSON format (exact float thresholds and leaf values)
  reference.json the classes, the features, the base score, and for the first --rows rows: the features as float32,
                 XGBoost's pred_contribs (per class: one SHAP value per feature, then the bias) and its probabilities.

Usage: xgboost_reference.py --csv data.csv --label diagnosis --out DIR [--rows 100] [--rounds 20] [--depth 3] [--seed 0]
Needs python3-xgboost (Debian) or `pip install xgboost numpy`. Deterministic: exact tree method, one thread.
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
import xgboost as xgb


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--csv", required=True)
    p.add_argument("--label", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--rows", type=int, default=100)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    with open(a.csv, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if a.label not in header:
            sys.exit(f"xgboost_reference: {a.csv} has no column '{a.label}'; its columns are {header}")
        li = header.index(a.label)
        features = [h for i, h in enumerate(header) if i != li]
        xs, ys = [], []
        for line, row in enumerate(reader, start=2):
            try:
                xs.append([float(v) for i, v in enumerate(row) if i != li])
            except ValueError as e:
                sys.exit(f"xgboost_reference: {a.csv}:{line}: a feature is not a number ({e}); give numeric features")
            ys.append(row[li])
    classes = sorted(set(ys))
    x = np.asarray(xs, dtype=np.float32)
    y = np.asarray([classes.index(v) for v in ys], dtype=np.float32)

    dtrain = xgb.DMatrix(x, label=y, feature_names=features)
    params = {"objective": "multi:softprob", "num_class": len(classes), "max_depth": a.depth, "eta": 0.3,
              "tree_method": "exact", "seed": a.seed, "nthread": 1}
    booster = xgb.train(params, dtrain, num_boost_round=a.rounds)

    os.makedirs(a.out, exist_ok=True)
    booster.save_model(os.path.join(a.out, "model.json"))
    n = min(a.rows, len(xs))
    dx = xgb.DMatrix(x[:n], feature_names=features)
    contribs = booster.predict(dx, pred_contribs=True)          # (n, classes, features + 1)
    probabilities = booster.predict(dx)                        # (n, classes)
    config = json.loads(booster.save_config())
    base_score = float(config["learner"]["learner_model_param"]["base_score"])
    with open(os.path.join(a.out, "reference.json"), "w") as f:
        json.dump({"xgboost": xgb.__version__, "classes": classes, "features": features, "base_score": base_score,
                   "rows": x[:n].astype(float).tolist(), "contribs": contribs.astype(float).tolist(),
                   "probabilities": probabilities.astype(float).tolist()}, f)
    print(f"xgboost_reference: xgboost {xgb.__version__}, {len(xs)} rows, {len(features)} features, "
          f"{len(classes)} classes; wrote model.json and reference.json ({n} rows) to {a.out}")


if __name__ == "__main__":
    main()
