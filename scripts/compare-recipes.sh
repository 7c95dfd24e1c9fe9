#!/usr/bin/env bash
# Controlled comparison of training recipes: the same pairs, TF-disjoint folds, seed and epoch
# budget for every recipe, only the recipe options differ. Prints one line per recipe (pooled and
# median per-TF AUROC of DeepDRIM, CNNC when asked, |Pearson|, folds left on the plateau, time)
# and appends them to OUT/table.tsv. The table in docs/training-recipe.md came from this script.
# Usage: bash scripts/compare-recipes.sh DATASET OUT RECIPE...
#   DATASET: grn (drim-simulate grn, GENES x CELLS, the Fig. 4 base condition), ggm (the Fig. 1
#            simulation, pairs of DATASETS 4-gene datasets) or a BEELINE folder (ExpressionData.csv.gz,
#            refNetwork.csv.gz, TFs.txt.gz)
#   RECIPE:  "name: drim-cv options", e.g. "reference: --preset reference" "drim: --preset drim"
#   env: EPOCHS (8), FOLDS (2), NEIGHBORS (2), SEED (1), THREADS (1), GENES (300), TFS (30), CELLS (1000),
#        DATASETS (2000), MAX_POSITIVES (0 = all), WITH_CNNC (0)
set -euo pipefail
cd "$(dirname "$0")/.."
DATASET=$1 OUT=$2
shift 2
EPOCHS=${EPOCHS:-8} FOLDS=${FOLDS:-2} NEIGHBORS=${NEIGHBORS:-2} SEED=${SEED:-1} THREADS=${THREADS:-1}
GENES=${GENES:-300} TFS=${TFS:-30} CELLS=${CELLS:-1000} DATASETS=${DATASETS:-2000} MAX_POSITIVES=${MAX_POSITIVES:-0}
WITH_CNNC=${WITH_CNNC:-0}
B=build
[ -x $B/drim-cv ] || bash scripts/build.sh
mkdir -p "$OUT"
case "$DATASET" in
  grn)
    [ -f "$OUT/data/expression.h5ad" ] || $B/drim-simulate grn --genes "$GENES" --tfs "$TFS" --cells "$CELLS" --seed "$SEED" --out "$OUT/data" --quiet
    input=(--expr "$OUT/data/expression.h5ad" --network "$OUT/data/network.csv" --tfs "$OUT/data/tfs.txt" --neighbors "$NEIGHBORS") ;;
  ggm)
    [ -f "$OUT/data/expression.h5ad" ] || $B/drim-simulate ggm --datasets "$DATASETS" --seed "$SEED" --out "$OUT/data" --quiet
    input=(--expr "$OUT/data/expression.h5ad" --pairs "$OUT/data/pairs.tsv" --neighbor-groups "$OUT/data/groups.tsv" --exclude-self
           --neighbors "$NEIGHBORS") ;;
  *)
    input=(--expr "$DATASET/ExpressionData.csv.gz" --network "$DATASET/refNetwork.csv.gz" --tfs "$DATASET/TFs.txt.gz"
           --max-positives "$MAX_POSITIVES" --neighbors "$NEIGHBORS") ;;
esac
[ -f "$OUT/table.tsv" ] || printf 'dataset\trecipe\toptions\tepochs\tdeepdrim_auroc\tdeepdrim_med_tf\tcnnc_auroc\tpearson_auroc\tin_degree_auroc\tplateau_folds\tseconds\n' > "$OUT/table.tsv"
for recipe in "$@"; do
  name=${recipe%%:*} opts=${recipe#*:}
  start=$SECONDS
  # shellcheck disable=SC2086
  [ -f "$OUT/$name/report.json" ] || $B/drim-cv "${input[@]}" --folds "$FOLDS" --epochs "$EPOCHS" --patience 0 --seed "$SEED" \
    --threads "$THREADS" --quiet $([ "$WITH_CNNC" = 1 ] && echo --with-cnnc) $opts --out "$OUT/$name" > "$OUT/$name.table" 2> "$OUT/$name.log"
  /usr/bin/python3 - "$OUT" "$name" "$opts" "$((SECONDS - start))" "$DATASET" "$EPOCHS" <<'PY'
import json, sys
out, name, opts, secs, dataset, epochs = sys.argv[1:7]
r = json.load(open(f"{out}/{name}/report.json")); m = r["methods"]
flat = sum(f["on_plateau"].get("deepdrim", False) for f in r["folds"])
get = lambda k, f="auroc": m[k][f] if k in m else float("nan")
row = [dataset.rstrip("/").split("/")[-1], name, opts.strip(), epochs, f"{get('deepdrim'):.3f}", f"{get('deepdrim', 'median_tf_auroc'):.3f}",
       f"{get('cnnc'):.3f}", f"{get('pearson'):.3f}", f"{get('in_degree'):.3f}", str(flat), secs]
open(f"{out}/table.tsv", "a").write("\t".join(row) + "\n")
print(f"{name:24s} deepdrim={row[4]} (median TF {row[5]}) cnnc={row[6]} pearson={row[7]} in_degree={row[8]} plateau_folds={flat} ({secs} s)")
PY
done
