#!/usr/bin/env bash
# Issue #20's accuracy target: on drim-simulate spatial (cells on a tissue with spatial domains,
# master TFs following the domains), drim-cv trains deepdrim, image-only and fusion on the same
# TF-disjoint folds, the gene images binned from the same spatial .h5ad (--spatial). Target:
# fusion >= max(deepdrim, image-only) + 0.03 pooled AUROC, and image-only well above chance.
# Usage: bash scripts/bench-fusion.sh [out dir (default out/fusion)]
#   env: BUILD (default build), DEVICE (auto, cpu, cuda), SEEDS (simulation seeds, default "1"),
#        GENES (300), TFS (30), CELLS (2000), DOMAINS (5), FOLDS (3), EPOCHS (the preset's),
#        BINS (32), SMOOTH (1), CV_ARGS (more drim-cv options, e.g. "--fusion late"),
#        PYTHON (python3 with json; default /usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/fusion}
B=${BUILD:-build}; PY=${PYTHON:-/usr/bin/python3}
SEEDS=${SEEDS:-1}; GENES=${GENES:-300}; TFS=${TFS:-30}; CELLS=${CELLS:-2000}; DOMAINS=${DOMAINS:-5}; FOLDS=${FOLDS:-3}
BINS=${BINS:-32}; SMOOTH=${SMOOTH:-1}
[ -x "$B/drim-cv" ] || bash scripts/build.sh
mkdir -p "$OUT"
epochs=(); [ -n "${EPOCHS:-}" ] && epochs=(--epochs "$EPOCHS")
read -r -a extra <<< "${CV_ARGS:-}"
if [ ${#extra[@]} -gt 0 ]; then echo "drim-cv options: ${CV_ARGS}"; fi
echo "BLAS: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-native}; $(nproc) threads; device ${DEVICE:-auto}"
echo "data: drim-simulate spatial --genes $GENES --tfs $TFS --cells $CELLS --domains $DOMAINS; maps $BINS x $BINS, smoothing $SMOOTH bin(s)"
for seed in $SEEDS; do
  d=$OUT/seed$seed
  "$B/drim-simulate" spatial --genes "$GENES" --tfs "$TFS" --cells "$CELLS" --domains "$DOMAINS" --seed "$seed" --out "$d/data" --quiet > /dev/null
  s=$(date +%s)
  "$B/drim-cv" --expr "$d/data/expression.h5ad" --spatial "$d/data/expression.h5ad" --spatial-bins "$BINS" --smooth "$SMOOTH" \
    --network "$d/data/network.csv" --tfs "$d/data/tfs.txt" --folds "$FOLDS" --seed "$seed" --device "${DEVICE:-auto}" \
    "${epochs[@]}" "${extra[@]}" --out "$d/cv" --summary "$d/summary.json" --quiet > "$d/table.txt"
  echo; echo "== seed $seed ($(( $(date +%s) - s )) s)"; cat "$d/table.txt"
done
"$PY" - "$OUT" $SEEDS <<'PY'
import json, sys
out, seeds = sys.argv[1], sys.argv[2:]
rows = []
for s in seeds:
    m = json.load(open(f"{out}/seed{s}/cv/report.json"))["methods"]
    rows.append({k: (m[k]["auroc"], m[k]["median_tf_auroc"]) for k in m})
methods = [k for k in ("fusion", "deepdrim", "image_only", "pearson", "spearman", "mi", "in_degree", "stacking") if k in rows[0]]
print("\npooled AUROC (median per-TF AUROC) per simulation seed")
print(f"{'method':12s}" + "".join(f"{'seed ' + s:>16s}" for s in seeds) + f"{'mean':>8s}")
for k in methods:
    vals = [r[k][0] for r in rows]
    print(f"{k:12s}" + "".join(f"{r[k][0]:9.3f} ({r[k][1]:.3f})" for r in rows) + f"{sum(vals) / len(vals):8.3f}")
mean = lambda k: sum(r[k][0] for r in rows) / len(rows)
gain = mean("fusion") - max(mean("deepdrim"), mean("image_only"))
print(f"\nfusion - max(deepdrim, image-only): {gain:+.3f} pooled AUROC (target >= +0.03): {'met' if gain >= 0.03 else 'NOT met'}")
print(f"image-only: {mean('image_only'):.3f} pooled AUROC (chance 0.5): {'well above chance' if mean('image_only') >= 0.6 else 'NOT well above chance'}")
print("for context, SDINet (Drosophila ISH images + RNA-seq, accuracy): fused 0.912, RNA-seq only 0.896, image only 0.720")
PY
