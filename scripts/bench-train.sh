#!/usr/bin/env bash
# Training speed of DeepDRIM (n = 10, 23 images per pair), the plain path against the new one,
# side by side in one run on the same pairs, one thread each (pairs/s per thread):
#   plain           every image of every pair through its tower (--no-shared-genes --no-prefetch)
#   shared          each distinct gene's side through tower B once per batch, next batch prefetched
#   shared+target   the same with batches grouped by target (--batch-order target)
#   shared+bf16     the default path in bfloat16 autocast (--precision bf16), on CPUs with AVX-512 BF16
#                   or AMX only (elsewhere the row says it was not run)
# All three use the default recipe's architecture (GroupNorm, tower dropout 0, so the shared step is
# exact). Data: ../shared/data/beeline/mHSC-L (or DATA=folder with ExpressionData.csv.gz,
# refNetwork.csv.gz, TFs.txt.gz), every network pair with as many uniform negatives (the
# bench-accuracy setting), the first MAX_BATCHES batches of one epoch; BATCH pairs per batch.
# Prints pairs/s, user CPU seconds and peak RSS per run, the ratios, and the BLAS/CPU it ran on.
# Then the data-parallel line: 2 ranks x 1 thread against 1 process x 2 threads, pairs/s in all.
# Usage: bash scripts/bench-train.sh      env: MAX_BATCHES (30), BATCH (32), THREADS (1), DATA
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_BATCHES=${MAX_BATCHES:-30} BATCH=${BATCH:-32} THREADS=${THREADS:-1}
DATA=${DATA:-../shared/data/beeline/mHSC-L}
[ -x build/drim-train ] || bash scripts/build.sh
[ -f "$DATA/ExpressionData.csv.gz" ] || { echo "bench-train: $DATA/ExpressionData.csv.gz not found (set DATA)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), bf16 kernels: $(grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo && echo yes || echo no), threads per run: $THREADS," \
     "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} (convolutions run in LibTorch's own kernels)"
run() {  # label options...
  local label=$1
  shift
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" build/drim-train --expr "$DATA/ExpressionData.csv.gz" \
    --network "$DATA/refNetwork.csv.gz" --tfs "$DATA/TFs.txt.gz" --val-fraction 0 --batch "$BATCH" \
    --epochs 1 --max-batches "$MAX_BATCHES" --patience 0 --threads "$THREADS" --seed 1 --quiet --out "$tmp/m.pt" "$@" > "$tmp/out.json"
  local rate
  rate=$(/usr/bin/python3 -c "import json; print(round(json.load(open('$tmp/out.json'))['train_pairs_per_s'], 2))")
  read -r user sys rss < "$tmp/time"
  printf '%-16s %8s pairs/s per thread   user %7ss  peak %5d MiB\n' "$label" "$rate" "$user" $((rss / 1024))
  echo "$rate" > "$tmp/$label.rate"
}
run plain --no-shared-genes --no-prefetch
run shared --shared-genes --prefetch
run shared+target --shared-genes --prefetch --batch-order target
if grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo; then
  run shared+bf16 --shared-genes --prefetch --precision bf16
else
  echo "shared+bf16      not run: this CPU has neither AVX-512 BF16 nor AMX"
fi

# Data parallel on this machine: 2 ranks x 1 thread (Gloo over 127.0.0.1) against 1 process x 2
# threads, the default path, the same global batches. Each rank reports the global pairs/s.
dp_run() {  # label ranks threads
  local label=$1 ranks=$2 threads=$3 port=$((29500 + RANDOM % 1000))
  local common=(--expr "$DATA/ExpressionData.csv.gz" --network "$DATA/refNetwork.csv.gz" --tfs "$DATA/TFs.txt.gz" --val-fraction 0
                --batch "$BATCH" --epochs 1 --max-batches "$MAX_BATCHES" --patience 0 --threads "$threads" --seed 1 --quiet)
  local start=$(date +%s.%N) pids=()
  if [ "$ranks" -eq 1 ]; then
    build/drim-train "${common[@]}" --out "$tmp/dp.pt" > "$tmp/dp0.json"
  else
    for ((r = 0; r < ranks; r++)); do
      build/drim-train "${common[@]}" --out "$tmp/dp.pt" --dist-url "tcp://127.0.0.1:$port" --rank $r --world-size "$ranks" > "$tmp/dp$r.json" &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
  fi
  local rate
  rate=$(/usr/bin/python3 -c "import json; print(round(json.load(open('$tmp/dp0.json'))['train_pairs_per_s'], 2))")
  printf '%-16s %8s pairs/s in all (%d x %d threads)\n' "$label" "$rate" "$ranks" "$threads"
  echo "$rate" > "$tmp/$label.rate"
  rm -f "$tmp/dp.pt"
}
dp_run 1x2threads 1 2
dp_run 2ranks 2 1
/usr/bin/python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
r = {k: float(open(f"{t}/{k}.rate").read()) for k in ("plain", "shared", "shared+target")}
import os
bf16 = f", shared+bf16 {float(open(f'{t}/shared+bf16.rate').read()) / r['plain']:.2f}x" if os.path.exists(f"{t}/shared+bf16.rate") else ""
print(f"speed-up over plain: shared {r['shared'] / r['plain']:.2f}x, shared+target {r['shared+target'] / r['plain']:.2f}x{bf16}; "
      f"goal >= 50 pairs/s per thread (the Python reference: 11.6)")
print(f"data parallel: 2 ranks x 1 thread / 1 process x 2 threads = {float(open(f'{t}/2ranks.rate').read()) / float(open(f'{t}/1x2threads.rate').read()):.2f}")
PY
