#!/usr/bin/env bash
# Real-data accuracy: drim-cv (3 TF-disjoint folds) on ../shared/data/beeline/mHSC-L and mESC,
# with both negative recipes, printing model, CNNC, |Pearson|, Spearman, MI and the target
# in-degree baseline on the same folds. The model is judged by its margin over in-degree.
#
# A full run (all pairs, up to 200 epochs) takes days on 2 CPU cores, so by default each
# dataset is subsampled: MAX_TFS TFs drawn at random (seeded), at most MAX_POS positives per TF
# (the edges kept are drawn at random too), with as many negatives; EPOCHS epochs of Adam.
# MAX_TFS=100 MAX_POS=100000 takes every pair (all of mHSC-L: 15 TFs, 6,812 pairs). Each
# epoch is logged to OUT/<dataset>/<negatives>.epochs.jsonl as it ends (tail -f to follow).
# Usage: bash scripts/bench-accuracy.sh [out_dir]
#   env: MAX_TFS (12), MAX_POS (60), EPOCHS (4), OPTIMIZER (adam), LR (0.0003), SEED (1), DATASETS ("mHSC-L mESC"), NEGATIVES ("uniform degree"),
#        THREADS (0 = all cores), CV_ARGS (more drim-cv options, e.g. "--head-dropout 0")
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/bench-accuracy}
MAX_TFS=${MAX_TFS:-12} MAX_POS=${MAX_POS:-60} EPOCHS=${EPOCHS:-4} OPTIMIZER=${OPTIMIZER:-adam} LR=${LR:-0.0003} SEED=${SEED:-1}
THREADS=${THREADS:-0}
[ -x build/drim-cv ] || bash scripts/build.sh
mkdir -p "$OUT"
for ds in ${DATASETS:-mHSC-L mESC}; do
  D=../shared/data/beeline/$ds
  /usr/bin/python3 - "$D" "$OUT/$ds" "$MAX_TFS" "$MAX_POS" "$SEED" <<'PY'
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
with open(f"{out}/network.tsv", "w") as f:
    for t in chosen:
        targets = sorted(set(by_tf[t]))
        for b in sorted(rng.sample(targets, min(max_pos, len(targets)))):
            f.write(f"{t}\t{b}\n")
    # All edges of the other TFs too: they shape the in-degree that the degree recipe samples by,
    # but only the chosen TFs are in the TF list, so only they get pairs.
    for a, b in edges:
        if a not in chosen:
            f.write(f"{a}\t{b}\n")
with open(f"{out}/tfs.txt", "w") as f:
    f.write("\n".join(chosen) + "\n")
print(f"{d}: {len(chosen)} TFs, <= {max_pos} positives each (of {len(edges)} usable edges)", file=sys.stderr)
PY
  for neg in ${NEGATIVES:-uniform degree}; do
    echo "== $ds, negatives: $neg =="
    /usr/bin/time -f "wall %e s, peak %M KiB" build/drim-cv --expr "$D/ExpressionData.csv.gz" --network "$OUT/$ds/network.tsv" \
      --tfs "$OUT/$ds/tfs.txt" --negatives "$neg" --folds 3 --with-cnnc --epochs "$EPOCHS" --optimizer "$OPTIMIZER" --lr "$LR" \
      --patience 0 --seed "$SEED" --threads "$THREADS" ${CV_ARGS:-} --quiet --log "$OUT/$ds/$neg.epochs.jsonl" --out "$OUT/$ds/$neg" 2> "$OUT/$ds/$neg.log" | tee "$OUT/$ds/$neg.table"
    tail -n 1 "$OUT/$ds/$neg.log"
    /usr/bin/python3 -c "
import json; r = json.load(open('$OUT/$ds/$neg/report.json'))
span = lambda h: f\"{min(e['seconds'] for e in h):.0f}-{max(e['seconds'] for e in h):.0f}\"
print('fold wall times:', ', '.join(f\"{t['seconds']:.0f}s\" for t in r['folds']),
      '| deepdrim s/epoch:', ', '.join(span(t['history']['deepdrim']) for t in r['folds']),
      '| kept epochs:', ', '.join(f\"{t['best_epoch']['deepdrim']}/{t['epochs']['deepdrim']}\" for t in r['folds']))"
  done
done
