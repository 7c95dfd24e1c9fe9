#!/usr/bin/env bash
# Issue #20's speed target: a 10,000-cell spatial .h5ad with 2,000 genes read into 32 x 32 maps
# (drim-maps: read X and obsm['spatial'], bin, smooth, write) in under 10 s.
# Usage: bash scripts/bench-spatial.sh [cells (default 10000)] [genes (default 2000)]
set -euo pipefail
cd "$(dirname "$0")/.."
CELLS=${1:-10000}; GENES=${2:-2000}
[ -x build/drim-maps ] || bash scripts/build.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "BLAS: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-native} (not used by binning); $(nproc) threads"
build/drim-simulate spatial --genes "$GENES" --tfs 100 --cells "$CELLS" --domains 5 --seed 1 --out "$tmp/sp" --quiet > /dev/null
echo "input: $(du -h "$tmp/sp/expression.h5ad" | cut -f1) .h5ad, $GENES genes x $CELLS cells (dense float64 X)"
for t in 1 "$(nproc)"; do
  s=$(date +%s.%N)
  build/drim-maps --expr "$tmp/sp/expression.h5ad" --spatial-bins 32 --smooth 1 --threads "$t" --out "$tmp/maps.h5" --quiet > "$tmp/j"
  e=$(date +%s.%N)
  /usr/bin/python3 -c "import sys; w = float(sys.argv[2]) - float(sys.argv[1]); print(f'drim-maps, {sys.argv[3]} thread(s): {w:5.2f} s wall = {w / 10:4.2f}x the 10 s budget')" "$s" "$e" "$t"
done
