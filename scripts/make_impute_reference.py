#!/usr/bin/env python3
"""Reference matrices for bench-impute.sh.

  make_impute_reference.py beeline EXPR.csv.gz OUT.h5ad   # BEELINE log2(x + 1) values -> counts
  make_impute_reference.py random-layout LAYOUT.tsv OUT.tsv SEED   # the same genes, shuffled pixels

BEELINE's ExpressionData holds log2(x + 1) of normalised expression; the reference counts are
round(10 * (2^v - 1)), deep enough that the downsampling efficiencies leave real counts.
"""
import sys

import numpy as np


def beeline(src, out):
    import anndata
    import pandas as pd
    df = pd.read_csv(src, index_col=0)
    counts = np.round(10.0 * (np.power(2.0, df.values.T) - 1.0))
    x = np.maximum(counts, 0.0)
    a = anndata.AnnData(X=x, dtype=x.dtype)
    a.obs_names = [str(c) for c in df.columns]
    a.var_names = [str(g) for g in df.index]
    a.write_h5ad(out)
    tot = counts.sum(1)
    print(f"{out}: {a.n_obs} cells x {a.n_vars} genes, median cell total {np.median(tot):.0f}, zeros {np.mean(counts == 0) * 100:.1f}%")


def random_layout(src, out, seed):
    lines = open(src).read().splitlines()
    head, rows = lines[0], [l.split("\t") for l in lines[1:] if l]
    r, c = int(head.split()[4]), int(head.split()[6])
    pixels = np.random.default_rng(int(seed)).permutation(r * c)[: len(rows)]
    with open(out, "w") as f:
        f.write(head + "\n")
        for (gene, _, _), p in zip(rows, pixels):
            f.write(f"{gene}\t{p // c}\t{p % c}\n")


if __name__ == "__main__":
    if sys.argv[1] == "beeline":
        beeline(sys.argv[2], sys.argv[3])
    else:
        random_layout(sys.argv[2], sys.argv[3], sys.argv[4])
