#!/usr/bin/env bash
# Paper Fig. 4: robustness to cell number, dropout, neighbour images and training-set size, on one
# `drim-simulate grn` dataset. Simulates GENES genes (TFS of them TFs) x 4,000 cells, then for each
# condition runs drim-cv (FOLDS TF-disjoint folds, DeepDRIM, CNNC and the baselines on the same
# folds, the training recipe of --preset PRESET):
#   A: random subsets of CELL_COUNTS cells (drim-simulate subsample);
#   B: BoolODE-style dropout on DROPOUT_CELLS cells, every probability in PROBS x cutoff in CUTOFFS;
#   C: DROPOUT_CELLS cells with each neighbour count of NEIGHBOR_COUNTS (0 = self images only);
#   D: DROPOUT_CELLS cells, training on each share of TRAIN_FRACTIONS of the training TFs.
# Prints one line per condition (and the folds left on the plateau), then a verdict for the
# issue's target: DeepDRIM >= CNNC and >= |Pearson| + 0.03 at 500, 1,000 and 4,000 cells and in
# every dropout condition. Writes fig4.tsv and fig4{a,b,c,d}-*.png.
# 2 neighbours per gene keep panels A-B affordable on 2 CPU cores.
# Usage: bash scripts/repro-fig4.sh [out_dir]
#   env: GENES (300), TFS (30), CELL_COUNTS ("20 100 500 1000 4000"), DROPOUT_CELLS (1000),
#        PROBS ("0.3 0.5"), CUTOFFS ("0.1 0.5 0.9"), NEIGHBOR_COUNTS ("0 1 2 5 10"),
#        TRAIN_FRACTIONS ("0.2 0.4 0.6 0.8 1.0"), PANELS ("a b c d"), FOLDS (2), EPOCHS (10),
#        NEIGHBORS (2), PRESET (drim), EXTRA (more drim-cv options), SEED (1), THREADS (0 = all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/fig4}
GENES=${GENES:-300} TFS=${TFS:-30} CELL_COUNTS=${CELL_COUNTS:-20 100 500 1000 4000}
DROPOUT_CELLS=${DROPOUT_CELLS:-1000} PROBS=${PROBS:-0.3 0.5} CUTOFFS=${CUTOFFS:-0.1 0.5 0.9}
NEIGHBOR_COUNTS=${NEIGHBOR_COUNTS:-0 1 2 5 10} TRAIN_FRACTIONS=${TRAIN_FRACTIONS:-0.2 0.4 0.6 0.8 1.0}
PANELS=${PANELS:-a b c d} FOLDS=${FOLDS:-2} EPOCHS=${EPOCHS:-10} NEIGHBORS=${NEIGHBORS:-2} PRESET=${PRESET:-drim}
EXTRA=${EXTRA:-} SEED=${SEED:-1} THREADS=${THREADS:-0}
B=build
[ -x $B/drim-cv ] || bash scripts/build.sh
mkdir -p "$OUT"
$B/drim-simulate grn --genes "$GENES" --tfs "$TFS" --cells 4000 --seed "$SEED" --out "$OUT/grn" --quiet

# cv NAME EXPR [drim-cv options]: one drim-cv run (skipped when its report exists, so an interrupted
# run resumes), a summary line on stdout.
cv() {
  local start=$SECONDS name=$1 expr=$2
  shift 2
  [ -f "$OUT/$name/report.json" ] || $B/drim-cv --expr "$expr" --network "$OUT/grn/network.csv" --tfs "$OUT/grn/tfs.txt" --folds "$FOLDS" \
    --with-cnnc --preset "$PRESET" --epochs "$EPOCHS" --patience 0 --seed "$SEED" --threads "$THREADS" --quiet $EXTRA "$@" \
    --out "$OUT/$name" > "$OUT/$name.table" 2> "$OUT/$name.log"
  /usr/bin/python3 -c "
import json, sys; r = json.load(open('$OUT/$name/report.json')); m = r['methods']
flat = sum(f['on_plateau'].get('deepdrim', False) for f in r['folds'])
print('$name'.ljust(22), ' '.join(f\"{k}={m[k]['auroc']:.3f}\" for k in ('deepdrim', 'cnnc', 'pearson', 'in_degree')),
      f'plateau_folds={flat}', '($((SECONDS - start)) s)')"
}
has() { [[ " $PANELS " == *" $1 "* ]]; }

for c in $CELL_COUNTS; do
  has a || [ "$c" = "$DROPOUT_CELLS" ] || continue
  [ -f "$OUT/cells-$c.h5ad" ] || $B/drim-simulate subsample --expr "$OUT/grn/expression.h5ad" --n-cells "$c" --seed "$SEED" --out "$OUT/cells-$c.h5ad" --quiet
  has a && cv "cells-$c" "$OUT/cells-$c.h5ad" --neighbors "$NEIGHBORS"
done
[ -f "$OUT/cells-$DROPOUT_CELLS.h5ad" ] ||
  $B/drim-simulate subsample --expr "$OUT/grn/expression.h5ad" --n-cells "$DROPOUT_CELLS" --seed "$SEED" \
    --out "$OUT/cells-$DROPOUT_CELLS.h5ad" --quiet
if has b; then
  for p in $PROBS; do
    for k in $CUTOFFS; do
      [ -f "$OUT/dropout-$p-$k.h5ad" ] || $B/drim-simulate dropout --expr "$OUT/cells-$DROPOUT_CELLS.h5ad" --prob "$p" --cutoff "$k" \
        --seed "$SEED" --out "$OUT/dropout-$p-$k.h5ad" --quiet
      cv "dropout-$p-$k" "$OUT/dropout-$p-$k.h5ad" --neighbors "$NEIGHBORS"
    done
  done
fi
if has c; then
  for n in $NEIGHBOR_COUNTS; do cv "neighbors-$n" "$OUT/cells-$DROPOUT_CELLS.h5ad" --neighbors "$n"; done
fi
if has d; then
  for t in $TRAIN_FRACTIONS; do cv "train-$t" "$OUT/cells-$DROPOUT_CELLS.h5ad" --neighbors "$NEIGHBORS" --train-fraction "$t"; done
fi

/usr/bin/python3 - "$OUT" "$CELL_COUNTS" "$PROBS" "$CUTOFFS" "$DROPOUT_CELLS" "$PANELS" "$NEIGHBOR_COUNTS" "$TRAIN_FRACTIONS" <<'PY'
import json, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
out, cells, probs, cutoffs, base = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5]
panels, ncounts, fracs = sys.argv[6].split(), sys.argv[7].split(), sys.argv[8].split()
methods = ("deepdrim", "cnnc", "pearson", "in_degree")
label = {"deepdrim": "DeepDRIM", "cnnc": "CNNC (primary image)", "pearson": "|Pearson|", "in_degree": "target in-degree"}
def auroc(name):
    m = json.load(open(f"{out}/{name}/report.json"))["methods"]
    return {k: m[k]["auroc"] for k in methods}
rows = []  # (panel, cells, prob, cutoff, neighbours, train share, aurocs)
if "a" in panels:
    rows += [("cells", c, "", "", "", "1.0", auroc(f"cells-{c}")) for c in cells]
if "b" in panels:
    rows += [("dropout", base, p, k, "", "1.0", auroc(f"dropout-{p}-{k}")) for p in probs for k in cutoffs]
if "c" in panels:
    rows += [("neighbors", base, "", "", n, "1.0", auroc(f"neighbors-{n}")) for n in ncounts]
if "d" in panels:
    rows += [("train_share", base, "", "", "", t, auroc(f"train-{t}")) for t in fracs]
with open(f"{out}/fig4.tsv", "w") as f:
    f.write("condition\tcells\tprob\tcutoff\tneighbors\ttrain_share\t" + "\t".join(methods) + "\n")
    for r in rows:
        f.write("\t".join(r[:6]) + "\t" + "\t".join(f"{r[6][m]:.4f}" for m in methods) + "\n")

def line_plot(panel, xkey, xlabel, title, fname, logx=False):
    sel = [r for r in rows if r[0] == panel]
    if not sel:
        return
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for m in methods:
        ax.plot([float(r[xkey]) for r in sel], [r[6][m] for r in sel], marker="o", label=label[m])
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel); ax.set_ylabel("pooled AUROC (TF-disjoint folds)")
    ax.set_title(title); ax.axhline(0.5, color="grey", lw=0.5); ax.legend(fontsize=8)
    fig.tight_layout(); fig.savefig(f"{out}/{fname}", dpi=120); plt.close(fig)

line_plot("cells", 1, "cells", "Fig. 4A: AUROC vs number of cells", "fig4a-cells.png", logx=True)
line_plot("neighbors", 4, "neighbour images per gene (n)", f"Fig. 4C: AUROC vs neighbours ({base} cells)", "fig4c-neighbors.png")
line_plot("train_share", 5, "share of training TFs used", f"Fig. 4D: AUROC vs training set ({base} cells)", "fig4d-train-share.png")
sel = [r for r in rows if r[0] == "dropout"]
if sel:
    fig, ax = plt.subplots(figsize=(7.5, 4))
    for p, style in zip(probs, ("-", "--", ":", "-.")):
        for m, color in zip(("deepdrim", "cnnc", "pearson"), ("C0", "C1", "C2")):
            ys = [r[6][m] for r in sel if r[2] == p]
            ax.plot([float(k) for k in cutoffs], ys, style, color=color, marker="o", label=f"{label[m]}, prob {p}")
    ax.set_xlabel("dropout cutoff (quantile)"); ax.set_ylabel("pooled AUROC (TF-disjoint folds)")
    ax.set_title(f"Fig. 4B: AUROC vs dropout ({base} cells)"); ax.axhline(0.5, color="grey", lw=0.5)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
    fig.tight_layout(); fig.savefig(f"{out}/fig4b-dropout.png", dpi=120)

# The target: DeepDRIM >= CNNC and >= |Pearson| + 0.03 at 500, 1,000, 4,000 cells and every dropout condition.
checked = [r for r in rows if (r[0] == "cells" and r[1] in ("500", "1000", "4000")) or r[0] == "dropout"]
ok = [r for r in checked if r[6]["deepdrim"] >= r[6]["cnnc"] and r[6]["deepdrim"] >= r[6]["pearson"] + 0.03]
flat = 0
for r in rows:
    name = {"cells": f"cells-{r[1]}", "dropout": f"dropout-{r[2]}-{r[3]}", "neighbors": f"neighbors-{r[4]}", "train_share": f"train-{r[5]}"}[r[0]]
    flat += sum(f["on_plateau"].get("deepdrim", False) for f in json.load(open(f"{out}/{name}/report.json"))["folds"])
print(f"target (DeepDRIM >= CNNC and >= |Pearson| + 0.03): met in {len(ok)} of {len(checked)} conditions; "
      f"DeepDRIM folds left on the plateau: {flat}")
print(f"wrote {out}/fig4.tsv and the panels' plots")
PY
