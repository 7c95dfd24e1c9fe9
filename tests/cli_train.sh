#!/bin/bash
# drim-train refuses labels it cannot learn from, and never prints a metric it did not compute.
# Usage: tests/cli_train.sh BUILD_DIR DEMO_DIR
set -u
B=$1 D=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
. "$(dirname "$0")/cli_lib.sh"
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
  --neighbors 1 --threads 2 --pretrain-pairs 0
! grep -q "val_auroc" "$d/stderr" || fail "a validation metric was printed without a validation set: $(grep val_auroc "$d/stderr")"
grep -q '"val_auroc":null' "$d/stdout" || fail "the summary should give val_auroc null: $(cat "$d/stdout")"

# Shards of one drim-predict run merge into exactly the unsharded list; drim-merge names a
# missing shard, a shard given twice and a shard of another run.
head -n 40 "$D/tfs.txt" > "$d/tfs.txt"
awk 'NR > 1 {print $2}' "$D/pairs.tsv" | sort -u | head -n 30 > "$d/targets.txt"
p=("$B/drim-predict" --model "$d/m.pt" --expr "$D/expression.h5ad" --tfs "$d/tfs.txt" --targets "$d/targets.txt" --threads 1 --quiet)
run 0 "" "${p[@]}" --out "$d/whole.tsv"
for i in 0 1 2; do run 0 "" "${p[@]}" --shard "$i/3" --out "$d/s$i.tsv"; done
grep -q '^# drim-predict shard 1/3 run ' "$d/s1.tsv" || fail "shard 1 has no shard line: $(head -1 "$d/s1.tsv")"
run 0 "all 3 shards" "$B/drim-merge" "$d/s2.tsv" "$d/s0.tsv" "$d/s1.tsv" --out "$d/merged.tsv"
# Same edges; scores equal to float rounding (a shard's batches differ, so GEMM sums in another order).
[ "$(wc -l < "$d/merged.tsv")" -eq "$(wc -l < "$d/whole.tsv")" ] || fail "merged shards have $(wc -l < "$d/merged.tsv") lines, the run $(wc -l < "$d/whole.tsv")"
paste <(tail -n +2 "$d/merged.tsv" | sort) <(tail -n +2 "$d/whole.tsv" | sort) |
  awk -F'\t' '$1 != $4 || $2 != $5 || ($3 - $6) > 1e-6 || ($6 - $3) > 1e-6 {print; bad = 1} END {exit bad}' > "$d/diff" ||
  fail "merged shards differ from the unsharded run: $(head -3 "$d/diff")"
run 1 "1 of 3 shards of run .* are missing (shard 1)" "$B/drim-merge" "$d/s0.tsv" "$d/s2.tsv" --out "$d/m2.tsv"
[ ! -e "$d/m2.tsv" ] || fail "an incomplete merge was written"
run 0 "are missing" "$B/drim-merge" "$d/s0.tsv" "$d/s2.tsv" --allow-missing --out "$d/m2.tsv"
cp "$d/s1.tsv" "$d/s1-again.tsv"
run 1 "shard 1/3 is given twice" "$B/drim-merge" "$d/s0.tsv" "$d/s1.tsv" "$d/s1-again.tsv" "$d/s2.tsv" --out "$d/m3.tsv"
run 0 "" "${p[@]}" --shard 2/3 --top 5 --out "$d/s2-top.tsv"
run 1 "another model, other pairs" "$B/drim-merge" "$d/s0.tsv" "$d/s1.tsv" "$d/s2-top.tsv" --out "$d/m4.tsv"
run 1 "has no shard line" "$B/drim-merge" "$d/s0.tsv" "$d/s1.tsv" "$d/s2.tsv" "$d/whole.tsv" --out "$d/m5.tsv"
run 0 "cannot check that every shard" "${p[@]}" --shard 0/3 --format beeline --out "$d/b0.tsv"
# --prior in-degree: after training the output layer is refit on the validation TFs (logged and
# recorded in the model file) and drim-predict scores with it; --prior-calibration none keeps the
# trained layer, so the same training gives other scores.
t=("$B/drim-train" --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --epochs 1 --neighbors 1 --threads 2 --seed 3 --prior in-degree
   --pretrain-pairs 0)
run 0 "output layer refit on [0-9]* validation pairs" "${t[@]}" --out "$d/p.pt"
run 0 "" "${t[@]}" --prior-calibration none --out "$d/q.pt"
grep -aq '"image_scale"' "$d/p.pt" || fail "the model file does not record the refit"
! grep -aq '"image_scale"' "$d/q.pt" || fail "--prior-calibration none recorded a refit"
for m in p q; do
  run 0 "" "$B/drim-predict" --model "$d/$m.pt" --expr "$D/expression.h5ad" --tfs "$d/tfs.txt" --targets "$d/targets.txt" --threads 1 --quiet --out "$d/$m.tsv"
done
! cmp -s "$d/p.tsv" "$d/q.tsv" || fail "the refit changed no score"
run 2 "not in {validation,none}" "${t[@]}" --prior-calibration train --out "$d/x.pt"
# --balance target: the loss uses the pairs whose target has both classes (logged), the prior is
# held while training and weighed after; without the refit it could not be weighed at all.
run 0 "the loss used [0-9]* of the [0-9]* training pairs" "${t[@]}" --balance target --out "$d/b.pt"
grep -aq '"balance":"target"' "$d/b.pt" || fail "the model file does not record --balance target"
run 2 "prior training 'held'.*needs the refit" "${t[@]}" --balance target --prior-calibration none --out "$d/x.pt"
[ ! -e "$d/x.pt" ] || fail "a refused run wrote a model"
# --pretrain-pairs: label-free pretraining before the epochs (logged, recorded in the model file);
# a drim-images file has no expression matrix to draw gene pairs from: refused when asked for, left
# out (logged) when it comes from the preset.
run 0 "pretrained the towers on 300 random gene pairs" "$B/drim-train" --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" \
  --epochs 1 --neighbors 1 --threads 2 --pretrain-pairs 300 --out "$d/pre.pt"
grep -aq '"pretrain_pairs":300' "$d/pre.pt" || fail "the model file does not record --pretrain-pairs 300"
run 0 "" "$B/drim-images" --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --neighbors 1 --threads 2 --out "$d/img.h5"
run 2 "--images has none" "$B/drim-train" --images "$d/img.h5" --epochs 1 --pretrain-pairs 300 --out "$d/x.pt"
[ ! -e "$d/x.pt" ] || fail "a refused run wrote a model"
run 0 "no expression matrix to pretrain the towers on" "$B/drim-train" --images "$d/img.h5" --epochs 1 --out "$d/x.pt"  # the preset's pretraining
rm -f "$d/x.pt"
[ ! -e "$d/x.pt" ] || fail "a refused run wrote a model"
echo "cli_train: all checks passed"
