#!/usr/bin/env bash
# Issue #13's GPU run: --preset reference at its full budget (up to 200 epochs, early stopping on
# validation accuracy with patience 10; the paper's 7,193,793-parameter network, SGD 0.01 Nesterov,
# dropout 0.25/0.5, batch 32) on a whole BEELINE dataset, on the GPU. The question it answers: does
# the paper's recipe leave the ln 2 plateau given enough steps? Whole TFs are held out for validation.
# Needs a CUDA build of drim (scripts/check-cuda.sh makes build-cuda). The run is cut at SECONDS_MAX
# (default 480, to fit one 10-minute call); the epoch log written so far is summarised either way.
# Usage: bash scripts/gpu-reference.sh BEELINE_DIR [build dir (default build-cuda)]
#   BEELINE_DIR holds ExpressionData.csv.gz, refNetwork.csv.gz and TFs.txt.gz (e.g. mHSC-L).
#   env: SECONDS_MAX (480), DEVICE (cuda), SEED (1), THREADS (8), EXTRA (more drim-train options, e.g.
#   "--patience 0" for all 200 epochs); logs go to $OUT if set, else the build dir.
set -uo pipefail
cd "$(dirname "$0")/.."
D=${1:?usage: bash scripts/gpu-reference.sh BEELINE_DIR [build dir]}
B=${2:-build-cuda}
LOGS=${OUT:-$B}
mkdir -p "$LOGS"
for f in ExpressionData.csv.gz refNetwork.csv.gz TFs.txt.gz; do [ -f "$D/$f" ] || { echo "$D/$f is missing"; exit 2; }; done
[ -x "$B/drim-train" ] || { echo "$B/drim-train is missing: run scripts/check-cuda.sh first"; exit 2; }
rm -f "$LOGS/reference-epochs.jsonl"
echo "== drim-train --preset reference ${EXTRA:-} on $D, device ${DEVICE:-cuda}, cut at ${SECONDS_MAX:-480} s ($(date +%T))"
timeout "${SECONDS_MAX:-480}" "$B/drim-train" --expr "$D/ExpressionData.csv.gz" --network "$D/refNetwork.csv.gz" --tfs "$D/TFs.txt.gz" \
  --skip-missing --preset reference --device "${DEVICE:-cuda}" --seed "${SEED:-1}" --threads "${THREADS:-8}" --quiet \
  --log "$LOGS/reference-epochs.jsonl" ${EXTRA:-} --out "$LOGS/reference.pt" > "$LOGS/reference.json" 2> "$LOGS/reference.log"
rc=$?
[ $rc -eq 124 ] && echo "cut at ${SECONDS_MAX:-480} s (exit 124): the summary covers the epochs run so far"
[ $rc -ne 0 ] && [ $rc -ne 124 ] && { tail -n 5 "$LOGS/reference.log"; echo "drim-train failed (exit $rc)"; }
python3 - "$LOGS" <<'PY'
import json, math, os, sys
logs = sys.argv[1]
path = os.path.join(logs, "reference-epochs.jsonl")
rows = [json.loads(l) for l in open(path)] if os.path.exists(path) else []
if not rows:
    print("no epoch finished"); sys.exit(1)
print(f"{'epoch':>5} {'loss':>7} {'acc':>6} {'val_loss':>8} {'val_acc':>7} {'val_auroc':>9} {'s':>6}")
for r in rows:
    print(f"{r['epoch']:5d} {r['loss']:7.4f} {r['accuracy']:6.3f} {r.get('val_loss', float('nan')):8.4f} "
          f"{r.get('val_accuracy', float('nan')):7.3f} {r.get('val_auroc', float('nan')):9.3f} {r['seconds']:6.1f}")
# A network that predicts the majority class for every pair has the majority share as its accuracy
# and the label entropy H(p) as its loss: that, not ln 2, is the plateau when the classes are unbalanced.
from collections import Counter
p = Counter(round(r["accuracy"], 3) for r in rows).most_common(1)[0][0]
plateau = -(p * math.log(p) + (1 - p) * math.log(1 - p)) if 0 < p < 1 else 0.0
left = [r["epoch"] for r in rows if r["loss"] < plateau - 0.01]
best = max(rows, key=lambda r: r.get("val_accuracy", 0))
top = max(rows, key=lambda r: r.get("val_auroc", 0))
print(f"{len(rows)} epoch(s), {sum(r['seconds'] for r in rows):.0f} s; most common training accuracy {p:.3f}, whose constant "
      f"prediction has loss H = {plateau:.4f}; lowest training loss {min(r['loss'] for r in rows):.4f}: "
      + (f"below H - 0.01 from epoch {left[0]}" if left else "never below H - 0.01, still on the plateau"))
print(f"best validation accuracy {best.get('val_accuracy', float('nan')):.3f} at epoch {best['epoch']}; "
      f"best validation AUROC {top.get('val_auroc', float('nan')):.3f} at epoch {top['epoch']}; "
      f"last epoch: loss {rows[-1]['loss']:.4f}, validation AUROC {rows[-1].get('val_auroc', float('nan')):.3f}")
PY
