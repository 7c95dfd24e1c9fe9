#!/usr/bin/env python3
"""How far above the in-degree can any combination of the scores reach, per TF?

Reads a drim-cv output (its scores.tsv) and, for each score column and for all of them together,
fits a linear combination with log1p(in-degree) that ranks each TF's positives above its negatives
(a pairwise logistic loss over the positive-negative pairs of each TF, TFs weighted equally),
fitted on the test pairs themselves. It is an oracle: the weights see the labels they are judged
on, so no model built from the same scores, trained on other TFs, can be expected to do better
in median per-TF AUROC. Issue #14 asks for +0.03 over the in-degree; this says whether the scores
the fold's pairs have leave room for it.

Usage: scripts/prior-ceiling.py CV_OUT_DIR [CV_OUT_DIR ...]
"""
import sys

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import rankdata


def auroc(y, s):
    y = np.asarray(y)
    r = rankdata(s)
    n1 = y.sum()
    n0 = len(y) - n1
    return (r[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def median_tf_auroc(d, s):
    return float(np.median([auroc(g.label, s[g.index]) for _, g in d.groupby("tf") if g.label.nunique() == 2]))


def oracle(d, X, rng):
    """Weights of the pairwise logistic fit within TFs (at most 40,000 pairs per TF, drawn)."""
    diffs = []
    for _, g in d.groupby("tf"):
        if g.label.nunique() < 2:
            continue
        xp, xn = X[g.index[g.label == 1]], X[g.index[g.label == 0]]
        D = (xp[:, None, :] - xn[None, :, :]).reshape(-1, X.shape[1])
        if len(D) > 40000:
            D = D[rng.choice(len(D), 40000, replace=False)]
        diffs.append(D)

    def loss(w):
        total, grad = 0.0, np.zeros_like(w)
        for D in diffs:
            z = D @ w
            total += np.logaddexp(0, -z).mean()
            grad += (D * (-1 / (1 + np.exp(z)))[:, None]).mean(0)
        return total / len(diffs), grad / len(diffs)

    return minimize(loss, np.full(X.shape[1], 0.1), jac=True, method="L-BFGS-B").x


def main(dirs):
    for out in dirs:
        d = pd.read_csv(f"{out}/scores.tsv", sep="\t")
        if "in_degree" not in d:
            print(f"{out}: no in_degree column (split target or both): nothing to compare with")
            continue
        d["in_degree"] = np.log1p(d["in_degree"])
        others = [c for c in d.columns if c not in ("tf", "target", "label", "fold", "in_degree", "stacking")]
        cols = ["in_degree"] + others
        z = (d[cols] - d[cols].mean()) / d[cols].std()
        base = median_tf_auroc(d, d["in_degree"].values)
        print(f"{out}: {d.tf.nunique()} TFs, {len(d)} pairs; in-degree median per-TF AUROC {base:.4f}")
        print(f"  {'with log1p(in-degree)':28s} {'median':>7s} {'gain':>7s}   weights (standardised)")
        rng = np.random.default_rng(0)
        for cols in [[c] for c in others] + [others]:
            X = z[["in_degree"] + cols].values
            w = oracle(d, X, rng)
            m = median_tf_auroc(d, X @ w)
            name = "+ " + (cols[0] if len(cols) == 1 else "all of them")
            print(f"  {name:28s} {m:7.4f} {m - base:+7.4f}   {np.round(w, 3).tolist()}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
