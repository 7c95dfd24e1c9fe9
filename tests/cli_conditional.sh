#!/bin/bash
# Training options end to end: drim-train --conditional records K and drim-predict rebuilds the
# same images (cached scores equal the plain pass), drim-cv reports it, the tools that cannot
# record it refuse it; --precision bf16 trains or says why it cannot; --resample-cells is seeded,
# recorded, and refused for images files.
# Usage: tests/cli_conditional.sh BUILD_DIR
set -u
B=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
. "$(dirname "$0")/cli_lib.sh"
run 0 "" "$B/drim-simulate" grn --genes 40 --tfs 8 --cells 200 --seed 3 --out "$d/g" --quiet
X=$d/g/expression.h5ad
common=(--expr "$X" --network "$d/g/network.csv" --tfs "$d/g/tfs.txt" --epochs 1 --neighbors 2 --threads 2 --quiet --pretrain-pairs 0)
run 0 "" "$B/drim-train" --conditional 2 --neighbor-pool tfs "${common[@]}" --out "$d/c.pt"
p=("$B/drim-predict" --model "$d/c.pt" --expr "$X" --tfs "$d/g/tfs.txt" --threads 2 --quiet)
run 0 "" "${p[@]}" --top 40 --out "$d/cached.tsv"
run 0 "" "${p[@]}" --no-cache --top 40 --out "$d/plain.tsv"
[ "$(wc -l < "$d/cached.tsv")" -eq 41 ] || fail "expected 40 edges and a header: $(head -3 "$d/cached.tsv")"
paste <(tail -n +2 "$d/cached.tsv") <(tail -n +2 "$d/plain.tsv") |
  awk -F'\t' '$1 != $4 || $2 != $5 || ($3 - $6) > 1e-5 || ($6 - $3) > 1e-5 {print; bad = 1} END {exit bad}' > "$d/diff" ||
  fail "cached and plain conditional scores differ: $(head -3 "$d/diff")"
# The model without the conditional image scores differently: drim-predict did use it.
run 0 "" "$B/drim-train" --neighbor-pool tfs "${common[@]}" --out "$d/u.pt"
run 0 "" "$B/drim-predict" --model "$d/u.pt" --expr "$X" --tfs "$d/g/tfs.txt" --threads 2 --quiet --top 40 --out "$d/u.tsv"
! cmp -s "$d/u.tsv" "$d/cached.tsv" || fail "the conditional model scored exactly like the plain one"
run 0 "" "$B/drim-cv" --conditional 2 --folds 2 --with-cnnc "${common[@]}" --out "$d/cv"
grep -q '"conditional": 2' "$d/cv/report.json" || fail "report.json does not record --conditional"
run 2 "not recorded in images files" "$B/drim-images" --expr "$X" --pairs "$d/g/pairs.tsv" --conditional 2 --out "$d/i.h5"
run 1 "--conditional 9 needs 10 candidate genes" "$B/drim-train" --conditional 9 --neighbor-pool tfs "${common[@]}" --out "$d/x.pt"
[ ! -e "$d/x.pt" ] && [ ! -e "$d/i.h5" ] || fail "an output was written by a refused run"
if grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo; then
  run 0 "" "$B/drim-train" --precision bf16 "${common[@]}" --out "$d/b.pt"
else
  run 1 "AVX-512 BF16" "$B/drim-train" --precision bf16 "${common[@]}" --out "$d/b.pt"
  [ ! -e "$d/b.pt" ] || fail "a model was written by a refused bf16 run"
fi
run 2 "fp16 not in {fp32,bf16,fp64}" "$B/drim-train" --precision fp16 "${common[@]}" --out "$d/x.pt"
# Bootstrap replicates of the cells (--resample-cells): the same seed gives the same model, the
# replicates change it, drim-cv records the option, and a drim-images file cannot be resampled.
for m in r1 r2; do run 0 "" "$B/drim-train" --resample-cells --seed 5 "${common[@]}" --out "$d/$m.pt"; done
run 0 "" "$B/drim-train" --no-resample-cells --seed 5 "${common[@]}" --out "$d/r0.pt"
for m in r0 r1 r2; do run 0 "" "$B/drim-predict" --model "$d/$m.pt" --expr "$X" --tfs "$d/g/tfs.txt" --threads 2 --quiet --top 40 --out "$d/$m.tsv"; done
cmp -s "$d/r1.tsv" "$d/r2.tsv" || fail "--resample-cells with the same seed gave different scores"
! cmp -s "$d/r0.tsv" "$d/r1.tsv" || fail "--resample-cells changed nothing"
run 0 "" "$B/drim-cv" --resample-cells --folds 2 "${common[@]}" --out "$d/cvr"
grep -q '"resample_cells": true' "$d/cvr/report.json" || fail "report.json does not record --resample-cells"
run 0 "" "$B/drim-images" --expr "$X" --pairs "$d/g/pairs.tsv" --neighbors 2 --out "$d/i.h5" --quiet
run 2 "the images in --images are fixed" "$B/drim-train" --images "$d/i.h5" --resample-cells --epochs 1 --quiet --out "$d/x.pt"
run 0 "" "$B/drim-train" --images "$d/i.h5" --epochs 1 --quiet --out "$d/i.pt"
[ ! -e "$d/x.pt" ] || fail "a model was written by a refused run"
