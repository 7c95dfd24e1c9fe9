#!/usr/bin/env bash
# Data-parallel drim-train over several nodes (one task per node, Gloo over TCP):
#   sbatch --nodes=4 --ntasks-per-node=1 scripts/slurm-train.sh
# Every task trains on its share of each batch (same global batch, same result as one process);
# rank 0 (the first task) serves the rendezvous, logs, checkpoints and writes the model.
# As plain bash on one machine it starts RANKS local processes (default 2) over 127.0.0.1, e.g.
#   TRAIN_ARGS="--epochs 1" bash scripts/slurm-train.sh
# Settings: EXPR, PAIRS (or NETWORK with TFS), OUT, SEED, RANKS, PORT, TRAIN_ARGS (more drim-train
# options; --resume works with any number of tasks).
#SBATCH --job-name=drim-train
#SBATCH --cpus-per-task=8
#SBATCH --time=24:00:00
set -euo pipefail
cd "${SLURM_SUBMIT_DIR:-$(dirname "$0")/..}"
EXPR=${EXPR:-data/demo/expression.h5ad}
OUT=${OUT:-out/model.pt}
PORT=${PORT:-29500}
mkdir -p "$(dirname "$OUT")"
if [ -n "${NETWORK:-}" ]; then input=(--network "$NETWORK" --tfs "$TFS"); else input=(--pairs "${PAIRS:-data/demo/pairs.tsv}"); fi
# shellcheck disable=SC2206
args=(--expr "$EXPR" "${input[@]}" --out "$OUT" --seed "${SEED:-1}" ${TRAIN_ARGS:-})
if [ -n "${SLURM_JOB_ID:-}" ]; then
  # drim-train reads SLURM_STEP_NUM_TASKS, SLURM_PROCID and SLURM_LOCALID (set by srun); the rendezvous is the first node.
  MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
  export MASTER_ADDR MASTER_PORT=$PORT
  srun build/drim-train "${args[@]}" --threads "${SLURM_CPUS_PER_TASK:-0}"
else
  RANKS=${RANKS:-2}
  threads=$(( $(nproc) / RANKS > 0 ? $(nproc) / RANKS : 1 ))
  pids=()
  for ((r = 0; r < RANKS; r++)); do
    build/drim-train "${args[@]}" --threads "$threads" --dist-url "tcp://127.0.0.1:$PORT" --rank "$r" --world-size "$RANKS" &
    pids+=($!)
  done
  rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=$?; done
  exit "$rc"
fi
