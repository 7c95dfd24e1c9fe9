#!/usr/bin/env bash
# CUDA check, for a machine with an NVIDIA GPU and a CUDA build of PyTorch in `python3`:
#  1. builds drim against that PyTorch's LibTorch (torch.utils.cmake_prefix_path), the other
#     dependencies from the system (drim-network is left out where igraph is missing);
#  2. runs the model tests with DRIM_TEST_DEVICE=cuda (training, prediction, TCER on the GPU);
#  3. trains one model on simulated counts and scores the same 1,000 pairs on the CPU and on the
#     GPU (cached and plain): max |CPU - CUDA| must stay <= 1e-4;
#  4. prints training and cached-prediction pairs/s on the GPU beside the CPU of the same machine.
# Meant to finish inside 8 minutes on a 16-core machine. Exit status: 0 when every step passed.
# Usage: bash scripts/check-cuda.sh [build dir (default build-cuda)]
#   env: PYTHON picks the interpreter; BUILD_ONLY=1 stops after the build; EXTRA_TARGETS adds
#   build targets (e.g. drim-cv).
set -uo pipefail
cd "$(dirname "$0")/.."
B=${1:-build-cuda}
PY=${PYTHON:-python3}
LOGS=${OUT:-$B}  # build and test logs
LOG=$LOGS/check-cuda-build.log
mkdir -p "$B" "$(dirname "$LOG")"
failed=()
GPU=cuda
step() { echo; echo "== $* ($(date +%T))"; }
t0=$(date +%s)

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || { echo "no NVIDIA GPU visible"; exit 2; }
read -r TORCH_PREFIX TORCH_VERSION CUDA_OK < <($PY -c 'import torch; print(torch.utils.cmake_prefix_path, torch.__version__, torch.cuda.is_available())') \
  || { echo "$PY cannot import torch"; exit 2; }
echo "PyTorch $TORCH_VERSION (CUDA available: $CUDA_OK), $(nproc) CPU cores, $(g++ --version | head -1)"
[ "$CUDA_OK" = True ] || { echo "this PyTorch sees no CUDA device"; exit 2; }
# LibTorch 2.12 and later headers require C++20.
std=$($PY -c 'import torch; v = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]); print(20 if v >= (2, 12) else 17)')
net=ON
pkg-config --exists 'igraph >= 0.10' 2>/dev/null || { net=OFF; echo "igraph not found: building without drim-network"; }
gen=(); keep=(); command -v ninja > /dev/null && { gen=(-G Ninja); keep=(-- -k 0); }

step "build (C++$std, LibTorch from $TORCH_PREFIX; log: $LOG)"
if ! cmake -S . -B "$B" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$TORCH_PREFIX" \
    -DCMAKE_CXX_STANDARD="$std" -DCMAKE_POLICY_VERSION_MINIMUM=3.5 -DDRIM_WITH_PYTHON=OFF -DDRIM_WITH_NETWORK=$net > "$LOG" 2>&1 ||
   ! cmake --build "$B" -j "$(nproc)" --target drim_model_tests drim-train drim-predict drim-simulate ${EXTRA_TARGETS:-} "${keep[@]}" >> "$LOG" 2>&1; then
  grep -E 'error|Error|CMake Error' "$LOG" | head -40
  echo "BUILD FAILED after $(( $(date +%s) - t0 )) s"; exit 1
fi
echo "built in $(( $(date +%s) - t0 )) s"
[ -n "${BUILD_ONLY:-}" ] && exit 0  # BUILD_ONLY=1: stop after the build

step "model tests on CUDA"
TL=$LOGS/check-cuda-tests.log
DRIM_TEST_DEVICE=cuda "$B/drim_model_tests" > "$TL" 2>&1; rc=$?
if [ $rc -eq 0 ]; then tail -n 2 "$TL"
else
  failed+=(model-tests)
  grep -E '^\[  FAILED|Failure|Expected|Which is|actual' "$TL" | head -30
  echo "the tests ended with exit $rc: each test in its own process, to name every one that fails or crashes"
  for t in $("$B/drim_model_tests" --gtest_list_tests | awk '/^[^ ]/ {s = $1} /^  / {print s $1}'); do
    DRIM_TEST_DEVICE=cuda timeout 120 "$B/drim_model_tests" --gtest_filter="$t" >> "$TL.each" 2>&1; rc=$?
    [ $rc -eq 0 ] || echo "  $t: exit $rc"
  done
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
step "simulated data: 1,000 genes (100 TFs) x 500 cells"
"$B/drim-simulate" grn --genes 1000 --tfs 100 --cells 500 --seed 1 --out "$tmp/sim" --quiet > /dev/null || { echo "drim-simulate failed"; exit 1; }
S=$tmp/sim
echo "$(($(wc -l < "$S/pairs.tsv") - 1)) labelled pairs"

step "training: 2 epochs on CUDA, 1 epoch on CPU with all cores"
train() {  # name device epochs threads
  "$B/drim-train" --expr "$S/expression.h5ad" --pairs "$S/pairs.tsv" --out "$tmp/model_$1.pt" --epochs "$3" \
    --val-fraction 0 --device "$2" --threads "$4" --seed 1 --quiet > "$tmp/train_$1.json" 2> "$tmp/train_$1.err" \
    || { tail -n 5 "$tmp/train_$1.err"; failed+=("train-$1"); }
}
train cuda "$GPU" 2 4
train cpu cpu 1 "$(nproc)"

step "prediction: 100 TFs x 1,000 genes, cached, on CUDA and CPU"
predict() {  # name device extra-args...
  local name=$1 dev=$2; shift 2
  "$B/drim-predict" --model "$tmp/model_cuda.pt" --expr "$S/expression.h5ad" --device "$dev" --out "$tmp/$name.tsv" \
    --quiet "$@" > "$tmp/$name.json" 2> "$tmp/$name.err" || { tail -n 5 "$tmp/$name.err"; failed+=("predict-$name"); }
}
if [ -f "$tmp/model_cuda.pt" ]; then
  predict all_cuda "$GPU" --tfs "$S/tfs.txt" --batch 4096 --threads 4
  predict all_cuda256 "$GPU" --tfs "$S/tfs.txt" --threads 4
  predict all_cpu cpu --tfs "$S/tfs.txt" --threads "$(nproc)"
  tail -n +2 "$S/pairs.tsv" | cut -f2 | sort -u | head -n 100 > "$tmp/targets100.txt"
  predict all_cpu1 cpu --tfs "$S/tfs.txt" --threads 1 --targets "$tmp/targets100.txt"
  step "1,000 pairs scored on CPU and on CUDA"
  tail -n +2 "$tmp/all_cpu.tsv" 2> /dev/null | awk 'NR % 10 == 3 && c < 1000 {print $1 "\t" $2; c++}' > "$tmp/sub.tsv"
  predict sub_cpu cpu --pairs "$tmp/sub.tsv" --threads "$(nproc)"
  predict sub_cuda "$GPU" --pairs "$tmp/sub.tsv" --threads 4
  predict sub_cuda_plain "$GPU" --pairs "$tmp/sub.tsv" --threads 4 --no-cache
fi

step "summary"
$PY - "$tmp" "$(nproc)" <<'PY' || failed+=(comparison)
import csv, json, sys
t, n = sys.argv[1], int(sys.argv[2])
def js(name):
    try:
        text = open(f"{t}/{name}.json").read().strip() or open(f"{t}/{name}.err").read().strip()
        return json.loads(text.splitlines()[-1])
    except Exception:
        return None
def scores(name):
    try:
        return {(r[0], r[1]): float(r[2]) for r in csv.reader(open(f"{t}/{name}.tsv"), delimiter="\t") if r and r[0] != "tf"}
    except OSError:
        return {}
ok = True
for dev, label in (("cuda", "CUDA, 2 epochs"), ("cpu", f"CPU x {n} threads, 1 epoch")):
    j = js(f"train_{dev}")
    print(f"training   {label:28s}: " + (f"{j['train_pairs_per_s']:9.1f} pairs/s" if j else "failed"))
for name, label in (("all_cuda", "CUDA, cached, batch 4096"), ("all_cuda256", "CUDA, cached, batch 256"),
                    ("all_cpu", f"CPU x {n} threads, cached"), ("all_cpu1", "CPU x 1 thread, cached")):
    j = js(name)
    print(f"prediction {label:28s}: " + (f"{j['pairs_per_s']:9.1f} pairs/s ({j['pairs']} pairs)" if j else "failed"))
cpu = scores("sub_cpu")
for name in ("sub_cuda", "sub_cuda_plain"):
    g = scores(name)
    common = [k for k in cpu if k in g]
    if len(common) < 1000 or len(g) != len(cpu):
        print(f"{name}: {len(common)} pairs in common with the CPU's {len(cpu)}: FAIL"); ok = False; continue
    d = max(abs(cpu[k] - g[k]) for k in common)
    print(f"max |CPU - CUDA| over {len(common)} pairs ({'cached' if name == 'sub_cuda' else 'plain pass'}): {d:.2e}  "
          + ("ok (<= 1e-4)" if d <= 1e-4 else "FAIL (> 1e-4)"))
    ok = ok and d <= 1e-4
sys.exit(0 if ok else 1)
PY
echo "total $(( $(date +%s) - t0 )) s"
if [ ${#failed[@]} -gt 0 ]; then echo "check-cuda: FAILED: ${failed[*]}"; exit 1; fi
echo "check-cuda: all passed"
