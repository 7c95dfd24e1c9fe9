#!/usr/bin/env bash
# drim-network at scale: 10 million scored edges (1,000 TFs x 10,000 genes, the TFs among the
# targets, so betweenness walks a real directed graph) cut to the best 1 million, with every
# output (nodes.tsv with PageRank and betweenness, edges.tsv, GraphML, targets per TF).
# Prints wall time, peak memory, and where the time goes. Target: under 2 minutes and 2 GiB.
# Usage: bash scripts/bench-network.sh [WORK_DIR]   (default out/bench-network; EDGES_TFS, EDGES_GENES, TOP)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-out/bench-network}
TFS=${EDGES_TFS:-1000} GENES=${EDGES_GENES:-10000} TOP=${TOP:-1000000}
B=${BIN:-build}
[ -x "$B/drim-network" ] || bash scripts/build.sh
mkdir -p "$W"
IN=$W/edges_${TFS}x${GENES}.tsv
if [ ! -s "$IN" ]; then
  echo "writing $((TFS * GENES)) scored edges to $IN ..."
  awk -v tfs="$TFS" -v genes="$GENES" 'BEGIN {
    srand(1); print "tf\ttarget\tscore"
    for (t = 1; t <= tfs; t++) for (g = 1; g <= genes; g++)
      if (g != t) printf "TF%d\t%s%d\t%.6f\n", t, (g <= tfs ? "TF" : "G"), g, rand()
  }' > "$IN.tmp" && mv "$IN.tmp" "$IN"
fi
echo "input: $(($(wc -l < "$IN") - 1)) edges, $(du -h "$IN" | cut -f1); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} (igraph's centralities use no BLAS)"
/usr/bin/time -v "$B/drim-network" "$IN" --top "$TOP" --min-score 0 --out "$W/net" --force 2> "$W/log.txt" || { cat "$W/log.txt"; exit 1; }
grep -E "info" "$W/log.txt" | sed 's/^\[[0-9:]*\] info /  /'
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$W/log.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/log.txt")
secs=$(echo "$wall" | awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s}')
printf "drim-network: %s edges -> %s kept: wall %.1f s, peak %.0f MiB; target < 120 s and < 2048 MiB: %s\n" \
  "$((TFS * GENES))" "$TOP" "$secs" "$(awk -v r="$rss" 'BEGIN {print r / 1024}')" \
  "$(awk -v s="$secs" -v r="$rss" 'BEGIN {print (s < 120 && r < 2097152) ? "met" : "not met"}')"
