#!/bin/bash
# Outputs never destroy data: --out equal to an input, symlinks, FIFOs, '-', Ctrl-C, and the
# edge list formats other tools read. Usage: tests/cli_outputs.sh BUILD_DIR DEMO_DIR
set -u
B=$1 D=$2
d=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$d"' EXIT
. "$(dirname "$0")/cli_lib.sh"
cp "$D/expression.h5ad" "$d/in.h5ad"
sum=$(cksum < "$d/in.h5ad")

# --out naming an input (another spelling, or a link to it) is refused before any work.
run 2 "is the input" "$B/drim-convert" --expr "$d/in.h5ad" --out "$d/./in.h5ad"
ln -s "$d/in.h5ad" "$d/link.h5ad"
run 2 "is the input" "$B/drim-convert" --expr "$d/link.h5ad" --out "$d/in.h5ad"
run 2 "is the input" "$B/drim-simulate" dropout --expr "$d/in.h5ad" --out "$d/link.h5ad"
[ "$(cksum < "$d/in.h5ad")" = "$sum" ] || fail "the input was modified"

# Binary outputs: '-' and FIFOs are refused; a symlink is written through and stays a link.
run 2 "cannot go to stdout" "$B/drim-images" --expr "$d/in.h5ad" --pairs "$D/pairs.tsv" --out -
[ ! -e ./- ] || fail "drim-images wrote a file named '-'"
mkfifo "$d/fifo"
run 2 "not a regular file" "$B/drim-convert" --expr "$d/in.h5ad" --out "$d/fifo"
touch "$d/real.h5ad"
ln -s "$d/real.h5ad" "$d/out-link.h5ad"
run 0 "" "$B/drim-convert" --expr "$d/in.h5ad" --out "$d/out-link.h5ad"
[ -L "$d/out-link.h5ad" ] || fail "the symlink given as --out was replaced by a file"
[ -s "$d/real.h5ad" ] || fail "the symlink's target was not written"

# Text outputs stream into a FIFO (no rename onto it).
printf 'tf\ttarget\tscore\nT1\tA\t0.9\nT2\tB\t0.5\n' > "$d/s0.tsv"
printf 'tf\ttarget\tscore\nT3\tA\t0.7\n' > "$d/s1.tsv"
cat "$d/fifo" > "$d/from-fifo" &
reader=$!
run 0 "" "$B/drim-merge" "$d/s0.tsv" "$d/s1.tsv" --out "$d/fifo"
wait $reader
[ -p "$d/fifo" ] || fail "the FIFO was replaced"
[ "$(wc -l < "$d/from-fifo")" -eq 4 ] || fail "the FIFO reader got $(wc -l < "$d/from-fifo") lines, expected 4"

# Formats: BEELINE's evaluator reads rankedEdges.csv tab-separated; pySCENIC's columns.
run 0 "" "$B/drim-merge" "$d/s0.tsv" "$d/s1.tsv" --format beeline --out "$d/ranked.csv"
[ "$(head -1 "$d/ranked.csv")" = "$(printf 'Gene1\tGene2\tEdgeWeight')" ] || fail "beeline header: $(head -1 "$d/ranked.csv")"
[ "$(sed -n 2p "$d/ranked.csv")" = "$(printf 'T1\tA\t0.9')" ] || fail "beeline row: $(sed -n 2p "$d/ranked.csv")"
run 0 "" "$B/drim-merge" "$d/s0.tsv" --format pyscenic --out "$d/adj.tsv"
[ "$(head -1 "$d/adj.tsv")" = "$(printf 'TF\ttarget\timportance')" ] || fail "pyscenic header: $(head -1 "$d/adj.tsv")"
run 0 "" "$B/drim-merge" "$d/ranked.csv" --out "$d/back.tsv"  # each format's header is read back
[ "$(wc -l < "$d/back.tsv")" -eq 4 ] || fail "merging a beeline file gave $(wc -l < "$d/back.tsv") lines, expected 4"

# drim-merge refuses the same shard twice, by name or by another spelling.
run 2 "given twice" "$B/drim-merge" "$d/s0.tsv" "$d/./s0.tsv" --out "$d/m.tsv"
cp "$d/s0.tsv" "$d/s0-copy.tsv"
run 1 "same shard given twice" "$B/drim-merge" "$d/s0.tsv" "$d/s0-copy.tsv" --out "$d/m.tsv"
[ ! -e "$d/m.tsv" ] || fail "a partial merge was left"

# --threads beyond the machine is capped with a warning.
run 0 "more than the" "$B/drim-convert" --expr "$d/in.h5ad" --out "$d/t.h5ad" --threads 100000

# SIGINT while writing: no output and no temporary file left.
awk 'NR > 1 {print $1 "\t" $2}' "$D/pairs.tsv" > "$d/p1.tsv"
for i in 1 2 3 4 5 6 7 8; do cat "$d/p1.tsv"; done > "$d/many.tsv"
"$B/drim-images" --expr "$d/in.h5ad" --pairs "$d/many.tsv" --neighbors 10 --threads 1 --out "$d/img.h5" 2> "$d/img.err" &
pid=$!
for _ in $(seq 1 100); do ls -a "$d" | grep -q '^\.img\.h5\.tmp-' && break; sleep 0.1; done
if kill -INT "$pid" 2>/dev/null; then
  wait "$pid"
  rc=$?
  [ "$rc" -eq 130 ] || fail "drim-images stopped by SIGINT exited $rc, expected 130"
  ! ls -a "$d" | grep -q 'tmp-' || fail "a temporary file was left after SIGINT: $(ls -a "$d" | grep tmp-)"
  [ ! -e "$d/img.h5" ] || fail "an output was left after SIGINT"
else
  echo "cli_outputs: drim-images finished before SIGINT; the signal check did not run" >&2
fi
echo "cli_outputs: all checks passed"
