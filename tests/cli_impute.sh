#!/bin/bash
# drim-impute: bad input gives a clear error and leaves nothing behind; the output .h5ad keeps
# the observed matrix beside the imputed layer and every drim tool reads the layer; a saved model
# and layout give the same imputation again; the baselines run.
# Usage: tests/cli_impute.sh BUILD_DIR DEMO_DIR
set -u
B=$1 D=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
. "$(dirname "$0")/cli_lib.sh"
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}

# Fewer than 4 genes, an all-zero matrix, negative values.
printf 'gene,c1,c2,c3\nA,1,2,3\nB,0,1,0\nC,4,0,1\n' > "$d/three.csv"
run 1 "at least 4 genes, got 3" "$B/drim-impute" --expr "$d/three.csv" --out "$d/o.h5ad" --epochs 1
printf 'gene,c1,c2,c3\nA,0,0,0\nB,0,0,0\nC,0,0,0\nD,0,0,0\n' > "$d/zero.csv"
run 1 "every value of the expression matrix is 0" "$B/drim-impute" --expr "$d/zero.csv" --out "$d/o.h5ad" --epochs 1
printf 'gene,c1,c2,c3\nA,1,2,3\nB,0,-1,0\nC,4,0,1\nD,1,1,1\n' > "$d/neg.csv"
run 1 "negative" "$B/drim-impute" --expr "$d/neg.csv" --out "$d/o.h5ad" --epochs 1
[ ! -e "$d/o.h5ad" ] || fail "an output was left after an error"
[ -z "$(ls "$d" | grep -v '\.csv$' | grep -v stdout | grep -v stderr)" ] || fail "files left behind: $(ls "$d")"
run 2 "need --method tcer" "$B/drim-impute" --expr "$d/three.csv" --out "$d/o.h5ad" --method knn --save-model "$d/m.pt"
run 2 "above --mask-max" "$B/drim-impute" --expr "$D/expression.h5ad" --out "$d/o.h5ad" --mask-min 0.6 --mask-max 0.5
run 2 "" "$B/drim-impute" --expr "$D/expression.h5ad" --out "$D/expression.h5ad"
printf 'not a layout\n' > "$d/bad-layout.tsv"
run 1 "line 1" "$B/drim-impute" --expr "$D/expression.h5ad" --out "$d/o.h5ad" --layout "$d/bad-layout.tsv"

# A small TCER run on the demo's first 60 cells; model and layout reused give the same values.
"$B/drim-simulate" subsample --expr "$D/expression.h5ad" --n-cells 60 --seed 3 --out "$d/small.h5ad" --quiet > /dev/null || fail "subsample"
t0=("$B/drim-impute" --expr "$d/small.h5ad" --channels 4 --dfa-blocks 1 --threads 2 --quiet)
t=("${t0[@]}" --epochs 2)
run 0 "" "${t[@]}" --out "$d/a.h5ad" --save-model "$d/m.pt" --save-layout "$d/layout.tsv"
grep -q '"method":"tcer"' "$d/stdout" || fail "no summary: $(cat "$d/stdout")"
grep -q '"posterior":"gamma-poisson"' "$d/stdout" || fail "counts should get the gamma-Poisson posterior: $(cat "$d/stdout")"
head -1 "$d/layout.tsv" | grep -q '^# drim genomap rows 18 cols 18$' || fail "layout header: $(head -1 "$d/layout.tsv")"
[ "$(wc -l < "$d/layout.tsv")" -eq 301 ] || fail "layout should list 300 genes"
run 0 "" "$B/drim-impute" --expr "$d/small.h5ad" --model "$d/m.pt" --out "$d/b.h5ad" --quiet
run 0 "" "${t[@]}" --layout "$d/layout.tsv" --out "$d/c.h5ad"
# same A[:LAYER] B[:LAYER]: the two matrices are equal (exit 0) or not (exit 1).
same() {
  /usr/bin/python3 - "$@" << 'PY'
import sys, anndata, numpy as np
def m(spec):
    path, _, layer = spec.partition(":")
    a = anndata.read_h5ad(path)
    x = a.layers[layer] if layer else a.X
    return np.asarray(x.todense() if hasattr(x, "todense") else x)
sys.exit(0 if np.array_equal(m(sys.argv[1]), m(sys.argv[2])) else 1)
PY
}
if /usr/bin/python3 -c "import anndata" 2> /dev/null; then
  # drim reads the layer (drim-convert --layer writes it as X); model reuse and training again on
  # the same layout and seed give the same values.
  run 0 "" "$B/drim-convert" --expr "$d/a.h5ad" --layer imputed --out "$d/a-imputed.h5ad"
  same "$d/a-imputed.h5ad" "$d/a.h5ad:imputed" || fail "drim-convert --layer imputed read other values"
  same "$d/a.h5ad:imputed" "$d/b.h5ad:imputed" || fail "the saved model imputes differently"
  same "$d/a.h5ad:imputed" "$d/c.h5ad:imputed" || fail "the same layout and seed train a different model"
  same "$d/a.h5ad" "$d/small.h5ad" || fail "X is not the observed matrix"
  same "$d/a.h5ad" "$d/a.h5ad:imputed" && fail "the imputed layer equals the observed matrix"
  # --replace swaps them: the imputed values in X, the observed ones in layers/observed.
  run 0 "" "$B/drim-impute" --expr "$d/small.h5ad" --model "$d/m.pt" --replace --out "$d/r.h5ad" --quiet
  same "$d/r.h5ad" "$d/a.h5ad:imputed" || fail "--replace: X is not the imputed matrix"
  same "$d/r.h5ad:observed" "$d/small.h5ad" || fail "--replace: layers/observed is not the observed matrix"
  # --posterior none: ER-Net's restoration, observed non-zero values kept (--keep-observed).
  run 0 "" "$B/drim-impute" --expr "$d/small.h5ad" --model "$d/m.pt" --posterior none --out "$d/n.h5ad" --quiet
  grep -q '"posterior":"none"' "$d/stdout" || fail "--posterior none not in the summary: $(cat "$d/stdout")"
  run 0 "" "$B/drim-impute" --expr "$d/small.h5ad" --model "$d/m.pt" --posterior none --no-keep-observed --out "$d/p.h5ad" --quiet
  # The default layer is the gamma-Poisson posterior of the restoration (--no-keep-observed) and the
  # counts, recomputed here with scipy: k = sum y / sum m, the shape maximising the negative
  # binomial likelihood, the posterior mean k m (a + y) / (a + k m).
  /usr/bin/python3 - "$d/small.h5ad" "$d/p.h5ad" "$d/a.h5ad" << 'PY' || fail "the posterior differs from scipy's"
import sys, anndata, numpy as np
from scipy.special import gammaln
from scipy.optimize import minimize_scalar
Y = np.asarray(anndata.read_h5ad(sys.argv[1]).X, float)
R = np.asarray(anndata.read_h5ad(sys.argv[2]).layers["imputed"], float)
P = np.asarray(anndata.read_h5ad(sys.argv[3]).layers["imputed"], float)
worst = 0
for g in range(Y.shape[1]):
    y = Y[:, g]
    if y.sum() == 0:
        assert (P[:, g] == 0).all(), g
        continue
    m = np.maximum(R[:, g], 1e-3 * y.mean())
    m = m * y.sum() / m.sum()
    nll = lambda la: -np.sum(gammaln(y + np.exp(la)) - gammaln(np.exp(la)) + np.exp(la) * np.log(np.exp(la) / (np.exp(la) + m))
                             + y * np.log(m / (np.exp(la) + m)))
    a = np.exp(minimize_scalar(nll, bounds=(np.log(1e-4), np.log(1e6)), method="bounded", options={"xatol": 1e-8}).x)
    worst = max(worst, np.max(np.abs(P[:, g] - m * (a + y) / (a + m)) / (1 + m)))
assert worst < 1e-3, worst
assert not np.array_equal(P[Y > 0], Y[Y > 0])
PY
  /usr/bin/python3 - "$d/n.h5ad" << 'PY' || fail "the imputed layer changed observed values or imputed too few zeros"
import sys, anndata, numpy as np
a = anndata.read_h5ad(sys.argv[1])
assert list(a.layers.keys()) == ["imputed"], a.layers.keys()
X, I = np.asarray(a.X), a.layers["imputed"]
assert I.shape == X.shape and (I >= 0).all() and np.array_equal(I[X > 0], X[X > 0]) and (I[X == 0] > 0).mean() > 0.5
PY
fi
# --checkpoint/--resume: one epoch, then resumed to two, gives the two-epoch model.
run 0 "" "${t0[@]}" --epochs 1 --checkpoint "$d/ck.pt" --out "$d/e1.h5ad"
run 0 "" "${t[@]}" --checkpoint "$d/ck.pt" --resume --out "$d/e2.h5ad"
run 1 "needs an existing checkpoint" "${t[@]}" --checkpoint "$d/none.pt" --resume --out "$d/e3.h5ad"
[ ! -e "$d/e3.h5ad" ] || fail "an output was left after a failed resume"
if /usr/bin/python3 -c "import anndata" 2> /dev/null; then
  same "$d/e2.h5ad:imputed" "$d/a.h5ad:imputed" || fail "a resumed run differs from an uninterrupted one"
fi
# The baselines.
run 0 "" "$B/drim-impute" --expr "$d/small.h5ad" --method knn --k 5 --out "$d/k.h5ad" --quiet
run 0 "" "$B/drim-impute" --expr "$d/small.h5ad" --method magic --out "$d/g.h5ad" --quiet
run 2 "needs --method tcer" "$B/drim-impute" --expr "$d/small.h5ad" --method knn --posterior none --out "$d/g2.h5ad"
# Values that are not counts: --posterior gamma-poisson refuses them; auto falls back to none.
printf 'gene,c1,c2,c3,c4,c5,c6\nA,1.5,0,2.2,0.3,1,0\nB,0,1.1,0,2,0.7,1\nC,3.1,0,1,0,0.2,0.4\nD,1,1.3,0,0.6,0,2\n' > "$d/logged.csv"
run 2 "needs counts" "$B/drim-impute" --expr "$d/logged.csv" --posterior gamma-poisson --epochs 1 --channels 4 --dfa-blocks 1 --out "$d/l.h5ad"
[ ! -e "$d/l.h5ad" ] || fail "an output was left after a refused --posterior"
run 0 "not counts" "$B/drim-impute" --expr "$d/logged.csv" --epochs 1 --channels 4 --dfa-blocks 1 --out "$d/l.h5ad"
grep -q '"posterior":"none"' "$d/stdout" || fail "non-counts should fall back to --posterior none: $(cat "$d/stdout")"
echo "cli_impute: ok"
