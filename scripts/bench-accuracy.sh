#!/usr/bin/env bash
# Real-data accuracy: drim-cv (3 TF-disjoint folds) on ../shared/data/beeline/mHSC-L and mESC,
# with both negative recipes, printing model, CNNC, |Pearson|, Spearman, MI and the target
# in-degree baseline on the same folds. The model is judged by its margin over in-degree.
#
# Each dataset may be subsampled: MAX_TFS TFs (with >= 5 targets) drawn at random (seeded), and
# drim-cv's --max-positives MAX_POS keeps at most that many positives per TF, drawn at random; the
# other targets of a TF stay in the network, so they are never drawn as its negatives. The defaults
# take every TF, and every pair of mHSC-L (15 TFs, 6,812 pairs) but at most 40 positives per TF of
# mESC (81 TFs, about 5,900 pairs; all of mESC is 48,498 pairs). The training recipe is drim-cv's
# default (--preset drim; PRESET=reference for the paper's), EPOCHS epochs, the epoch with the
# best validation AUROC kept. Each epoch is logged to OUT/<dataset>/<negatives>.epochs.jsonl as it
# ends (tail -f to follow).
# Usage: bash scripts/bench-accuracy.sh [out_dir]
#   env: MAX_TFS (100 = all), MAX_POS (0 = all for mHSC-L, 40 for mESC), EPOCHS (8), PRESET (drim),
#        SEED (1), DATASETS ("mHSC-L mESC"), NEGATIVES ("uniform degree"), THREADS (0 = all cores),
#        CV_ARGS (more drim-cv options, e.g. "--prior in-degree"), WITH_CNNC (1; 0 trains DeepDRIM only),
#        BUILD (build), DATA_ROOT (../shared/data/beeline), PYTHON (/usr/bin/python3), DEVICE (auto)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/bench-accuracy}
MAX_TFS=${MAX_TFS:-100} EPOCHS=${EPOCHS:-8} PRESET=${PRESET:-drim} SEED=${SEED:-1}
THREADS=${THREADS:-0}
CV_ARGS=${CV_ARGS:-}
cnnc=--with-cnnc; [ "${WITH_CNNC:-1}" = 0 ] && cnnc=
B=${BUILD:-build}; ROOT=${DATA_ROOT:-../shared/data/beeline}; PY=${PYTHON:-/usr/bin/python3}
timed=(); [ -x /usr/bin/time ] && timed=(/usr/bin/time -f "wall %e s, peak %M KiB")
[ -x "$B/drim-cv" ] || bash scripts/build.sh
mkdir -p "$OUT"
for ds in ${DATASETS:-mHSC-L mESC}; do
  D=$ROOT/$ds
  if [ "$ds" = mESC ]; then max_pos=${MAX_POS:-40}; else max_pos=${MAX_POS:-0}; fi
  "$PY" - "$D" "$OUT/$ds" "$MAX_TFS" "$max_pos" "$SEED" <<'PY'
import gzip, random, sys, os
d, out, max_tfs, max_pos, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
os.makedirs(out, exist_ok=True)
genes = {l.split(",")[0] for l in list(gzip.open(f"{d}/ExpressionData.csv.gz", "rt"))[1:]}
tfs = {l.strip() for l in gzip.open(f"{d}/TFs.txt.gz", "rt")}
edges = [l.strip().split(",")[:2] for l in list(gzip.open(f"{d}/refNetwork.csv.gz", "rt"))[1:]]
edges = [(a, b) for a, b in edges if a in tfs and a in genes and b in genes and a != b]
by_tf = {}
for a, b in edges:
    by_tf.setdefault(a, []).append(b)
rng = random.Random(seed)
eligible = sorted(t for t in by_tf if len(by_tf[t]) >= 5)
chosen = sorted(rng.sample(eligible, min(max_tfs, len(eligible))))
with open(f"{out}/network.tsv", "w") as f:  # every usable edge: the negatives of a TF avoid all its targets
    for a, b in edges:
        f.write(f"{a}\t{b}\n")
with open(f"{out}/tfs.txt", "w") as f:
    f.write("\n".join(chosen) + "\n")
cap = lambda n: min(n, max_pos) if max_pos else n
print(f"{d}: {len(chosen)} of {len(eligible)} TFs, {sum(cap(len(set(by_tf[t]))) for t in chosen)} positives"
      f" ({'all' if not max_pos else f'<= {max_pos} per TF'}; {len(edges)} usable edges)", file=sys.stderr)
PY
  for neg in ${NEGATIVES:-uniform degree}; do
    echo "== $ds, negatives: $neg =="
    "${timed[@]}" "$B/drim-cv" --expr "$D/ExpressionData.csv.gz" --network "$OUT/$ds/network.tsv" \
      --tfs "$OUT/$ds/tfs.txt" --negatives "$neg" --folds 3 $cnnc --preset "$PRESET" --epochs "$EPOCHS" --monitor val_auroc \
      --max-positives "$max_pos" --patience 0 --seed "$SEED" --threads "$THREADS" --device "${DEVICE:-auto}" $CV_ARGS --quiet --log "$OUT/$ds/$neg.epochs.jsonl" --out "$OUT/$ds/$neg" 2> "$OUT/$ds/$neg.log" | tee "$OUT/$ds/$neg.table"
    tail -n 1 "$OUT/$ds/$neg.log"
    "$PY" -c "
import json; r = json.load(open('$OUT/$ds/$neg/report.json'))
span = lambda h: f\"{min(e['seconds'] for e in h):.0f}-{max(e['seconds'] for e in h):.0f}\"
print('fold wall times:', ', '.join(f\"{t['seconds']:.0f}s\" for t in r['folds']),
      '| deepdrim s/epoch:', ', '.join(span(t['history']['deepdrim']) for t in r['folds']),
      '| kept epochs:', ', '.join(f\"{t['best_epoch']['deepdrim']}/{t['epochs']['deepdrim']}\" for t in r['folds']),
      '| on plateau:', ', '.join(f\"fold {t['fold'] + 1} {m}\" for t in r['folds'] for m, flat in t['on_plateau'].items() if flat) or 'none')"
  done
done
