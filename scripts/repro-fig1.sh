#!/usr/bin/env bash
# Paper Fig. 1: do neighbour images remove transitive false positives? Simulates the ggm datasets
# (4 genes x 1,000 cells from N(0, Theta^-1) each; one direct and one independent pair per
# dataset), trains the primary-image model (CNNC) and DeepDRIM on the pairs of half of the
# datasets, scores the other half, and counts false positives (independent pairs scored >= 0.5)
# overall and among transitive negatives. The paper saw 40.4 % and 55.4 % fewer with DeepDRIM.
# The last line reads: fp_reduction_overall=X% fp_reduction_transitive=Y%
# Usage: bash scripts/repro-fig1.sh [out_dir]
#   env: DATASETS (2500), CELLS (1000), EPOCHS (10), NEIGHBORS (2), OPTIMIZER (adam), LR (0.0003), SEED (1)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/fig1}
DATASETS=${DATASETS:-2500} CELLS=${CELLS:-1000} EPOCHS=${EPOCHS:-10} NEIGHBORS=${NEIGHBORS:-2}
OPTIMIZER=${OPTIMIZER:-adam} LR=${LR:-0.0003} SEED=${SEED:-1}
[ -x build/drim-train ] || bash scripts/build.sh
mkdir -p "$OUT"
build/drim-simulate ggm --datasets "$DATASETS" --cells "$CELLS" --seed "$SEED" --out "$OUT/ggm" --quiet
# Odd datasets train, even datasets test.
grep -v '^#' "$OUT/ggm/pairs.tsv" | awk -F'\t' '{split($1, d, "_"); n = substr(d[1], 2); print > ((n % 2) ? "'"$OUT"'/train.tsv" : "'"$OUT"'/test.tsv")}'
cut -f1,2 "$OUT/test.tsv" > "$OUT/test_pairs.tsv"
for model in cnnc deepdrim; do
  build/drim-train --expr "$OUT/ggm/expression.h5ad" --pairs "$OUT/train.tsv" --model "$model" --neighbors "$NEIGHBORS" \
    --epochs "$EPOCHS" --optimizer "$OPTIMIZER" --lr "$LR" --patience 0 --seed "$SEED" --quiet --out "$OUT/$model.pt" > "$OUT/$model.train.json"
  build/drim-predict --model "$OUT/$model.pt" --expr "$OUT/ggm/expression.h5ad" --pairs "$OUT/test_pairs.tsv" --quiet \
    --out "$OUT/$model.scores.tsv" 2> /dev/null
done
/usr/bin/python3 - "$OUT" <<'PY'
import csv, sys
out = sys.argv[1]
label = {(r[0], r[1]): int(r[2]) for r in csv.reader(open(f"{out}/test.tsv"), delimiter="\t")}
transitive = {(r[0], r[1]): int(r[2]) for r in csv.reader(open(f"{out}/ggm/negatives.tsv"), delimiter="\t") if r[0] != "gene1"}
fp = {}
for m in ("cnnc", "deepdrim"):
    scores = {(r[0], r[1]): float(r[2]) for r in csv.reader(open(f"{out}/{m}.scores.tsv"), delimiter="\t") if r[0] != "tf"}
    neg = [k for k in scores if label[k] == 0]
    pos = [k for k in scores if label[k] == 1]
    fp[m] = (sum(scores[k] >= 0.5 for k in neg), sum(scores[k] >= 0.5 for k in neg if transitive.get(k)))
    tp = sum(scores[k] >= 0.5 for k in pos)
    print(f"{m:9s}: false positives {fp[m][0]} of {len(neg)} negatives, {fp[m][1]} of "
          f"{sum(1 for k in neg if transitive.get(k))} transitive; true positives {tp} of {len(pos)}")
red = [100 * (1 - fp["deepdrim"][i] / fp["cnnc"][i]) if fp["cnnc"][i] else float("nan") for i in (0, 1)]
print(f"fp_reduction_overall={red[0]:.1f}% fp_reduction_transitive={red[1]:.1f}%")
PY
