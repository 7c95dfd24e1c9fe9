#!/usr/bin/env bash
# Cross-validation as a Slurm job array, one task per fold, then the merge:
#   sbatch --array=0-2 scripts/slurm-cv.sh          (0- or 1-based arrays both work)
#   build/drim-cv merge out/cv/parts --out out/cv     (after every task has finished)
# As plain bash on one machine it runs the folds in turn and merges them, e.g.
#   CV_ARGS="--epochs 1 --neighbors 1" bash scripts/slurm-cv.sh
# Settings: EXPR, PAIRS (or NETWORK with TFS), FOLDS, OUT, SEED, CV_ARGS (more drim-cv options).
#SBATCH --job-name=drim-cv
#SBATCH --cpus-per-task=4
#SBATCH --time=24:00:00
set -euo pipefail
cd "${SLURM_SUBMIT_DIR:-$(dirname "$0")/..}"
EXPR=${EXPR:-data/demo/expression.h5ad}
FOLDS=${FOLDS:-3}
OUT=${OUT:-out/cv}
if [ -n "${NETWORK:-}" ]; then input=(--network "$NETWORK" --tfs "$TFS"); else input=(--pairs "${PAIRS:-data/demo/pairs.tsv}"); fi
# shellcheck disable=SC2206
args=(--expr "$EXPR" "${input[@]}" --folds "$FOLDS" --seed "${SEED:-1}" --threads "${SLURM_CPUS_PER_TASK:-0}" --quiet ${CV_ARGS:-})
if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
  build/drim-cv "${args[@]}" --fold $((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0})) --out "$OUT/parts"
else
  for ((f = 0; f < FOLDS; f++)); do build/drim-cv "${args[@]}" --fold "$f" --out "$OUT/parts"; done
  build/drim-cv merge "$OUT/parts" --out "$OUT"
fi
