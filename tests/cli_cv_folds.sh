#!/bin/bash
# drim-cv --fold i runs one fold; drim-cv merge of all folds writes what the single run writes:
# scores.tsv and per_tf.tsv byte for byte, report.json equal but for wall times. A missing, repeated
# or foreign fold is an error. Usage: tests/cli_cv_folds.sh BUILD_DIR DEMO_DIR
set -u
B=$1 D=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
. "$(dirname "$0")/cli_lib.sh"
head -n 241 "$D/pairs.tsv" > "$d/pairs.tsv"
cv=("$B/drim-cv" --expr "$D/expression.h5ad" --pairs "$d/pairs.tsv" --folds 3 --epochs 1 --neighbors 1 --seed 5 --threads 1 --quiet
    --pretrain-pairs 64)
run 0 "" "${cv[@]}" --out "$d/whole"
for f in 0 1 2; do run 0 "" "${cv[@]}" --fold "$f" --out "$d/parts"; done
[ -s "$d/parts/fold-2.json" ] || fail "no part written for fold 2"
[ ! -e "$d/parts/report.json" ] || fail "a fold run wrote a report"
run 0 "" "$B/drim-cv" merge "$d/parts" --out "$d/merged"
for f in scores.tsv per_tf.tsv; do
  cmp -s "$d/whole/$f" "$d/merged/$f" || fail "merged $f differs from the single run: $(diff "$d/whole/$f" "$d/merged/$f" | head -3)"
done
# Equal reports but for wall times (python3 from the system, which has json).
same_report() {
  command -v /usr/bin/python3 > /dev/null || return 0
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
def strip(x):  # wall times differ between runs; everything else must not
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in ("seconds", "train_seconds", "pairs_per_s")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
}
same_report "$d/whole/report.json" "$d/merged/report.json" || fail "merged report.json differs beyond wall times"
run 1 "fold(s) 1 of 3 missing" "$B/drim-cv" merge "$d/parts/fold-0.json" "$d/parts/fold-2.json" --out "$d/m2"
[ ! -e "$d/m2/report.json" ] || fail "an incomplete merge wrote a report"
cp "$d/parts/fold-1.json" "$d/again.json"
run 1 "fold 1 is given twice" "$B/drim-cv" merge "$d/parts" "$d/again.json" --out "$d/m3"
run 0 "" "${cv[@]}" --fold 1 --lr 0.002 --out "$d/other"
run 1 "another run" "$B/drim-cv" merge "$d/parts/fold-0.json" "$d/other/fold-1.json" "$d/parts/fold-2.json" --out "$d/m4"
run 1 "3 folds (0..2)" "${cv[@]}" --fold 3 --out "$d/bad"
# With --prior in-degree each fold's refit of the output layer on its validation TFs is in its
# part and comes back through the merge.
run 0 "" "${cv[@]}" --prior in-degree --out "$d/pwhole"
grep -q "output layer refit on each fold's validation TFs" "$d/stdout" || fail "the table does not say the output layer was refit"
for f in 0 1 2; do run 0 "" "${cv[@]}" --prior in-degree --fold "$f" --out "$d/pparts"; done
run 0 "" "$B/drim-cv" merge "$d/pparts" --out "$d/pmerged"
cmp -s "$d/pwhole/scores.tsv" "$d/pmerged/scores.tsv" || fail "merged scores with a prior differ from the single run"
[ "$(grep -c '"image_scale"' "$d/pwhole/report.json")" -eq 3 ] || fail "report.json lacks a fold's prior calibration"
same_report "$d/pwhole/report.json" "$d/pmerged/report.json" || fail "merged report.json with a prior differs beyond wall times"
# --split target: no in-degree baseline (test targets have none in training), and the report says which split.
run 0 "" "${cv[@]}" --split target --out "$d/target"
grep -q "in_degree: not available under split target" "$d/stdout" || fail "--split target printed an in-degree row: $(cat "$d/stdout")"
grep -q '"split": "target"' "$d/target/report.json" || fail "report.json does not name the split"
! grep -q "in_degree" "$d/target/scores.tsv" || fail "scores.tsv has in-degree scores under --split target"
run 2 "goes with --split tf only" "${cv[@]}" --split both --fold-file "$d/pairs.tsv" --out "$d/x"
echo "cli_cv_folds: all checks passed"
