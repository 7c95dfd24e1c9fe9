#!/bin/sh
# drim-network from the command line: exit codes, messages, and no output left behind on error.
# Usage: tests/cli_network.sh PATH/TO/drim-network
set -u
bin=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {  # expect CODE MESSAGE-FRAGMENT ARGS...
  code=$1 frag=$2
  shift 2
  "$bin" "$@" > "$d/stdout" 2> "$d/stderr"
  rc=$?
  [ "$rc" -eq "$code" ] || fail "drim-network $* exited $rc, expected $code: $(cat "$d/stderr")"
  grep -q -- "$frag" "$d/stderr" || fail "drim-network $*: '$frag' not in: $(cat "$d/stderr")"
}
printf 'tf\ttarget\tscore\nT1\tX\t0.9\nT1\tY\tabc\n' > "$d/bad.tsv"
printf 'T1\tX\t0.9\nT2\tX\t0.8\nT1\tX\t0.7\n' > "$d/dup.tsv"
printf 'T1\tX\t0.2\nT2\tX\t0.1\n' > "$d/low.tsv"
printf 'T1\tX\t0.9\nT2\tX\t0.8\nT2\tY\t0.6\n' > "$d/ok.tsv"
expect 2 "edge list" --out "$d/o1"
expect 2 "no-such" "$d/ok.tsv" --out "$d/o1" --no-such
expect 1 "bad.tsv line 3" "$d/bad.tsv" --out "$d/o2"
expect 1 "more than once" "$d/dup.tsv" --out "$d/o3"
expect 1 "no edge is left" "$d/low.tsv" --out "$d/o4"
for o in o2 o3 o4; do
  [ -z "$(ls -A "$d/$o" 2>/dev/null)" ] || fail "output left in $o after an error: $(ls -A "$d/$o")"
done
expect 0 "wrote" "$d/ok.tsv" --out "$d/o5"
[ "$(wc -l < "$d/o5/edges.tsv")" -eq 4 ] || fail "edges.tsv should hold a header and 3 edges"
expect 2 "already exists" "$d/ok.tsv" --out "$d/o5"
expect 0 "wrote" "$d/ok.tsv" --out "$d/o5" --force
cp "$d/ok.tsv" "$d/o5/edges.tsv"
expect 2 "is the input" "$d/o5/edges.tsv" --out "$d/o5" --force  # --force never replaces an input
expect 0 "only in" compare "$d/ok.tsv" "$d/low.tsv" --min-score 0 --out "$d/o6"
[ -s "$d/o6/pagerank_B_vs_A.rnk" ] || fail "compare wrote no .rnk"
expect 2 "different names" compare "$d/ok.tsv" "$d/ok.tsv" --names X,X --out "$d/o7"
echo "cli_network: all checks passed"
