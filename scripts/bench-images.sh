#!/usr/bin/env bash
# Image throughput, side by side in one run on the same pairs of ../shared/data/beeline/mESC:
# the numpy reference recipe, drim on 1 thread and on all threads, and the ratios. Then the peak
# memory and time of neighbour ranking on a synthetic 20,000 genes x 5,000 cells matrix.
# Usage: bash scripts/bench-images.sh [n_pairs (default 20000)] [big genes] [big cells]
set -euo pipefail
cd "$(dirname "$0")/.."
D=../shared/data/beeline/mESC
N=${1:-20000}; BG=${2:-20000}; BC=${3:-5000}
[ -x build/drim-images ] || bash scripts/build.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# All TFs x all genes, deterministic subset of N pairs.
/usr/bin/python3 - "$D" "$N" "$tmp/pairs.tsv" <<'PY'
import gzip, sys
d, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
genes = [l.split(",")[0] for l in gzip.open(f"{d}/ExpressionData.csv.gz", "rt")][1:]
tfs = sorted({l.strip() for l in gzip.open(f"{d}/TFs.txt.gz", "rt")} & set(genes))
pairs = [(a, b) for a in tfs for b in genes]
step = max(1, len(pairs) // n)
with open(out, "w") as f:
    for a, b in pairs[::step][:n]:
        f.write(f"{a}\t{b}\n")
PY
NREF=$(( N < 2000 ? N : 2000 ))
head -n "$NREF" "$tmp/pairs.tsv" > "$tmp/ref_pairs.tsv"
echo "== images: $D, $N pairs (numpy reference on the first $NREF) =="
ref=$(/usr/bin/python3 scripts/reference_images.py bench --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/ref_pairs.tsv")
one=$(build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/one.h5" --threads 1 --quiet)
all=$(build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/all.h5" --quiet)
nc=$(build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/nc.h5" --compression 0 --quiet)
/usr/bin/python3 - "$ref" "$one" "$all" "$nc" <<'PY'
import json, sys
ref, one, allt, nc = (json.loads(s) for s in sys.argv[1:])
r = ref["image_pairs_per_s"]
print(f"numpy reference            : {r:10.1f} pairs/s (1 thread)")
print(f"drim images, 1 thread      : {one['image_pairs_per_s']:10.1f} pairs/s  = {one['image_pairs_per_s']/r:6.1f}x numpy per thread")
print(f"drim images, {allt['threads']} threads     : {allt['image_pairs_per_s']:10.1f} pairs/s  = {allt['image_pairs_per_s']/r:6.1f}x numpy")
print(f"drim end to end, gzip 1    : {allt['pairs_per_s']:10.1f} pairs/s  (read, images, compress, write HDF5)")
print(f"drim end to end, no gzip   : {nc['pairs_per_s']:10.1f} pairs/s")
PY
echo "== neighbour ranking: synthetic ${BG} genes x ${BC} cells =="
/usr/bin/python3 scripts/make_big_h5.py "$BG" "$BC" "$tmp/big.h5"
printf 'gene_1\tgene_2\n' > "$tmp/one_pair.tsv"
/usr/bin/time -v build/drim-images --expr "$tmp/big.h5" --dataset /X --pairs "$tmp/one_pair.tsv" --out "$tmp/big_out.h5" --quiet \
  > "$tmp/big.json" 2> "$tmp/big.time"
peak_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/big.time")
/usr/bin/python3 - "$tmp/big.json" "$peak_kb" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); kb = int(sys.argv[2])
print(f"bin codes + top-10 neighbours: {s['prepare_seconds']:.1f} s; peak memory of the whole run {kb/1024/1024:.2f} GiB")
PY
