#!/bin/bash
# scripts/prior-ceiling.py on made-up drim-cv scores: a column that carries the labels beyond the
# in-degree gains a lot, pure noise gains nothing, and the in-degree's own median is right.
# Usage: tests/prior_ceiling.sh SOURCE_DIR
set -eu
S=$1
/usr/bin/python3 -c "import numpy, pandas, scipy" 2> /dev/null || { echo "prior_ceiling: needs numpy, pandas, scipy (setup.sh --with-python)"; exit 77; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
/usr/bin/python3 - "$d" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(3)
rows = ["tf\ttarget\tlabel\tfold\tdeepdrim\tnoise\tin_degree\tstacking"]
for t in range(12):
    for g in range(60):
        y = int(rng.random() < 0.5)
        deg = rng.poisson(2 + 2 * y)                      # the prior: informative, with ties
        signal = y + rng.normal(0, 0.7)                   # beyond the prior
        rows.append(f"T{t}\tG{g}\t{y}\t{t % 3}\t{signal:.6f}\t{rng.normal():.6f}\t{deg}\t0")
open(f"{sys.argv[1]}/scores.tsv", "w").write("\n".join(rows) + "\n")
PY
/usr/bin/python3 "$S/scripts/prior-ceiling.py" "$d" > "$d/out.txt"
cat "$d/out.txt"
/usr/bin/python3 - "$d" <<'PY'
import sys
import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu
d = pd.read_csv(f"{sys.argv[1]}/scores.tsv", sep="\t")
# The in-degree's median per-TF AUROC, by scipy's Mann-Whitney U (ties count half).
ref = np.median([mannwhitneyu(g.in_degree[g.label == 1], g.in_degree[g.label == 0]).statistic / ((g.label == 1).sum() * (g.label == 0).sum())
                 for _, g in d.groupby("tf")])
lines = open(f"{sys.argv[1]}/out.txt").read().splitlines()
base = float(lines[0].split("median per-TF AUROC ")[1])
gain = {l[:30].split()[1]: float(l[30:].split()[1]) for l in lines[2:]}
assert abs(base - ref) < 1e-4, (base, ref)
assert gain["deepdrim"] > 0.1 and gain["all"] > 0.1, gain
assert abs(gain["noise"]) < 0.03, gain  # fitted on the labels, noise can still break ties favourably
print(f"prior_ceiling: in-degree {base:.4f} (scipy {ref:.4f}), gains {gain}: all checks passed")
PY
