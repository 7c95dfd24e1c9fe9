#!/usr/bin/env bash
# Regenerates data/demo bit for bit with the project's own simulator (seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/drim-simulate ] || bash scripts/build.sh
build/drim-simulate grn --genes 300 --tfs 30 --cells 400 --states 3 --seed 1 --out data/demo
