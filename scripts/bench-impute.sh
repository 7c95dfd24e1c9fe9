#!/usr/bin/env bash
# Imputation benchmark (TCER's protocol): a deep reference matrix, observations drawn from it by
# SAVER-style downsampling at each efficiency of EFFICIENCIES, then the per-gene Pearson between
# the reference and the observed data / TCER (the default gamma-Poisson posterior, and the same
# model's restoration without it: --posterior none) / kNN smoothing / MAGIC-style diffusion; then the time
# to lay out 2,000 genes. References:
# a `drim-simulate grn` dataset without zero inflation (GENES x CELLS) and BEELINE mESC
# (../shared, log2 values back to counts). At the middle efficiency on the simulation also: TCER
# as published (--preset paper) and TCER on a random gene layout (the paper's GenoMap ablation),
# and the GRN with and without imputation: drim-cv (DeepDRIM, CNNC, |Pearson|) on the observed
# matrix and on the TCER and MAGIC layers, TF-disjoint folds, the simulation's network.
# Usage: bash scripts/bench-impute.sh [out_dir]
#   env: GENES (300), CELLS (2000), EFFICIENCIES ("0.05 0.1 0.3"), EPOCHS (TCER epochs, 100: the tool's default; 20 for a quick run),
#        CV_EPOCHS (10), GRN (1: run the GRN table), MESC (1 when ../shared is there), SEED (1)
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
OUT=${1:-out/bench-impute}
GENES=${GENES:-300} CELLS=${CELLS:-2000} EFFICIENCIES=${EFFICIENCIES:-0.05 0.1 0.3} EPOCHS=${EPOCHS:-100}
CV_EPOCHS=${CV_EPOCHS:-10} GRN=${GRN:-1} SEED=${SEED:-1}
SHARED=../shared/data/beeline/mESC
MESC=${MESC:-$([ -d $SHARED ] && echo 1 || echo 0)}
B=build PY=/usr/bin/python3
[ -x $B/drim-impute ] || bash scripts/build.sh
mkdir -p "$OUT"
echo "BLAS: OpenBLAS, OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; $(nproc) cores; TCER $EPOCHS epochs (the paper: 100)"

# impute NAME OBS [drim-impute options]: OUT/NAME.h5ad (skipped when present), its wall time.
impute() {
  local name=$1 obs=$2 start=$SECONDS
  shift 2
  [ -f "$OUT/$name.h5ad" ] || $B/drim-impute --expr "$obs" --out "$OUT/$name.h5ad" --seed "$SEED" --quiet "$@" > "$OUT/$name.json" 2> "$OUT/$name.log"
  echo "  $name: $((SECONDS - start)) s" >> "$OUT/times.txt"
}

# table REF OBS TAG: every method at one efficiency.
table() {
  local ref=$1 obs=$2 tag=$3
  impute "$tag-tcer" "$obs" --epochs "$EPOCHS" --save-layout "$OUT/$tag-layout.tsv" --save-model "$OUT/$tag-tcer.pt"
  impute "$tag-tcer-restoration" "$obs" --model "$OUT/$tag-tcer.pt" --posterior none
  impute "$tag-knn" "$obs" --method knn
  impute "$tag-magic" "$obs" --method magic
  local extra=()
  if [ "${4:-}" = ablation ]; then
    impute "$tag-tcer-paper" "$obs" --epochs "$EPOCHS" --preset paper --layout "$OUT/$tag-layout.tsv"
    $PY scripts/make_impute_reference.py random-layout "$OUT/$tag-layout.tsv" "$OUT/$tag-random-layout.tsv" "$SEED"
    impute "$tag-tcer-random-layout" "$obs" --epochs "$EPOCHS" --layout "$OUT/$tag-random-layout.tsv"
    extra=("tcer-paper=$OUT/$tag-tcer-paper.h5ad:imputed" "tcer-random-layout=$OUT/$tag-tcer-random-layout.h5ad:imputed")
  fi
  echo "== $tag =="
  local target=(); [ "${tag#sim}" != "$tag" ] && target=(--target tcer)  # the issue's target is on the simulation
  $PY scripts/impute_eval.py "${target[@]}" "$ref" "observed=$obs" "tcer=$OUT/$tag-tcer.h5ad:imputed" \
    "tcer-no-posterior=$OUT/$tag-tcer-restoration.h5ad:imputed" "${extra[@]}" \
    "knn=$OUT/$tag-knn.h5ad:imputed" "magic=$OUT/$tag-magic.h5ad:imputed"
}

: > "$OUT/times.txt"
[ -f "$OUT/sim/expression.h5ad" ] ||
  $B/drim-simulate grn --genes "$GENES" --tfs $((GENES / 10)) --cells "$CELLS" --dropout 0 --seed "$SEED" --out "$OUT/sim" --quiet > /dev/null
set -- $EFFICIENCIES
MID=${2:-$1}
for e in $EFFICIENCIES; do
  [ -f "$OUT/sim-obs-$e.h5ad" ] ||
    $B/drim-simulate downsample --expr "$OUT/sim/expression.h5ad" --efficiency "$e" --seed "$SEED" --out "$OUT/sim-obs-$e.h5ad" --quiet > /dev/null
  table "$OUT/sim/expression.h5ad" "$OUT/sim-obs-$e.h5ad" "sim-$e" $([ "$e" = "$MID" ] && echo ablation)
done

if [ "$MESC" = 1 ]; then
  [ -f "$OUT/mesc-ref.h5ad" ] || $PY scripts/make_impute_reference.py beeline $SHARED/ExpressionData.csv.gz "$OUT/mesc-ref.h5ad"
  for e in $EFFICIENCIES; do
    [ -f "$OUT/mesc-obs-$e.h5ad" ] ||
      $B/drim-simulate downsample --expr "$OUT/mesc-ref.h5ad" --efficiency "$e" --seed "$SEED" --out "$OUT/mesc-obs-$e.h5ad" --quiet > /dev/null
    table "$OUT/mesc-ref.h5ad" "$OUT/mesc-obs-$e.h5ad" "mesc-$e"
  done
fi

if [ "$GRN" = 1 ]; then
  echo "== GRN at efficiency $MID (drim-cv, 3 TF-disjoint folds, $CV_EPOCHS epochs, 2 neighbours; pooled AUROC) =="
  for v in observed tcer magic; do
    if [ $v = observed ]; then args=(--expr "$OUT/sim-obs-$MID.h5ad"); else args=(--expr "$OUT/sim-$MID-$v.h5ad" --layer imputed); fi
    [ -f "$OUT/cv-$v/report.json" ] || $B/drim-cv "${args[@]}" --network "$OUT/sim/network.csv" --tfs "$OUT/sim/tfs.txt" --with-cnnc \
      --epochs "$CV_EPOCHS" --neighbors 2 --seed "$SEED" --quiet --out "$OUT/cv-$v" > /dev/null 2> "$OUT/cv-$v.log"
    $PY -c "
import json; m = json.load(open('$OUT/cv-$v/report.json'))['methods']
print('$v'.ljust(10), ' '.join(f\"{k}={m[k]['auroc']:.3f}\" for k in ('deepdrim', 'cnnc', 'pearson', 'in_degree')))"
  done
  [ -f "$OUT/cv-reference/report.json" ] || $B/drim-cv --expr "$OUT/sim/expression.h5ad" --network "$OUT/sim/network.csv" --tfs "$OUT/sim/tfs.txt" \
    --with-cnnc --epochs "$CV_EPOCHS" --neighbors 2 --seed "$SEED" --quiet --out "$OUT/cv-reference" > /dev/null 2> "$OUT/cv-reference.log"
  $PY -c "
import json; m = json.load(open('$OUT/cv-reference/report.json'))['methods']
print('reference', ' '.join(f\"{k}={m[k]['auroc']:.3f}\" for k in ('deepdrim', 'cnnc', 'pearson', 'in_degree')), '(the deep matrix itself)')"
fi
# Does imputation create transitive correlations? Direct edges against two-hop pairs, every matrix above.
$PY scripts/impute_transitive.py "$OUT"
# GenoMap speed: 2,000 genes (the issue: under a minute on 2 cores).
[ -f "$OUT/g2000/expression.h5ad" ] ||
  $B/drim-simulate grn --genes 2000 --tfs 100 --cells 500 --seed "$SEED" --out "$OUT/g2000" --quiet > /dev/null
$B/drim-impute --expr "$OUT/g2000/expression.h5ad" --out "$OUT/g2000-tcer.h5ad" --epochs 1 --seed "$SEED" \
  --save-layout "$OUT/g2000-layout.tsv" 2>&1 | grep -o "GenoMap: .*" || true
echo "wall times:"; cat "$OUT/times.txt"
