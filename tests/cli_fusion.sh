#!/bin/bash
# The second modality end to end: drim-train/drim-predict/drim-cv with --spatial or --gene-images,
# the cached scores equal to the plain pass, and the missing-image policy.
# Usage: tests/cli_fusion.sh BUILD_DIR
set -u
B=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
. "$(dirname "$0")/cli_lib.sh"
run 0 "" "$B/drim-simulate" spatial --genes 40 --tfs 6 --cells 300 --domains 3 --seed 2 --out "$d/sp" --quiet
run 0 "" "$B/drim-simulate" spatial --genes 30 --tfs 6 --cells 300 --domains 3 --seed 2 --out "$d/small" --quiet
X=$d/sp/expression.h5ad
# same_as_plain WHAT PREDICT...: the cached scores of PREDICT equal its --no-cache scores within 1e-5.
same_as_plain() {
  local what=$1
  shift
  run 0 "" "$@" --out "$d/cached-x.tsv"
  run 0 "" "$@" --no-cache --out "$d/plain-x.tsv"
  paste <(tail -n +2 "$d/cached-x.tsv") <(tail -n +2 "$d/plain-x.tsv") |
    awk -F'\t' '($3 - $6) > 1e-5 || ($6 - $3) > 1e-5 {print; bad = 1} END {exit bad}' > "$d/diff" ||
    fail "cached and plain scores of $what differ: $(head -3 "$d/diff")"
}
common=(--expr "$X" --network "$d/sp/network.csv" --tfs "$d/sp/tfs.txt" --epochs 1 --neighbors 2 --threads 2 --quiet --pretrain-pairs 0)
run 0 "" "$B/drim-train" --model fusion --spatial "$X" --spatial-bins 16 "${common[@]}" --out "$d/fusion.pt"
grep -q '"train_pairs_per_s"' "$d/stdout" || fail "no training summary: $(cat "$d/stdout")"
p=("$B/drim-predict" --model "$d/fusion.pt" --expr "$X" --spatial "$X" --spatial-bins 16 --tfs "$d/sp/tfs.txt" --threads 2 --quiet)
same_as_plain "fusion" "${p[@]}" --top 30
cp "$d/cached-x.tsv" "$d/cached.tsv"
[ "$(wc -l < "$d/cached.tsv")" -eq 31 ] || fail "expected 30 edges and a header: $(head -3 "$d/cached.tsv")"
# Late fusion: recorded, and its cached scores equal the plain pass too; it takes no prior.
loud=(); for a in "${common[@]}"; do [ "$a" = --quiet ] || loud+=("$a"); done
run 0 "late fusion model" "$B/drim-train" --model fusion --fusion late --spatial "$X" --spatial-bins 16 "${loud[@]}" --out "$d/late.pt"
pl=("$B/drim-predict" --model "$d/late.pt" --expr "$X" --spatial "$X" --spatial-bins 16 --tfs "$d/sp/tfs.txt" --threads 2 --quiet --top 30)
same_as_plain "late fusion" "${pl[@]}"
run 1 "late fusion takes no prior" "$B/drim-train" --model fusion --fusion late --prior in-degree --spatial "$X" --spatial-bins 16 \
  "${common[@]}" --out "$d/x.pt"
[ ! -e "$d/x.pt" ] || fail "a refused late-fusion run wrote a model"
# Label-free pretraining reaches the expression towers through the gene-image source (drim-cv's
# fusion folds once stopped here: "these images were read from a file"), and the image branch.
for said in "pretrained the towers on 64 random gene pairs" "pretrained the image branch on 64 random pairs of gene images"; do
  run 0 "$said" "$B/drim-train" --model fusion --spatial "$X" --spatial-bins 16 --expr "$X" --network "$d/sp/network.csv" \
    --tfs "$d/sp/tfs.txt" --epochs 1 --neighbors 2 --threads 2 --pretrain-pairs 64 --pretrain-image-branch all --out "$d/fusion-p.pt"
done
run 0 "" "$B/drim-cv" --spatial "$X" --folds 2 --expr "$X" --network "$d/sp/network.csv" --tfs "$d/sp/tfs.txt" --epochs 1 \
  --neighbors 2 --threads 2 --quiet --pretrain-pairs 64 --out "$d/cv-p"
/usr/bin/python3 - "$d/cv-p/report.json" <<'PY' || fail "drim-cv's fusion folds did not pretrain"
import json, sys
for fold in json.load(open(sys.argv[1]))["folds"]:
    pre = fold["pretrain"]
    assert pre["fusion"]["pairs"] == 64 and pre["deepdrim"]["pairs"] == 64, pre
    assert pre.get("image_only", {}).get("pairs", 0) == 0, pre
    img = fold["pretrain_images"]
    assert img["image_only"]["pairs"] == 64 and "fusion" not in img and "deepdrim" not in img, img  # the preset: image-only
PY
# Fusion with the conditional image: the cache still equals the plain pass.
run 0 "" "$B/drim-train" --model fusion --conditional 2 --spatial "$X" --spatial-bins 16 "${common[@]}" --out "$d/fusion-c.pt"
pc=("$B/drim-predict" --model "$d/fusion-c.pt" --expr "$X" --spatial "$X" --spatial-bins 16 --tfs "$d/sp/tfs.txt" --threads 2 --quiet --top 30)
same_as_plain "fusion with --conditional" "${pc[@]}"
cmp -s "$d/cached.tsv" "$d/cached-x.tsv" && fail "--conditional 2 changed nothing in the fusion model's scores"
run 0 "spatial_bins 16, these with 32" "$B/drim-predict" --model "$d/fusion.pt" --expr "$X" --spatial "$X" --tfs "$d/sp/tfs.txt" --top 5 --out "$d/x32.tsv"
run 2 "give the genes' images" "$B/drim-predict" --model "$d/fusion.pt" --expr "$X" --tfs "$d/sp/tfs.txt" --out "$d/x.tsv"
run 2 "feed --model fusion or image-only" "$B/drim-train" --model deepdrim --spatial "$X" "${common[@]}" --out "$d/x.pt"
[ ! -e "$d/x.pt" ] && [ ! -e "$d/x.tsv" ] || fail "an output was written by a refused run"
# Images of the first 30 genes only: genes of the pairs without one are named, unless allowed.
run 0 "" "$B/drim-maps" --expr "$d/small/expression.h5ad" --spatial-bins 32 --out "$d/maps30.h5" --quiet
run 1 "has no image for" "$B/drim-train" --model image-only --gene-images "$d/maps30.h5" "${common[@]}" --out "$d/x.pt"
grep -q "allow-missing-images" "$d/stderr" || fail "the error does not name the way out: $(cat "$d/stderr")"
run 0 "" "$B/drim-train" --model image-only --gene-images "$d/maps30.h5" --allow-missing-images "${common[@]}" --out "$d/only.pt"
run 0 "" "$B/drim-predict" --model "$d/only.pt" --expr "$X" --gene-images "$d/maps30.h5" --tfs "$d/sp/tfs.txt" --top 5 --out "$d/only.tsv" --quiet
[ "$(wc -l < "$d/only.tsv")" -eq 6 ] || fail "image-only prediction: $(cat "$d/only.tsv")"
# drim-cv trains deepdrim, image-only and fusion on the same folds.
run 0 "" "$B/drim-cv" --spatial "$X" --folds 2 "${common[@]}" --out "$d/cv"
for m in deepdrim image_only fusion pearson; do
  grep -q "^$m " "$d/stdout" || fail "drim-cv's table has no $m row: $(cat "$d/stdout")"
done
grep -q '"gene_images"' "$d/cv/report.json" || fail "report.json does not record the gene images"
head -1 "$d/cv/scores.tsv" | grep -q $'image_only\tfusion' || fail "scores.tsv columns: $(head -1 "$d/cv/scores.tsv")"
echo "cli_fusion: all passed"
