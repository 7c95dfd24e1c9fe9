#!/usr/bin/env bash
# The main job end to end on the bundled demo (data/demo, simulated by drim-simulate): installs
# dependencies, builds, converts the expression, builds DeepDRIM images for the demo's labelled
# pairs, and shows what came out. Outputs go to out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out/demo
echo "== drim-images: 23 DeepDRIM images per labelled pair of data/demo =="
build/drim-images --expr data/demo/expression.h5ad --pairs data/demo/pairs.tsv --out out/demo/images.h5
echo "== out/demo/images.h5 =="
if /usr/bin/python3 -c "import h5py" 2>/dev/null; then
  /usr/bin/python3 - <<'PY'
import h5py
f = h5py.File("out/demo/images.h5")
print("images", f["images"].shape, f["images"].dtype, "| labels", f["label"][:].sum(), "positive of", len(f["label"]))
print("first pair", f["tf"].asstr()[0], "->", f["target"].asstr()[0], "| attributes", dict(f.attrs))
PY
else
  ls -la out/demo/images.h5
fi
