#!/usr/bin/env bash
# Example Slurm job array: score all TF x gene pairs in 16 shards, then merge.
#   sbatch --array=0-15 scripts/slurm-predict.sh model.pt cells.h5ad tfs.txt out/
#   (after all tasks finish)  build/drim-merge out/shard_*.tsv --top 100000 --out network.tsv
# --shard slurm takes this task's shard from SLURM_ARRAY_TASK_ID/MIN/COUNT (0- or 1-based arrays).
#SBATCH --job-name=drim-predict
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=02:00:00
set -euo pipefail
MODEL=$1 EXPR=$2 TFS=$3 OUT=${4:-out}
mkdir -p "$OUT"
"${DRIM_BIN:-build}/drim-predict" --model "$MODEL" --expr "$EXPR" --tfs "$TFS" \
  --shard slurm --threads "${SLURM_CPUS_PER_TASK:-0}" --quiet --out "$OUT/shard_${SLURM_ARRAY_TASK_ID:-0}.tsv"
