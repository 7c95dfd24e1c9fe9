#!/usr/bin/env bash
# The main job end to end on the bundled demo (data/demo: 300 genes x 400 cells simulated by
# drim-simulate, with its true network). Installs dependencies, builds, then:
#   1. drim-convert  the expression to .h5ad (it already is one; shows the reader/writer)
#   2. drim-images   DeepDRIM images for the demo's labelled pairs
#   3. drim-train    DeepDRIM with the default recipe (--preset drim) for DEMO_EPOCHS epochs
#                    (whole TFs held out for validation)
#   4. drim-predict  every TF x gene pair, ranked; prints the top edges and how many are true
# Outputs go to out/demo/. DEMO_EPOCHS (default 4) sets the training length (under 3 minutes on 2
# cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
B=build D=data/demo O=out/demo
mkdir -p "$O"
echo "== 1. drim-convert =="
$B/drim-convert --expr $D/expression.h5ad --out $O/expression.h5ad
echo "== 2. drim-images: 23 images per labelled pair =="
$B/drim-images --expr $O/expression.h5ad --pairs $D/pairs.tsv --out $O/images.h5
echo "== 3. drim-train: DeepDRIM, ${DEMO_EPOCHS:-4} epochs =="
start=$SECONDS
$B/drim-train --expr $O/expression.h5ad --pairs $D/pairs.tsv --out $O/model.pt --epochs "${DEMO_EPOCHS:-4}" --log $O/train_log.jsonl
echo "training took $((SECONDS - start)) s"
echo "== 4. drim-predict: all TF x gene pairs =="
$B/drim-predict --model $O/model.pt --expr $O/expression.h5ad --tfs $D/tfs.txt --out $O/edges.tsv
echo "== top 10 predicted edges (out/demo/edges.tsv) =="
head -n 11 $O/edges.tsv
awk -F'\t' 'NR == FNR {if (FNR > 1) {split($0, f, ","); truth[f[1] "\t" f[2]] = 1}; next}
            FNR > 1 && FNR <= 101 {hits += (($1 "\t" $2) in truth)}
            END {printf "true edges among the top 100: %d (the simulated network has %d edges)\n", hits, length(truth)}' \
  $D/network.csv $O/edges.tsv
