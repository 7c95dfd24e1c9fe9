#!/usr/bin/env bash
# Prediction and training speed on ../shared/data/beeline/mESC, side by side in one run:
#  - reference-style prediction (--no-cache: every image of every pair through its tower) vs the
#    exact context cache, on the same TF x gene pairs (same model), and the ratio;
#  - training pairs/s per thread, next to the Python reference's ~11.6 pairs/s per thread
#    (same network in PyTorch with OpenBLAS on this machine, as the issue states).
# Usage: bash scripts/bench-predict.sh [n_tfs_cached (default: all)] [n_pairs_nocache (default 400)]
set -euo pipefail
cd "$(dirname "$0")/.."
D=../shared/data/beeline/mESC
NTF=${1:-0}; NNC=${2:-400}
[ -x build/drim-predict ] || bash scripts/build.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
zcat "$D/TFs.txt.gz" > "$tmp/tfs_all.txt"
if [ "$NTF" -gt 0 ]; then head -n "$NTF" "$tmp/tfs_all.txt" > "$tmp/tfs.txt"; else cp "$tmp/tfs_all.txt" "$tmp/tfs.txt"; fi
# A model with the reference architecture (one short epoch: speed does not depend on the weights).
zcat "$D/refNetwork.csv.gz" | awk -F, 'NR > 1 && NR % 50 == 0 {print $1 "\t" $2 "\t1"}' > "$tmp/pos.tsv"
zcat "$D/refNetwork.csv.gz" | awk -F, 'NR > 1 && NR % 50 == 0 {print $1}' | paste - <(zcat "$D/ExpressionData.csv.gz" | awk -F, 'NR > 1 {print $1}' | shuf -n "$(wc -l < "$tmp/pos.tsv")" --random-source=<(yes)) | awk '{print $1 "\t" $2 "\t0"}' > "$tmp/neg.tsv"
cat "$tmp/pos.tsv" "$tmp/neg.tsv" > "$tmp/train.tsv"
echo "== training: $(wc -l < "$tmp/train.tsv") labelled mESC pairs, 1 epoch each =="
for t in 1 $(nproc); do
  build/drim-train --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/train.tsv" --skip-missing --out "$tmp/model.pt" \
    --epochs 1 --val-fraction 0 --threads "$t" --quiet > "$tmp/train_$t.json"
done
echo "== prediction: $(wc -l < "$tmp/tfs.txt") TFs x all genes (cached), $NNC of those pairs uncached =="
build/drim-predict --model "$tmp/model.pt" --expr "$D/ExpressionData.csv.gz" --tfs "$tmp/tfs.txt" --out "$tmp/cached.tsv" --quiet 2> "$tmp/cached.json"
tail -n +2 "$tmp/cached.tsv" | awk -v n="$NNC" 'NR % 97 == 1 && c < n {print $1 "\t" $2; c++}' > "$tmp/sub.tsv"
build/drim-predict --model "$tmp/model.pt" --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/sub.tsv" --no-cache --out "$tmp/nocache.tsv" --quiet 2> "$tmp/nocache.json"
build/drim-predict --model "$tmp/model.pt" --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/sub.tsv" --out "$tmp/sub_cached.tsv" --quiet 2> /dev/null
/usr/bin/python3 - "$tmp" "$(nproc)" <<'PY'
import json, sys, csv
t, n = sys.argv[1], int(sys.argv[2])
one = json.load(open(f"{t}/train_1.json")); alln = json.load(open(f"{t}/train_{n}.json"))
print(f"training, 1 thread   : {one['train_pairs_per_s']:8.1f} pairs/s  = {one['train_pairs_per_s']/11.6:4.2f}x the Python reference per thread (11.6)")
print(f"training, {n} threads  : {alln['train_pairs_per_s']:8.1f} pairs/s  = {alln['train_pairs_per_s']/n:6.1f} pairs/s per thread")
c = json.loads(open(f"{t}/cached.json").read().strip().splitlines()[-1])
nc = json.loads(open(f"{t}/nocache.json").read().strip().splitlines()[-1])
print(f"predict --no-cache   : {nc['pairs_per_s']:8.1f} pairs/s  ({nc['pairs']} pairs)")
print(f"predict cached       : {c['pairs_per_s']:8.1f} pairs/s  ({c['pairs']} pairs, {c['seconds']:.0f} s)  = {c['pairs_per_s']/nc['pairs_per_s']:5.1f}x")
a = {(r[0], r[1]): float(r[2]) for r in csv.reader(open(f"{t}/nocache.tsv"), delimiter="\t") if r[0] != "tf"}
b = {(r[0], r[1]): float(r[2]) for r in csv.reader(open(f"{t}/sub_cached.tsv"), delimiter="\t") if r[0] != "tf"}
print(f"max |cached - uncached| over {len(a)} pairs: {max(abs(a[k] - b[k]) for k in a):.2e}")
PY
