#!/usr/bin/python3
"""The label-free baseline of scripts/case-study.sh: rank every TF x gene pair by how much its
|Pearson| correlation (log1p counts) changes between the two simulated conditions, and count
the truly rewired edges among the K most changed, as the script does for DeepDRIM's scores.

  scripts/differential_baseline.py SIM_DIR [--top K]
"""
import argparse, csv
import anndata
import numpy as np


def correlations(path):
    ad = anndata.read_h5ad(path)
    X = ad.X.toarray() if hasattr(ad.X, "toarray") else np.asarray(ad.X)
    return list(ad.var_names), np.corrcoef(np.log1p(X.T.astype(float)))  # AnnData: cells x genes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sim_dir")
    ap.add_argument("--top", type=int, default=100)
    args = ap.parse_args()
    genes, ca = correlations(f"{args.sim_dir}/A/expression.h5ad")
    genes_b, cb = correlations(f"{args.sim_dir}/B/expression.h5ad")
    assert genes == genes_b, "the two conditions must share their genes"
    idx = {g: i for i, g in enumerate(genes)}
    with open(f"{args.sim_dir}/differential.tsv") as f:
        truth = {tuple(r[:2]) for r in list(csv.reader(f, delimiter="\t"))[1:]}
    tfs = [line.strip() for line in open(f"{args.sim_dir}/A/tfs.txt") if line.strip()]
    pairs = [(t, g) for t in tfs for g in genes if g != t]
    hit = np.array([p in truth for p in pairs])
    change = np.array([abs(abs(cb[idx[a], idx[b]]) - abs(ca[idx[a], idx[b]])) for a, b in pairs])
    top = np.argsort(-np.nan_to_num(change, nan=-1.0), kind="stable")[:args.top]
    chance = hit.mean()
    print(f"|Pearson| change (baseline): top {args.top}: {hit[top].sum()} truly rewired "
          f"(precision {hit[top].mean():.3f}) = {hit[top].mean() / chance:.1f}x chance")


if __name__ == "__main__":
    main()
