#!/usr/bin/env bash
# Paper Fig. 4 A-B: robustness to cell number and to dropout, on one `drim-simulate grn` dataset.
# Simulates GENES genes (TFS of them TFs) x 4,000 cells, then for each condition runs drim-cv
# (FOLDS TF-disjoint folds, DeepDRIM, CNNC and the baselines on the same folds):
#   A: random subsets of CELL_COUNTS cells (drim-simulate subsample);
#   B: BoolODE-style dropout on DROPOUT_CELLS cells, every probability in PROBS x cutoff in CUTOFFS.
# Prints one line per condition and writes fig4.tsv, fig4a-cells.png and fig4b-dropout.png.
# On these counts the networks sit on a plateau (training loss ln 2) for about 10 epochs of Adam at
# lr 3e-4 before they start to learn, hence 15 epochs; 2 neighbours per gene keep that affordable
# on 2 CPU cores (about 7 min per condition on one core).
# Usage: bash scripts/repro-fig4.sh [out_dir]
#   env: GENES (300), TFS (30), CELL_COUNTS ("20 100 500 1000 4000"), DROPOUT_CELLS (1000),
#        PROBS ("0.3 0.5"), CUTOFFS ("0.1 0.5 0.9"), FOLDS (2), EPOCHS (15), NEIGHBORS (2),
#        OPTIMIZER (adam), LR (0.0003), SEED (1), THREADS (0 = all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/fig4}
GENES=${GENES:-300} TFS=${TFS:-30} CELL_COUNTS=${CELL_COUNTS:-20 100 500 1000 4000}
DROPOUT_CELLS=${DROPOUT_CELLS:-1000} PROBS=${PROBS:-0.3 0.5} CUTOFFS=${CUTOFFS:-0.1 0.5 0.9}
FOLDS=${FOLDS:-2} EPOCHS=${EPOCHS:-15} NEIGHBORS=${NEIGHBORS:-2} OPTIMIZER=${OPTIMIZER:-adam} LR=${LR:-0.0003}
SEED=${SEED:-1} THREADS=${THREADS:-0}
B=build
[ -x $B/drim-cv ] || bash scripts/build.sh
mkdir -p "$OUT"
$B/drim-simulate grn --genes "$GENES" --tfs "$TFS" --cells 4000 --seed "$SEED" --out "$OUT/grn" --quiet

# cv NAME EXPR: one drim-cv run (skipped when its report exists, so an interrupted run resumes), a
# summary line on stdout.
cv() {
  local start=$SECONDS
  [ -f "$OUT/$1/report.json" ] || $B/drim-cv --expr "$2" --network "$OUT/grn/network.csv" --tfs "$OUT/grn/tfs.txt" --folds "$FOLDS" --with-cnnc \
    --neighbors "$NEIGHBORS" --epochs "$EPOCHS" --optimizer "$OPTIMIZER" --lr "$LR" --patience 0 --seed "$SEED" \
    --threads "$THREADS" --quiet --out "$OUT/$1" > "$OUT/$1.table" 2> "$OUT/$1.log"
  /usr/bin/python3 -c "
import json, sys; m = json.load(open('$OUT/$1/report.json'))['methods']
print('$1'.ljust(22), ' '.join(f\"{k}={m[k]['auroc']:.3f}\" for k in ('deepdrim', 'cnnc', 'pearson', 'in_degree')),
      '($((SECONDS - start)) s)')"
}

for c in $CELL_COUNTS; do
  $B/drim-simulate subsample --expr "$OUT/grn/expression.h5ad" --n-cells "$c" --seed "$SEED" --out "$OUT/cells-$c.h5ad" --quiet
  cv "cells-$c" "$OUT/cells-$c.h5ad"
done
[ -f "$OUT/cells-$DROPOUT_CELLS.h5ad" ] ||
  $B/drim-simulate subsample --expr "$OUT/grn/expression.h5ad" --n-cells "$DROPOUT_CELLS" --seed "$SEED" \
    --out "$OUT/cells-$DROPOUT_CELLS.h5ad" --quiet
for p in $PROBS; do
  for k in $CUTOFFS; do
    $B/drim-simulate dropout --expr "$OUT/cells-$DROPOUT_CELLS.h5ad" --prob "$p" --cutoff "$k" --seed "$SEED" \
      --out "$OUT/dropout-$p-$k.h5ad" --quiet
    cv "dropout-$p-$k" "$OUT/dropout-$p-$k.h5ad"
  done
done

/usr/bin/python3 - "$OUT" "$CELL_COUNTS" "$PROBS" "$CUTOFFS" "$DROPOUT_CELLS" <<'PY'
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
out, cells, probs, cutoffs, base = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5]
methods = ("deepdrim", "cnnc", "pearson", "in_degree")
label = {"deepdrim": "DeepDRIM", "cnnc": "CNNC (primary image)", "pearson": "|Pearson|", "in_degree": "target in-degree"}
def auroc(name):
    m = json.load(open(f"{out}/{name}/report.json"))["methods"]
    return {k: m[k]["auroc"] for k in methods}
rows = []
with open(f"{out}/fig4.tsv", "w") as f:
    f.write("condition\tcells\tprob\tcutoff\t" + "\t".join(methods) + "\n")
    for c in cells:
        a = auroc(f"cells-{c}"); rows.append(("cells", c, "", "", a))
    for p in probs:
        for k in cutoffs:
            a = auroc(f"dropout-{p}-{k}"); rows.append(("dropout", base, p, k, a))
    for r in rows:
        f.write("\t".join(r[:4]) + "\t" + "\t".join(f"{r[4][m]:.4f}" for m in methods) + "\n")

fig, ax = plt.subplots(figsize=(5.5, 4))
for m in methods:
    ax.plot([int(c) for c in cells], [r[4][m] for r in rows if r[0] == "cells"], marker="o", label=label[m])
ax.set_xscale("log"); ax.set_xlabel("cells"); ax.set_ylabel("pooled AUROC (TF-disjoint folds)")
ax.set_title("Fig. 4A: AUROC vs number of cells"); ax.axhline(0.5, color="grey", lw=0.5); ax.legend(fontsize=8)
fig.tight_layout(); fig.savefig(f"{out}/fig4a-cells.png", dpi=120)

fig, ax = plt.subplots(figsize=(7.5, 4))
for p, style in zip(probs, ("-", "--", ":", "-.")):
    for m, color in zip(("deepdrim", "cnnc", "pearson"), ("C0", "C1", "C2")):
        ys = [r[4][m] for r in rows if r[0] == "dropout" and r[2] == p]
        ax.plot([float(k) for k in cutoffs], ys, style, color=color, marker="o", label=f"{label[m]}, prob {p}")
ax.set_xlabel("dropout cutoff (quantile)"); ax.set_ylabel("pooled AUROC (TF-disjoint folds)")
ax.set_title(f"Fig. 4B: AUROC vs dropout ({base} cells)"); ax.axhline(0.5, color="grey", lw=0.5)
ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
fig.tight_layout(); fig.savefig(f"{out}/fig4b-dropout.png", dpi=120)
print(f"wrote {out}/fig4.tsv, {out}/fig4a-cells.png, {out}/fig4b-dropout.png")
PY
