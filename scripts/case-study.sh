#!/usr/bin/env bash
# The DeepDRIM paper's case study (its Fig. 5-6: one model, a network per condition, then the
# comparison) end to end on a simulation whose differences are known:
#   1. drim-simulate grn --conditions 2: condition B rewires a fraction REWIRE of A's edges
#   2. drim-train on condition A's known edges (the default recipe, EPOCHS epochs)
#   3. drim-predict every TF x gene pair in A and in B with that one model
#   4. drim-network compare A B, with the TFs that truly gain targets in B as the TF set
#   5. precision at k: how many of the TOPK most changed edges are truly rewired, against the
#      share of rewired edges among all scored pairs (chance), beside the same count for the
#      change in |Pearson| (scripts/differential_baseline.py); and a plot of targets per TF
# Usage: bash scripts/case-study.sh [OUT_DIR]   (default out/case-study)
# Settings (environment): GENES=300 TFS=30 CELLS=500 REWIRE=0.2 EPOCHS=8 SEED=1 TOPK=100 THREADS=0
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/case-study}
GENES=${GENES:-300} TFS=${TFS:-30} CELLS=${CELLS:-500} REWIRE=${REWIRE:-0.2}
EPOCHS=${EPOCHS:-8} SEED=${SEED:-1} TOPK=${TOPK:-100} THREADS=${THREADS:-0}
B=${BIN:-build}
[ -x "$B/drim-network" ] && [ -x "$B/drim-train" ] || bash scripts/build.sh
mkdir -p "$OUT"
S=$OUT/sim
echo "== 1. two conditions: $GENES genes, $TFS TFs, $CELLS cells each, $REWIRE of the edges rewired =="
$B/drim-simulate grn --conditions 2 --rewire "$REWIRE" --genes "$GENES" --tfs "$TFS" --cells "$CELLS" --seed "$SEED" --out "$S" -q
echo "== 2. drim-train on condition A's edges ($EPOCHS epochs) =="
start=$SECONDS
$B/drim-train --expr "$S/A/expression.h5ad" --pairs "$S/A/pairs.tsv" --out "$OUT/model.pt" --epochs "$EPOCHS" \
  --seed "$SEED" --threads "$THREADS" --quiet
echo "training took $((SECONDS - start)) s"
echo "== 3. drim-predict: every TF x gene pair in A and in B =="
for c in A B; do
  $B/drim-predict --model "$OUT/model.pt" --expr "$S/$c/expression.h5ad" --tfs "$S/A/tfs.txt" --out "$OUT/edges_$c.tsv" \
    --threads "$THREADS" --quiet
done
echo "== 4. drim-network compare A B =="
# The TF set: TFs with more edges in B's true network than in A's (the analogue of the paper's
# differentially expressed TFs whose targets change).
awk -F'\t' 'NR > 1 {if ($3 == "B") gain[$1]++; else gain[$1]--} END {for (t in gain) if (gain[t] > 0) print t}' \
  "$S/differential.tsv" | sort > "$OUT/tfs_gaining.txt"
$B/drim-network compare "$OUT/edges_A.tsv" "$OUT/edges_B.tsv" --names A,B --tfs-of-interest "$OUT/tfs_gaining.txt" \
  --out "$OUT/compare" --force
echo "== 5. precision of the most changed edges =="
scored=$(($(wc -l < "$OUT/edges_A.tsv") - 1))
awk -F'\t' -v k="$TOPK" -v scored="$scored" '
  FNR == NR {if (FNR > 1) truth[$1 "\t" $2] = 1; next}
  FNR > 1 && $5 != "NA" && ranked < k {ranked++; hits += (($1 "\t" $2) in truth)}
  END {
    n = length(truth); chance = n / scored; p = hits / ranked
    printf "truly rewired edges: %d of %d scored pairs (chance share %.4f)\n", n, scored, chance
    printf "top %d changed edges: %d truly rewired (precision %.3f) = %.1fx chance; target >= 3x: %s\n",
           ranked, hits, p, p / chance, (p >= 3 * chance ? "met" : "not met")
  }' "$S/differential.tsv" "$OUT/compare/edges.tsv" | tee "$OUT/precision.txt"
/usr/bin/python3 -c "import json; s = json.load(open('$OUT/compare/summary.json')); t = s['tfs_of_interest']; o = t['vs_other_tfs']; \
print(f\"TFs gaining edges in B ({t['tfs']}): median targets {t['median_targets_a']} in A vs {t['median_targets_b']} in B, \
{t['tfs_more_in_b']} TFs with more in B, signed-rank p = {t['p']:.3g}; median change {o['median_change']} vs {o['median_change_other']} \
for the other TFs, rank-sum p = {o['p']:.3g}\")" | tee -a "$OUT/precision.txt"
if /usr/bin/python3 -c "import anndata" 2>/dev/null; then
  /usr/bin/python3 scripts/differential_baseline.py "$S" --top "$TOPK" | tee -a "$OUT/precision.txt"
fi
if /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
  /usr/bin/python3 scripts/plot --network "$OUT/compare" --out "$OUT/targets-per-tf"
fi
