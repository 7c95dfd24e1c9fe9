#!/usr/bin/env python3
"""Does imputation create transitive correlations? (issue #19's "both sides" question)

On bench-impute's simulation (known network), scores every direct edge TF -> target, every
transitive pair (TF -> X -> target with no edge TF -> target; the pairs DeepDRIM is meant to reject)
and as many random non-edges from the TFs, by |Pearson r| of log1p values, in the true counts, the
downsampled observations and each imputed matrix. Prints per matrix: AUROC of direct edges against
transitive pairs and against random non-edges, and the median |r| of each group. Where drim-cv runs
of bench-impute exist (cv-<variant>/scores.tsv), also the AUROC of DeepDRIM, CNNC and |Pearson| on
the transitive negatives among their held-out pairs.

Usage: /usr/bin/python3 scripts/impute_transitive.py [bench-impute out dir (default out/bench-impute)]
"""
import csv
import os
import sys

import anndata
import numpy as np


def auroc(pos, neg):
    """Mann-Whitney AUROC with ties counted half."""
    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    sv = allv[order]
    i = 0
    while i < len(sv):
        j = i
        while j + 1 < len(sv) and sv[j + 1] == sv[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return (ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def load(path, layer=None):
    a = anndata.read_h5ad(path)
    x = a.layers[layer] if layer else a.X
    x = x.toarray() if hasattr(x, "toarray") else np.asarray(x)
    return list(a.var_names), np.log1p(np.asarray(x, float))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out/bench-impute"
    edges = set()
    with open(os.path.join(out, "sim", "network.csv")) as f:
        for row in csv.DictReader(f):
            edges.add((row["Gene1"], row["Gene2"]))
    tfs = sorted({a for a, _ in edges})
    succ = {}
    for a, b in edges:
        succ.setdefault(a, set()).add(b)
    transitive = sorted({(a, c) for a in tfs for b in succ.get(a, ()) for c in succ.get(b, ()) if c != a and (a, c) not in edges})
    genes, _ = load(os.path.join(out, "sim", "expression.h5ad"))
    rng = np.random.default_rng(1)
    trans_set = set(transitive)
    random_neg = set()
    while len(random_neg) < len(transitive):
        a, c = tfs[rng.integers(len(tfs))], genes[rng.integers(len(genes))]
        if a != c and (a, c) not in edges and (a, c) not in trans_set:
            random_neg.add((a, c))
    random_neg = sorted(random_neg)
    print(f"{len(edges)} direct edges, {len(transitive)} transitive pairs (TF -> X -> target, no direct edge), "
          f"{len(random_neg)} random non-edges; |Pearson r| of log1p values")
    print(f"{'matrix':28s} {'AUROC direct vs transitive':>27s} {'vs random':>10s}   median |r|: direct  transitive  random")
    effs = sorted({f[len("sim-obs-"):-len(".h5ad")] for f in os.listdir(out) if f.startswith("sim-obs-") and f.endswith(".h5ad")}, key=float)
    mats = [("truth (full counts)", os.path.join(out, "sim", "expression.h5ad"), None)]
    for e in effs:
        mats.append((f"observed {e}", os.path.join(out, f"sim-obs-{e}.h5ad"), None))
        for v in ("knn", "magic", "tcer"):
            p = os.path.join(out, f"sim-{e}-{v}.h5ad")
            if os.path.exists(p):
                mats.append((f"{v} {e}", p, "imputed"))
    for name, path, layer in mats:
        g, x = load(path, layer)
        gi = {n: i for i, n in enumerate(g)}
        z = x - x.mean(0)
        sd = np.sqrt((z * z).sum(0))
        sd[sd == 0] = np.inf
        z = z / sd

        def r(pairs):
            return np.array([abs(float(z[:, gi[a]] @ z[:, gi[b]])) for a, b in pairs])
        d, t, n = r(sorted(edges)), r(transitive), r(random_neg)
        print(f"{name:28s} {auroc(d, t):27.3f} {auroc(d, n):10.3f}   {np.median(d):17.3f} {np.median(t):11.3f} {np.median(n):7.3f}")

    cvs = [v for v in ("reference", "observed", "knn", "magic", "tcer") if os.path.exists(os.path.join(out, f"cv-{v}", "scores.tsv"))]
    if cvs:
        print("\ndrim-cv held-out pairs (TF-disjoint folds): AUROC of direct edges against the transitive pairs among the negatives")
        for v in cvs:
            rows = list(csv.DictReader(open(os.path.join(out, f"cv-{v}", "scores.tsv")), delimiter="\t"))
            pos = [x for x in rows if x["label"] == "1"]
            neg = [x for x in rows if x["label"] == "0" and (x["tf"], x["target"]) in trans_set]
            if not neg:
                continue
            cells = "  ".join(f"{m}={auroc([float(x[m]) for x in pos], [float(x[m]) for x in neg]):.3f}"
                              for m in ("deepdrim", "cnnc", "pearson") if m in rows[0])
            print(f"  {v:10s} {len(pos)} positives, {len(neg)} transitive negatives: {cells}")


if __name__ == "__main__":
    main()
