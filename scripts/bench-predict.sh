#!/usr/bin/env bash
# Prediction and training speed on ../shared/data/beeline/mESC, side by side in one run:
#  - cached prediction with frozen towers (normalisation folded, oneDNN layout; the default) against
#    the cached path with the towers run as modules (--module-towers, the path before) on one
#    thread, then the frozen path on every thread (scaling), and the plain pass (--no-cache);
#  - the scores of the three paths against each other;
#  - the machine's fp32 matrix-product rate on one thread (numpy/OpenBLAS), and the ceiling it
#    puts on a tower pass (48.6 MFLOP per pair);
#  - training pairs/s per thread, next to the Python reference's ~11.6 pairs/s per thread.
# Usage: bash scripts/bench-predict.sh [n_tfs_cached (default 100; 0 = all 627)] [n_pairs_nocache (default 400)]
set -euo pipefail
cd "$(dirname "$0")/.."
D=../shared/data/beeline/mESC
NTF=${1:-100}; NNC=${2:-400}; ALL=$(nproc)
[ -x build/drim-predict ] || bash scripts/build.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "BLAS: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-native}; oneDNN: $(ldd build/drim-predict | grep -o 'libdnnl[^ ]*' | head -1 || echo none)"
zcat "$D/TFs.txt.gz" > "$tmp/tfs_all.txt"
if [ "$NTF" -gt 0 ]; then head -n "$NTF" "$tmp/tfs_all.txt" > "$tmp/tfs.txt"; else cp "$tmp/tfs_all.txt" "$tmp/tfs.txt"; fi
# A model of the default architecture (one short epoch: speed does not depend on the weights).
zcat "$D/refNetwork.csv.gz" | awk -F, 'NR > 1 && NR % 50 == 0 {print $1 "\t" $2 "\t1"}' > "$tmp/pos.tsv"
zcat "$D/refNetwork.csv.gz" | awk -F, 'NR > 1 && NR % 50 == 0 {print $1}' | paste - <(zcat "$D/ExpressionData.csv.gz" | awk -F, 'NR > 1 {print $1}' | shuf -n "$(wc -l < "$tmp/pos.tsv")" --random-source=<(yes)) | awk 'NR == FNR {pos[$1 FS $2] = 1; next} !(($1 FS $2) in pos) {print $1 "\t" $2 "\t0"}' "$tmp/pos.tsv" - > "$tmp/neg.tsv"
cat "$tmp/pos.tsv" "$tmp/neg.tsv" > "$tmp/train.tsv"
echo "== training: $(wc -l < "$tmp/train.tsv") labelled mESC pairs, 1 epoch each =="
for t in 1 "$ALL"; do
  build/drim-train --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/train.tsv" --skip-missing --out "$tmp/model.pt" \
    --epochs 1 --val-fraction 0 --threads "$t" --quiet > "$tmp/train_$t.json" 2> /dev/null
done
echo "== prediction: $(wc -l < "$tmp/tfs.txt") TFs x all genes (cached), $NNC of those pairs uncached =="
predict() { build/drim-predict --model "$tmp/model.pt" --expr "$D/ExpressionData.csv.gz" --quiet "$@"; }
predict --tfs "$tmp/tfs.txt" --threads 1 --module-towers --out "$tmp/module.tsv" > "$tmp/module.json" 2>&1
predict --tfs "$tmp/tfs.txt" --threads 1 --out "$tmp/frozen.tsv" > "$tmp/frozen.json" 2>&1
predict --tfs "$tmp/tfs.txt" --threads "$ALL" --out "$tmp/frozen_all.tsv" > "$tmp/frozen_all.json" 2>&1
tail -n +2 "$tmp/frozen.tsv" | awk -v n="$NNC" 'NR % 97 == 1 && c < n {print $1 "\t" $2; c++}' > "$tmp/sub.tsv"
predict --pairs "$tmp/sub.tsv" --no-cache --threads 1 --out "$tmp/nocache.tsv" > "$tmp/nocache.json" 2>&1
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 -c '
import time, numpy as np
x = np.random.rand(2048, 2048).astype(np.float32); y = np.random.rand(2048, 2048).astype(np.float32)
x @ y; s = time.time()
for _ in range(5): x @ y
print(2 * 2048**3 / ((time.time() - s) / 5) / 1e9)' > "$tmp/gflops"
/usr/bin/python3 - "$tmp" "$ALL" <<'PY'
import json, sys, csv
t, n = sys.argv[1], int(sys.argv[2])
last = lambda f: json.loads([l for l in open(f"{t}/{f}") if l.startswith("{")][-1])
one = json.load(open(f"{t}/train_1.json")); alln = json.load(open(f"{t}/train_{n}.json"))
print(f"training, 1 thread      : {one['train_pairs_per_s']:8.1f} pairs/s  = {one['train_pairs_per_s']/11.6:4.2f}x the Python reference per thread (11.6)")
print(f"training, {n} threads     : {alln['train_pairs_per_s']:8.1f} pairs/s  = {alln['train_pairs_per_s']/n:6.1f} pairs/s per thread")
m, f, fa, nc = last("module.json"), last("frozen.json"), last("frozen_all.json"), last("nocache.json")
print(f"predict --no-cache, 1 thread       : {nc['pairs_per_s']:8.1f} pairs/s  ({nc['pairs']} pairs)")
print(f"predict cached, module towers, 1 t : {m['pairs_per_s']:8.1f} pairs/s  ({m['pairs']} pairs, {m['seconds']:.0f} s)")
print(f"predict cached, frozen towers, 1 t : {f['pairs_per_s']:8.1f} pairs/s  ({f['seconds']:.0f} s)  = {f['pairs_per_s']/m['pairs_per_s']:4.2f}x module towers, {f['pairs_per_s']/nc['pairs_per_s']:5.1f}x no cache")
print(f"predict cached, frozen towers, {n} t : {fa['pairs_per_s']:8.1f} pairs/s  ({fa['seconds']:.0f} s)  = {fa['pairs_per_s']/n:6.1f} per thread, scaling {fa['pairs_per_s']/f['pairs_per_s']:4.2f}x on {n} threads")
read = lambda name: {(r[0], r[1]): float(r[2]) for r in csv.reader(open(f"{t}/{name}"), delimiter="\t") if r[0] != "tf"}
a, b, ball, c = read("module.tsv"), read("frozen.tsv"), read("frozen_all.tsv"), read("nocache.tsv")
keys = list(a)
print(f"max |frozen - module towers| over {len(keys)} pairs: {max(abs(a[k] - b[k]) for k in keys):.2e}; "
      f"frozen 1 vs {n} threads: {max(abs(b[k] - ball[k]) for k in keys):.2e}")
print(f"max |frozen - no cache| over {len(c)} pairs: {max(abs(b[k] - c[k]) for k in c):.2e}")
gf = float(open(f"{t}/gflops").read())
print(f"fp32 matrix product (numpy/OpenBLAS, 2048^3, 1 thread): {gf:.0f} GFLOP/s; at that rate one 48.6 MFLOP tower pass "
      f"per pair caps prediction near {gf * 1e9 / 48.6e6:.0f} pairs/s; frozen cached path here: {f['pairs_per_s'] * 48.6e6 / 1e9:.0f} GFLOP/s of tower work per thread")
PY
