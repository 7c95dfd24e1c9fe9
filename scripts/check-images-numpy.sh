#!/usr/bin/env bash
# Fixture cross-check: drim-images against the numpy recipe (numpy.histogram2d / np.cov) on a few
# hundred ChIP-seq pairs of ../shared/data/beeline/mESC, stored as pixels and as counts. Prints the
# max abs difference; fails if >= 1e-6.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-../shared/data/beeline/mESC}
N=${2:-300}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
zcat "$D/refNetwork.csv.gz" | awk -F, 'NR > 1 && NR % 97 == 0 {print $1 "\t" $2}' | head -n "$N" > "$tmp/pairs.tsv"
build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/images.h5" --skip-missing --quiet > "$tmp/summary.json"
build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/images.h5" --skip-missing --quiet --threads 1 > /dev/null
build/drim-images --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/pairs.tsv" --out "$tmp/counts.h5" --skip-missing --quiet --store counts > /dev/null
/usr/bin/python3 - "$tmp" <<'PY'
import sys, h5py
t = sys.argv[1]
with h5py.File(f"{t}/images.h5") as f, open(f"{t}/kept.tsv", "w") as out:
    for a, b in zip(f["tf"].asstr()[:], f["target"].asstr()[:]):
        out.write(f"{a}\t{b}\n")
PY
echo -n "numpy fixture check ($D, $(wc -l < "$tmp/kept.tsv") pairs): "
/usr/bin/python3 scripts/reference_images.py compare --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/kept.tsv" --images "$tmp/images.h5"
echo -n "numpy fixture check, --store counts decoded with pixel_lut: "
/usr/bin/python3 scripts/reference_images.py compare --expr "$D/ExpressionData.csv.gz" --pairs "$tmp/kept.tsv" --images "$tmp/counts.h5"
