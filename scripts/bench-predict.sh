#!/usr/bin/env bash
# Prediction and training speed on ../shared/data/beeline/mESC, side by side in one run:
#  - cached prediction with frozen towers (normalisation folded, oneDNN layout; the default) against
#    the cached path with the towers run as modules (--module-towers, the path before) on one
#    thread, then the frozen path on every thread (scaling), and the plain pass (--no-cache);
#  - the scores of the three paths against each other;
#  - the machine's fp32 matrix-product rate on one thread (numpy/OpenBLAS), and the ceiling it
#    puts on a tower pass (48.6 MFLOP per pair);
#  - on a CPU with AVX-512 BF16 or AMX, the frozen path in bfloat16 (--precision bf16) on one and
#    on all threads, its largest score difference from fp32 and the ranking's Spearman correlation;
#  - training pairs/s per thread, next to the Python reference's ~11.6 pairs/s per thread.
# Usage: bash scripts/bench-predict.sh [n_tfs_cached (default 100; 0 = all 627)] [n_pairs_nocache (default 400)]
#   env: BUILD (default build), DATA (default ../shared/data/beeline/mESC), QUICK=1 skips the
#   training lines and the module-tower run (for short GPU-machine leases); PYTHON (default
#   /usr/bin/python3, with numpy).
set -euo pipefail
cd "$(dirname "$0")/.."
D=${DATA:-../shared/data/beeline/mESC}; B=${BUILD:-build}; PY=${PYTHON:-/usr/bin/python3}
NTF=${1:-100}; NNC=${2:-400}; ALL=$(nproc)
[ -x "$B/drim-predict" ] || bash scripts/build.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
BF16=0; grep -qw -E 'avx512_bf16|amx_bf16' /proc/cpuinfo && BF16=1
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $ALL threads; bf16 kernels: $([ $BF16 = 1 ] && echo yes || echo no)"
echo "BLAS: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-native}; oneDNN: $(ldd "$B/drim-predict" | grep -o 'libdnnl[^ ]*' | head -1 || echo "none linked (inside libtorch_cpu)")"
zcat "$D/TFs.txt.gz" > "$tmp/tfs_all.txt"
if [ "$NTF" -gt 0 ]; then head -n "$NTF" "$tmp/tfs_all.txt" > "$tmp/tfs.txt"; else cp "$tmp/tfs_all.txt" "$tmp/tfs.txt"; fi
# A model of the default architecture (one short epoch: speed does not depend on the weights).
zcat "$D/refNetwork.csv.gz" | awk -F, 'NR > 1 && NR % 50 == 0 {print $1 "\t" $2 "\t1"}' > "$tmp/pos.tsv"
zcat "$D/refNetwork.csv.gz" | awk -F, 'NR > 1 && NR % 50 == 0 {print $1}' | paste - <(zcat "$D/ExpressionData.csv.gz" | awk -F, 'NR > 1 {print $1}' | shuf -n "$(wc -l < "$tmp/pos.tsv")" --random-source=<(yes)) | awk 'NR == FNR {pos[$1 FS $2] = 1; next} !(($1 FS $2) in pos) {print $1 "\t" $2 "\t0"}' "$tmp/pos.tsv" - > "$tmp/neg.tsv"
cat "$tmp/pos.tsv" "$tmp/neg.tsv" > "$tmp/train.tsv"
echo "== training: $(wc -l < "$tmp/train.tsv") labelled mESC pairs, 1 epoch each =="
if [ -n "${QUICK:-}" ]; then  # only the model: on a GPU when there is one
  "$B/drim-train" --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/train.tsv" --skip-missing --out "$tmp/model.pt" \
    --epochs 1 --val-fraction 0 --device auto --quiet > /dev/null 2>&1
else
  for t in 1 "$ALL"; do
    "$B/drim-train" --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/train.tsv" --skip-missing --out "$tmp/model.pt" \
      --epochs 1 --val-fraction 0 --device cpu --threads "$t" --quiet > "$tmp/train_$t.json" 2> /dev/null
  done
fi
echo "== prediction: $(wc -l < "$tmp/tfs.txt") TFs x all genes (cached), $NNC of those pairs uncached =="
predict() { "$B/drim-predict" --model "$tmp/model.pt" --expr "$D/ExpressionData.csv.gz" --device cpu --quiet "$@"; }
[ -n "${QUICK:-}" ] || predict --tfs "$tmp/tfs.txt" --threads 1 --module-towers --out "$tmp/module.tsv" > "$tmp/module.json" 2>&1
predict --tfs "$tmp/tfs.txt" --threads 1 --out "$tmp/frozen.tsv" > "$tmp/frozen.json" 2>&1
predict --tfs "$tmp/tfs.txt" --threads "$ALL" --out "$tmp/frozen_all.tsv" > "$tmp/frozen_all.json" 2>&1
if [ $BF16 = 1 ]; then
  if ! { predict --tfs "$tmp/tfs.txt" --threads 1 --precision bf16 --out "$tmp/bf16.tsv" > "$tmp/bf16.json" 2>&1 &&
          predict --tfs "$tmp/tfs.txt" --threads "$ALL" --precision bf16 --out "$tmp/bf16_all.tsv" > "$tmp/bf16_all.json" 2>&1; }; then
    echo "bf16 prediction failed:"; tail -n 3 "$tmp"/bf16*.json; rm -f "$tmp"/bf16*.json
  fi
fi
tail -n +2 "$tmp/frozen.tsv" | awk -v n="$NNC" 'NR % 97 == 1 && c < n {print $1 "\t" $2; c++}' > "$tmp/sub.tsv"
predict --pairs "$tmp/sub.tsv" --no-cache --threads 1 --out "$tmp/nocache.tsv" > "$tmp/nocache.json" 2>&1
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" -c '
import time, numpy as np
x = np.random.rand(2048, 2048).astype(np.float32); y = np.random.rand(2048, 2048).astype(np.float32)
x @ y; s = time.time()
for _ in range(5): x @ y
print(2 * 2048**3 / ((time.time() - s) / 5) / 1e9)' > "$tmp/gflops"
"$PY" - "$tmp" "$ALL" <<'PY'
import json, os, sys, csv
t, n = sys.argv[1], int(sys.argv[2])
have = lambda f: os.path.exists(f"{t}/{f}")
last = lambda f: json.loads([l for l in open(f"{t}/{f}") if l.startswith("{")][-1])
if have("train_1.json"):
    one = json.load(open(f"{t}/train_1.json"))
    print(f"training, 1 thread      : {one['train_pairs_per_s']:8.1f} pairs/s  = {one['train_pairs_per_s']/11.6:4.2f}x the Python reference per thread (11.6)")
if have(f"train_{n}.json"):
    alln = json.load(open(f"{t}/train_{n}.json"))
    print(f"training, {n} threads     : {alln['train_pairs_per_s']:8.1f} pairs/s  = {alln['train_pairs_per_s']/n:6.1f} pairs/s per thread")
f, fa, nc = last("frozen.json"), last("frozen_all.json"), last("nocache.json")
print(f"predict --no-cache, 1 thread       : {nc['pairs_per_s']:8.1f} pairs/s  ({nc['pairs']} pairs)")
if have("module.json"):
    m = last("module.json")
    print(f"predict cached, module towers, 1 t : {m['pairs_per_s']:8.1f} pairs/s  ({m['pairs']} pairs, {m['seconds']:.0f} s)")
vs_module = f" = {f['pairs_per_s']/m['pairs_per_s']:4.2f}x module towers," if have("module.json") else ""
print(f"predict cached, frozen towers, 1 t : {f['pairs_per_s']:8.1f} pairs/s  ({f['pairs']} pairs, {f['seconds']:.0f} s) {vs_module} {f['pairs_per_s']/nc['pairs_per_s']:5.1f}x no cache")
print(f"predict cached, frozen towers, {n} t : {fa['pairs_per_s']:8.1f} pairs/s  ({fa['seconds']:.0f} s)  = {fa['pairs_per_s']/n:6.1f} per thread, scaling {fa['pairs_per_s']/f['pairs_per_s']:4.2f}x on {n} threads")
read = lambda name: {(r[0], r[1]): float(r[2]) for r in csv.reader(open(f"{t}/{name}"), delimiter="\t") if r[0] != "tf"}
b, ball, c = read("frozen.tsv"), read("frozen_all.tsv"), read("nocache.tsv")
keys = list(b)
if have("module.tsv"):
    a = read("module.tsv")
    print(f"max |frozen - module towers| over {len(keys)} pairs: {max(abs(a[k] - b[k]) for k in keys):.2e}")
print(f"max |frozen 1 thread - {n} threads| over {len(keys)} pairs: {max(abs(b[k] - ball[k]) for k in keys):.2e}")
print(f"max |frozen - no cache| over {len(c)} pairs: {max(abs(b[k] - c[k]) for k in c):.2e}")
if have("bf16.json"):
    h, ha = last("bf16.json"), last("bf16_all.json")
    print(f"predict cached, bf16 towers, 1 t   : {h['pairs_per_s']:8.1f} pairs/s  ({h['seconds']:.0f} s)  = {h['pairs_per_s']/f['pairs_per_s']:4.2f}x fp32 frozen")
    print(f"predict cached, bf16 towers, {n} t : {ha['pairs_per_s']:8.1f} pairs/s  ({ha['seconds']:.0f} s)  = {ha['pairs_per_s']/n:6.1f} per thread, {ha['pairs_per_s']/fa['pairs_per_s']:4.2f}x fp32 on {n} threads")
    hb = read("bf16.tsv")
    d = max(abs(hb[k] - b[k]) for k in keys)
    def ranks(v):
        order = sorted(range(len(v)), key=v.__getitem__)
        r = [0.0] * len(v)
        i = 0
        while i < len(order):  # average ranks for ties
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for q in range(i, j + 1):
                r[order[q]] = (i + j) / 2
            i = j + 1
        return r
    x, y = ranks([b[k] for k in keys]), ranks([hb[k] for k in keys])
    mx, my = sum(x) / len(x), sum(y) / len(y)
    rho = sum((p - mx) * (q - my) for p, q in zip(x, y)) / (sum((p - mx) ** 2 for p in x) * sum((q - my) ** 2 for q in y)) ** 0.5
    ok = d <= 1e-3 and rho >= 0.999
    print(f"bf16 against fp32 over {len(keys)} pairs: max |score difference| {d:.2e}, Spearman {rho:.5f}  "
          f"({'within' if ok else 'OUTSIDE'} the bar: <= 1e-3 and >= 0.999)")
gf = float(open(f"{t}/gflops").read())
print(f"fp32 matrix product (numpy/OpenBLAS, 2048^3, 1 thread): {gf:.0f} GFLOP/s; at that rate one 48.6 MFLOP tower pass "
      f"per pair caps prediction near {gf * 1e9 / 48.6e6:.0f} pairs/s; frozen cached path here: {f['pairs_per_s'] * 48.6e6 / 1e9:.0f} GFLOP/s of tower work per thread")
PY
