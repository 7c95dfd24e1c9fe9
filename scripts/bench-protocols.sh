#!/usr/bin/env bash
# Issue #14's tables: for each protocol (drim-cv --split) on one BEELINE dataset, DeepDRIM without
# and with the in-degree prior (--prior in-degree), CNNC, and the baselines (stacking, |Pearson|,
# MI, in-degree) on the same folds, as median per-TF AUROC, pooled AUROC and ROC|in_deg.
# Each cell comes from scripts/bench-accuracy.sh (same data preparation, subsampling and recipe);
# its run folders stay under OUT/<split>-<none|prior>/ for reading later.
# Usage: bash scripts/bench-protocols.sh DATASET [out_dir]     (DATASET: mHSC-L or mESC)
#   env: SPLITS ("tf both target pair"), NEGATIVES (uniform), EPOCHS (4), and bench-accuracy.sh's
#        MAX_TFS, MAX_POS, SEED, THREADS, BUILD, DATA_ROOT, PYTHON, DEVICE. Prints the table and writes it to OUT/<dataset>-<negatives>.table.
set -euo pipefail
cd "$(dirname "$0")/.."
DS=${1:?usage: bash scripts/bench-protocols.sh DATASET [out_dir]}
OUT=${2:-out/bench-protocols}
NEG=${NEGATIVES:-uniform}
export EPOCHS=${EPOCHS:-4}
mkdir -p "$OUT"
for split in ${SPLITS:-tf both target pair}; do
  for prior in none in-degree; do
    dir=$OUT/$split-${prior/in-degree/prior}
    [ -f "$dir/$DS/$NEG/report.json" ] && { echo "== $split, prior $prior: done before ($dir)"; continue; }
    echo "== $split, prior $prior ($(date +%T))"
    WITH_CNNC=$([ "$prior" = none ] && echo 1 || echo 0) DATASETS=$DS NEGATIVES=$NEG \
      CV_ARGS="--split $split --prior $prior" bash scripts/bench-accuracy.sh "$dir" | tail -n 2
  done
done
"${PYTHON:-/usr/bin/python3}" - "$OUT" "$DS" "$NEG" "${SPLITS:-tf both target pair}" "$EPOCHS" <<'PY' | tee "$OUT/$DS-$NEG.table"
import json, math, os, sys
out, ds, neg, splits, epochs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(), sys.argv[5]
cols = [("deepdrim", "none", "deepdrim"), ("deepdrim", "prior", "deepdrim+prior"), ("cnnc", "none", "cnnc"),
        ("stacking", "none", "stacking"), ("pearson", "none", "|Pearson|"), ("mi", "none", "MI"), ("in_degree", "none", "in-degree")]
def fmt(v):
    return "  -  " if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"
print(f"{ds}, negatives {neg}, {epochs} epochs: median per-TF AUROC / pooled AUROC / ROC|in_deg ('-': not available)")
print(f"{'split':7s} {'pairs':>6s}  " + "  ".join(f"{c[2]:>17s}" for c in cols))
for split in splits:
    reports = {}
    for tag in ("none", "prior"):
        path = f"{out}/{split}-{tag}/{ds}/{neg}/report.json"
        if os.path.exists(path):
            reports[tag] = json.load(open(path))
    if not reports:
        continue
    n = next(iter(reports.values())).get("n_pairs", 0)
    cells = []
    for method, tag, _ in cols:
        m = reports.get(tag, {}).get("methods", {}).get(method)
        if m is None:
            cells.append(f"{'-':>17s}")
            continue
        cells.append(f"{fmt(m.get('median_tf_auroc'))}/{fmt(m.get('auroc'))}/{fmt(m.get('auroc_within_in_degree'))}")
    print(f"{split:7s} {n:6d}  " + "  ".join(f"{c:>17s}" for c in cells))
PY
