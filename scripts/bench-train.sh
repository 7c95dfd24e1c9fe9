#!/usr/bin/env bash
# Training speed, side by side in one run: DeepDRIM (n = 10, 23 images per pair) on data/demo,
# EPOCHS epochs, with glibc's default malloc (DRIM_SYSTEM_MALLOC=1) and with drim's setting that
# keeps freed memory in the heap (the default of drim-train/predict/cv), on 1 thread and on all
# cores. Prints pairs/s, user and kernel CPU seconds, peak RSS and the ratio.
# Usage: bash scripts/bench-train.sh      env: EPOCHS (1)
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${EPOCHS:-1}
[ -x build/drim-train ] || bash scripts/build.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {  # label threads env...
  local label=$1 threads=$2
  shift 2
  env "$@" /usr/bin/time -f "%U %S %M" -o "$tmp/time" build/drim-train --expr data/demo/expression.h5ad \
    --pairs data/demo/pairs.tsv --epochs "$EPOCHS" --optimizer adam --lr 0.0003 --patience 0 --threads "$threads" \
    --seed 1 --quiet --out "$tmp/m.pt" > "$tmp/out.json"
  local rate
  rate=$(/usr/bin/python3 -c "import json; print(round(json.load(open('$tmp/out.json'))['train_pairs_per_s'], 2))")
  read -r user sys rss < "$tmp/time"
  printf '%-34s %8s pairs/s   user %6ss  kernel %6ss  peak %5d MiB\n' "$label" "$rate" "$user" "$sys" $((rss / 1024))
  echo "$rate" > "$tmp/$label.rate"
}
for t in 1 0; do
  name=$([ "$t" = 1 ] && echo "1 thread" || echo "all cores")
  run "glibc malloc, $name" "$t" DRIM_SYSTEM_MALLOC=1
  run "drim (heap kept), $name" "$t" X=1
  /usr/bin/python3 -c "print(f'  speed-up, $name: {float(open(\"$tmp/drim (heap kept), $name.rate\").read()) / float(open(\"$tmp/glibc malloc, $name.rate\").read()):.2f}x')"
done
