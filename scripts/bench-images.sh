#!/usr/bin/env bash
# Image throughput, side by side in one run on the same pairs of ../shared/data/beeline/mESC:
# the numpy reference recipe, drim on 1 thread and on all threads (images only, and end to end
# storing pixels or counts), and the ratios. Then the peak
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
echo "CPU: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //"); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} (neighbour ranking: OpenBLAS GEMM; images use no BLAS)"
ref=$(/usr/bin/python3 scripts/reference_images.py bench --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/ref_pairs.tsv")
wall() { local t0 t1 out; t0=$(date +%s.%N); out=$("$@"); t1=$(date +%s.%N)
  /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["wall_seconds"]=float(sys.argv[3])-float(sys.argv[2]); print(json.dumps(d))' "$out" "$t0" "$t1"; }
one=$(wall build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/one.h5" --threads 1 --quiet)
all=$(wall build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/all.h5" --quiet)
nc=$(wall build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/nc.h5" --compression 0 --quiet)
c1=$(wall build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/c1.h5" --store counts --threads 1 --quiet)
call=$(wall build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/call.h5" --store counts --quiet)
sizes="$(stat -c %s "$tmp/all.h5") $(stat -c %s "$tmp/nc.h5") $(stat -c %s "$tmp/call.h5")"
/usr/bin/python3 - "$ref" "$one" "$all" "$nc" "$c1" "$call" "$N" $sizes "$tmp/all.h5" "$tmp/call.h5" <<'PY'
import json, sys
import h5py, numpy as np
ref, one, allt, nc, c1, call = (json.loads(s) for s in sys.argv[1:7])
n = int(sys.argv[7]); kb = [int(x) / n / 1024 for x in sys.argv[8:11]]
r = ref["image_pairs_per_s"]
t = allt["threads"]
def row(name, s, threads, key="pairs_per_s"):
    v = s[key]
    line = f"{name:38s}: {v:10.1f} pairs/s = {v / threads / r:6.1f}x numpy per thread"
    if key == "pairs_per_s":
        w = s["pairs"] / s["wall_seconds"]
        line += f"; whole command {w:8.1f} pairs/s = {w / threads / r:5.1f}x"
    print(line)
print(f"numpy reference (images only)         : {r:10.1f} pairs/s (1 thread)")
row("images only, pixels, per thread", one, 1, "image_pairs_per_thread_s")
row("images only, counts, per thread", c1, 1, "image_pairs_per_thread_s")
print("end to end (images, shuffle + gzip 1, HDF5 write; 'whole command' adds reading the matrix and ranking neighbours):")
row("  --store pixels, 1 thread", one, 1)
row(f"  --store pixels, {t} threads", allt, t)
row(f"  --store pixels --compression 0, {t} thr", nc, t)
row("  --store counts, 1 thread", c1, 1)
row(f"  --store counts, {t} threads", call, t)
print(f"file size per pair: pixels gzip 1 {kb[0]:.1f} KiB, pixels no gzip {kb[1]:.1f} KiB, counts gzip 1 {kb[2]:.1f} KiB")
with h5py.File(sys.argv[11]) as a, h5py.File(sys.argv[12]) as b:
    lut = b["images"].attrs["pixel_lut"]
    same = np.array_equal(lut[b["images"][:500]], a["images"][:500])
print(f"counts decoded with pixel_lut equal the pixels (first 500 pairs): {same}")
best = max(one["pairs"] / one["wall_seconds"], c1["pairs"] / c1["wall_seconds"]) / r
print(f"target: whole command >= 20x numpy per thread: {'met' if best >= 20 else 'not met'} ({best:.1f}x, 1 thread)")
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
