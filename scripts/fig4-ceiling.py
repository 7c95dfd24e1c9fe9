#!/usr/bin/env python3
"""How far above |Pearson| can a pair classifier get on repro-fig4's simulations?

Usage: fig4-ceiling.py FIG4_OUT_DIR
For each condition repro-fig4.sh ran (a folder with scores.tsv beside its .h5ad), on the same
pairs and TF-disjoint folds as drim-cv: the pooled AUROC of DeepDRIM, CNNC and |Pearson| (from
scores.tsv), of a logistic regression on the pair statistics drim-cv reports (|Pearson|,
|Spearman|, MI, signed Pearson and Spearman, the target's detection rate) trained on the other
folds, and of |beta| from regressing the target on every TF (log1p, standardised: a
conditional-dependence score that uses no labels). None of these is tuned on the test fold.
"""
import glob
import os
import sys

import anndata
import numpy as np
import pandas as pd
from scipy.stats import rankdata


def auroc(y, s):
    r = rankdata(s)
    p = y.sum()
    n = len(y) - p
    return (r[y == 1].sum() - p * (p + 1) / 2) / (p * n)


def logistic_cv(features, y, folds):
    out = np.zeros(len(y))
    F = (features - features.mean(0)) / features.std(0)
    for f in np.unique(folds):
        tr, te = folds != f, folds == f
        X = np.c_[np.ones(tr.sum()), F[tr]]
        w = np.zeros(X.shape[1])
        for _ in range(100):
            p = 1 / (1 + np.exp(-X @ w))
            g = X.T @ (p - y[tr]) / len(p) + 1e-3 * w
            H = (X.T * (p * (1 - p))) @ X / len(p) + 1e-3 * np.eye(len(w))
            w -= np.linalg.solve(H, g)
        out[te] = np.c_[np.ones(te.sum()), F[te]] @ w
    return out


def regression_on_tfs(expr_path, sc, tfs):
    a = anndata.read_h5ad(expr_path)
    X = np.asarray(a.X.todense() if hasattr(a.X, "todense") else a.X, dtype=float)
    L = np.log1p(X)
    L = (L - L.mean(0)) / (L.std(0) + 1e-12)
    gi = {g: i for i, g in enumerate(a.var_names)}
    out = []
    for tf, tg in zip(sc.tf, sc.target):
        cols = [gi[t] for t in tfs if t != tg]
        beta = np.linalg.lstsq(L[:, cols], L[:, gi[tg]], rcond=None)[0]
        out.append(abs(beta[cols.index(gi[tf])]))
    return np.array(out)


def main():
    root = sys.argv[1]
    tfs = [l.strip() for l in open(os.path.join(root, "grn", "tfs.txt")) if l.strip()]
    print(f"{'condition':<22} {'DeepDRIM':>8} {'CNNC':>6} {'|r|':>6} {'logit':>6} {'beta':>6}  (pooled AUROC)")
    for scores in sorted(glob.glob(os.path.join(root, "*", "scores.tsv"))):
        name = os.path.basename(os.path.dirname(scores))
        expr = os.path.join(root, name + ".h5ad")
        if not os.path.exists(expr):
            continue
        sc = pd.read_csv(scores, sep="\t")
        y = sc.label.values.astype(int)
        F = np.c_[sc.pearson.abs(), sc.spearman.abs(), sc.mi, sc.pearson, sc.spearman, sc.target_detection]
        logit = logistic_cv(F, y.astype(float), sc.fold.values)
        beta = regression_on_tfs(expr, sc, tfs)
        print(f"{name:<22} {auroc(y, sc.deepdrim):8.3f} {auroc(y, sc.cnnc):6.3f} {auroc(y, sc.pearson.abs()):6.3f} "
              f"{auroc(y, logit):6.3f} {auroc(y, beta):6.3f}")


if __name__ == "__main__":
    main()
