#!/usr/bin/env python3
"""Per-gene Pearson between a reference matrix and imputed ones (bench-impute.sh).

Usage: impute_eval.py [--target NAME] REFERENCE.h5ad NAME=FILE.h5ad[:LAYER] ...
Both sides are library-size normalised (to the median total) and log1p'd; the correlation
is over cells, per gene; genes constant on either side are left out. Prints one line per
method: median, mean and the share of genes improved over the first method given. With --target
NAME, also issue #19's verdict: NAME's median >= the first method's + 0.05 and >= the medians of
`knn` and `magic` when they are given.
"""
import sys

import anndata
import numpy as np


def load(spec):
    path, _, layer = spec.partition(":")
    a = anndata.read_h5ad(path)
    X = a.layers[layer] if layer else a.X
    X = np.asarray(X.todense() if hasattr(X, "todense") else X, dtype=float)
    return a.obs_names, a.var_names, X


def normlog(X):
    tot = X.sum(1, keepdims=True)
    med = np.median(tot)
    return np.log1p(np.where(tot > 0, X * med / np.maximum(tot, 1e-300), 0.0))


def per_gene(A, B):
    A = A - A.mean(0)
    B = B - B.mean(0)
    den = np.sqrt((A * A).sum(0) * (B * B).sum(0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (A * B).sum(0) / den, np.nan)


def main():
    args = sys.argv[1:]
    target = None
    if args[:1] == ["--target"]:
        target, args = args[1], args[2:]
    cells, genes, R = load(args[0])
    R = normlog(R)
    first = None
    medians = {}
    for arg in args[1:]:
        name, _, spec = arg.partition("=")
        c, g, X = load(spec)
        if list(c) != list(cells) or list(g) != list(genes):
            sys.exit(f"{spec}: cells or genes differ from the reference")
        r = per_gene(R, normlog(X))
        if first is None:
            first = r
        ok = ~np.isnan(r) & ~np.isnan(first)
        medians[name] = np.nanmedian(r)
        print(f"{name:<24} median {medians[name]:.3f}  mean {np.nanmean(r):.3f}  "
              f"genes better than {args[1].partition('=')[0]}: {np.mean(r[ok] > first[ok]) * 100:5.1f}%")
    if target:
        base = args[1].partition("=")[0]
        gain = medians[target] - medians[base]
        others = {k: medians[target] - medians[k] for k in ("knn", "magic") if k in medians}
        met = gain >= 0.05 and all(v >= 0 for v in others.values())
        print(f"target: {target} - {base} {gain:+.4f} (>= +0.05)" +
              "".join(f", {target} - {k} {v:+.4f} (>= 0)" for k, v in others.items()) + f": {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
