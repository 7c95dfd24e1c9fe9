#!/bin/bash
# drim-train refuses labels it cannot learn from, and never prints a metric it did not compute.
# Usage: tests/cli_train.sh BUILD_DIR DEMO_DIR
set -u
B=$1 D=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {  # run CODE FRAGMENT CMD...
  local code=$1 frag=$2
  shift 2
  "$@" > "$d/stdout" 2> "$d/stderr"
  local rc=$?
  [ "$rc" -eq "$code" ] || fail "$* exited $rc, expected $code: $(cat "$d/stderr")"
  [ -z "$frag" ] || grep -q -- "$frag" "$d/stderr" || fail "$*: '$frag' not in: $(cat "$d/stderr")"
}
awk '$3 == 1' "$D/pairs.tsv" > "$d/positives.tsv"
run 1 "every pair is labelled 1" "$B/drim-train" --expr "$D/expression.h5ad" --pairs "$d/positives.tsv" --out "$d/m.pt"
{ head -3 "$d/positives.tsv"; head -1 "$d/positives.tsv" | awk '{print $1 "\t" $2 "\t0"}'; awk '$3 == 0' "$D/pairs.tsv" | head -5; } > "$d/conflict.tsv"
run 1 "labelled both 0 and 1" "$B/drim-train" --expr "$D/expression.h5ad" --pairs "$d/conflict.tsv" --out "$d/m.pt"
run 2 "give exactly one" "$B/drim-predict" --model "$d/m.pt" --expr "$D/expression.h5ad" --out "$d/e.tsv"
[ ! -e "$d/m.pt" ] || fail "a model was written"
# One TF: no validation set, so no validation metric is printed or reported.
tf=$(awk 'NR > 1 && $3 == 1 {print $1; exit}' "$D/pairs.tsv")
awk -v tf="$tf" '$1 == tf' "$D/pairs.tsv" > "$d/one.tsv"
run 0 "no validation set" "$B/drim-train" --expr "$D/expression.h5ad" --pairs "$d/one.tsv" --out "$d/m.pt" --epochs 1 \
  --neighbors 1 --threads 2
! grep -q "val_auroc" "$d/stderr" || fail "a validation metric was printed without a validation set: $(grep val_auroc "$d/stderr")"
grep -q '"val_auroc":null' "$d/stdout" || fail "the summary should give val_auroc null: $(cat "$d/stdout")"
echo "cli_train: all checks passed"
