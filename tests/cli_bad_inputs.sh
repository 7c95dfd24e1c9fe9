#!/bin/bash
# Malformed inputs and misused options, one line each: the exit code (1 bad input, 2 bad command
# line), a fragment of the message, and that no output or temporary file is left behind.
# Usage: tests/cli_bad_inputs.sh BUILD_DIR DEMO_DIR
set -u
B=$1 D=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
n=0 failed=0
# case CODE FRAGMENT TOOL ARGS...: every output goes to $d/o (a file or folder) and must not appear.
case_() {
  local code=$1 frag=$2 tool=$3
  shift 3
  n=$((n + 1))
  rm -rf "$d/o"
  if [ "$tool" = env ]; then env "$1" "$2" "$B/$3" "${@:4}"; else "$B/$tool" "$@"; fi > "$d/stdout" 2> "$d/stderr"
  local rc=$?
  local why=""
  [ "$rc" -eq "$code" ] || why="exit $rc, expected $code"
  grep -q -- "$frag" "$d/stderr" || why="$why; '$frag' not in the message"
  [ ! -e "$d/o" ] || [ -z "$(ls -A "$d/o" 2>/dev/null)" ] || why="$why; output left: $(ls -A "$d/o" | head -3)"
  if ls -a "$d" "$d/o" 2>/dev/null | grep -q '\.tmp-'; then why="$why; temporary file left"; fi
  if [ -n "$why" ]; then
    failed=$((failed + 1))
    echo "FAIL $n: $tool $*: $why: $(head -c 300 "$d/stderr")" >&2
  fi
}
w() { printf "$2" > "$d/$1"; }  # w NAME CONTENT

# ---- expression files (drim-convert) ----
w empty.csv ''
w header.csv 'gene,A,B\n'
w ragged.csv 'gene,A,B\nG1,1,2\nG2,1\n'
w wide.csv 'gene,A,B\nG1,1,2,3,4\n'
w nonnum.csv 'gene,A,B\nG1,1,x\n'
w nan.csv 'gene,A,B\nG1,1,nan\n'
w inf.csv 'gene,A,B\nG1,1,inf\n'
w neg.csv 'gene,A,B\nG1,1,-2\n'
w dupgene.csv 'gene,A,B\nG1,1,2\nG1,3,4\n'
w dupcell.csv 'gene,A,A\nG1,1,2\n'
w space.csv 'gene,A,B\nG1,1,2 3\n'
w fake.h5ad 'not hdf5 at all'
w fake.h5 'gene,A\nG1,1\n'
w fake.loom 'x'
mkdir -p "$d/mtx_missing" "$d/mtx_bad" "$d/mtx_shape"
w mtx_missing/matrix.mtx '%%%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1\n'
w mtx_bad/matrix.mtx 'hello\n'; w mtx_bad/genes.tsv 'E1\tG1\n'; w mtx_bad/barcodes.tsv 'A\n'
w mtx_shape/matrix.mtx '%%%%MatrixMarket matrix coordinate real general\n2 1 1\n1 1 1\n'; w mtx_shape/genes.tsv 'E1\tG1\n'; w mtx_shape/barcodes.tsv 'A\n'
mkdir -p "$d/mtx_count"
w mtx_count/matrix.mtx '%%%%MatrixMarket matrix coordinate real general\n1 1 2\n1 1 1\n'; w mtx_count/genes.tsv 'E1\tG1\n'; w mtx_count/barcodes.tsv 'A\n'
mkdir -p "$d/mtx_val"
w mtx_val/matrix.mtx '%%%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 abc\n'; w mtx_val/genes.tsv 'E1\tG1\n'; w mtx_val/barcodes.tsv 'A\n'
case_ 1 "empty" drim-convert --expr "$d/empty.csv" --out "$d/o"
case_ 1 "no gene rows" drim-convert --expr "$d/header.csv" --out "$d/o"
case_ 1 "ragged row" drim-convert --expr "$d/ragged.csv" --out "$d/o"
case_ 1 "fields but the header has" drim-convert --expr "$d/wide.csv" --out "$d/o"
case_ 1 "'x' for gene 'G1' in cell 'B' is not a number" drim-convert --expr "$d/nonnum.csv" --out "$d/o"
case_ 1 "NaN for gene 'G1'" drim-convert --expr "$d/nan.csv" --out "$d/o"
case_ 1 "an infinite value" drim-convert --expr "$d/inf.csv" --out "$d/o"
case_ 1 "negative value" drim-convert --expr "$d/neg.csv" --out "$d/o"
case_ 1 "duplicate gene name 'G1'" drim-convert --expr "$d/dupgene.csv" --out "$d/o"
case_ 1 "duplicate cell name 'A'" drim-convert --expr "$d/dupcell.csv" --out "$d/o"
case_ 1 "'2 3'" drim-convert --expr "$d/space.csv" --out "$d/o"
case_ 1 "not an HDF5 file" drim-convert --expr "$d/fake.h5ad" --out "$d/o"
case_ 1 "not an HDF5 file" drim-convert --expr "$d/fake.h5" --out "$d/o"
case_ 1 "not an HDF5 file" drim-convert --expr "$d/fake.loom" --out "$d/o"
case_ 1 "no such file" drim-convert --expr "$d/absent.csv" --out "$d/o"
case_ 1 "needs matrix.mtx, features.tsv" drim-convert --expr "$d/mtx_missing" --out "$d/o"
case_ 1 "not a MatrixMarket coordinate file" drim-convert --expr "$d/mtx_bad" --out "$d/o"
case_ 1 "the matrix is 2 x 1" drim-convert --expr "$d/mtx_shape" --out "$d/o"
case_ 1 "promises 2 entries" drim-convert --expr "$d/mtx_count" --out "$d/o"
case_ 1 "expected 'row column value'" drim-convert --expr "$d/mtx_val" --out "$d/o"
case_ 1 "no '/layers/spliced'" drim-convert --expr "$D/expression.h5ad" --layer spliced --out "$d/o"
case_ 1 "has no column 'symbol'" drim-convert --expr "$D/expression.h5ad" --gene-column symbol --out "$d/o"
case_ 1 "no dataset" drim-convert --expr "$D/expression.h5ad" --expr-format hdf5 --dataset /nope --out "$d/o"
case_ 1 "neither '/matrix'" drim-convert --expr "$D/expression.h5ad" --expr-format 10x --out "$d/o"
case_ 2 "--expr is required" drim-convert --out "$d/o"
case_ 2 "--out is required" drim-convert --expr "$D/expression.h5ad"
case_ 2 "expr-format" drim-convert --expr "$D/expression.h5ad" --expr-format xls --out "$d/o"
case_ 2 "input-scale" drim-convert --expr "$D/expression.h5ad" --input-scale log2 --out "$d/o"
case_ 2 "values up to" drim-convert --expr "$D/expression.h5ad" --input-scale log1p --out "$d/o"
case_ 2 "threads" drim-convert --expr "$D/expression.h5ad" --threads -1 --out "$d/o"
case_ 2 "no-such-option" drim-convert --expr "$D/expression.h5ad" --no-such-option --out "$d/o"
case_ 2 "is the input" drim-convert --expr "$D/expression.h5ad" --out "$D/./expression.h5ad"

# ---- pairs and images (drim-images) ----
w p_short.tsv 'TF1\n'
w p_label.tsv 'TF1\tG1\t2\n'
w p_unknown.tsv 'TF1\tNoSuchGene\n'
w p_empty.tsv '# nothing\n'
w groups_bad.tsv 'TF1\n'
case_ 1 "p_short.tsv line 1" drim-images --expr "$D/expression.h5ad" --pairs "$d/p_short.tsv" --out "$d/o"
case_ 1 "p_label.tsv line 1" drim-images --expr "$D/expression.h5ad" --pairs "$d/p_label.tsv" --out "$d/o"
case_ 1 "NoSuchGene" drim-images --expr "$D/expression.h5ad" --pairs "$d/p_unknown.tsv" --out "$d/o"
case_ 1 "p_empty.tsv" drim-images --expr "$D/expression.h5ad" --pairs "$d/p_empty.tsv" --out "$d/o"
case_ 1 "groups_bad.tsv" drim-images --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --neighbor-groups "$d/groups_bad.tsv" --out "$d/o"
case_ 2 "--pairs or --network" drim-images --expr "$D/expression.h5ad" --out "$d/o"
case_ 2 "cannot go to stdout" drim-images --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --out -
case_ 2 "must be a number >= 0, got -3" drim-images --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --neighbors -3 --out "$d/o"
case_ 2 "--store: pix not in {pixels,counts}" drim-images --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --store pix --out "$d/o"

# ---- edge lists (drim-merge, drim-network) ----
w e_unsorted.tsv 'tf\ttarget\tscore\nT1\tA\t0.1\nT1\tB\t0.9\n'
w e_nonnum.tsv 'tf\ttarget\tscore\nT1\tA\thigh\n'
w e_short.tsv 'tf\ttarget\tscore\nT1\tA\n'
w e_dup.tsv 'T1\tA\t0.9\nT1\tA\t0.8\n'
w e_empty.tsv 'tf\ttarget\tscore\n'
w e_nan.tsv 'T1\tA\tnan\n'
w e_ok.tsv 'tf\ttarget\tscore\nT1\tA\t0.9\n'
w e_low.tsv 'T1\tA\t0.1\n'
case_ 1 "not sorted best first" drim-merge "$d/e_unsorted.tsv" --out "$d/o"
case_ 1 "'high' is not a number" drim-merge "$d/e_nonnum.tsv" --out "$d/o"
case_ 1 "expected 'tf, target, score'" drim-merge "$d/e_short.tsv" --out "$d/o"
case_ 2 "given twice" drim-merge "$d/e_ok.tsv" "$d/e_ok.tsv" --out "$d/o"
case_ 2 "format" drim-merge "$d/e_ok.tsv" --format csv --out "$d/o"
case_ 1 "'high' is not a number" drim-network "$d/e_nonnum.tsv" --out "$d/o"
case_ 1 "three fields" drim-network "$d/e_short.tsv" --out "$d/o"
case_ 1 "more than once" drim-network "$d/e_dup.tsv" --out "$d/o"
case_ 1 "no edges" drim-network "$d/e_empty.tsv" --out "$d/o"
case_ 1 "NaN" drim-network "$d/e_nan.tsv" --out "$d/o"
case_ 1 "no edge is left" drim-network "$d/e_low.tsv" --out "$d/o"
case_ 2 "damping" drim-network "$d/e_ok.tsv" --damping 1.5 --out "$d/o"
case_ 2 "edge list" drim-network --out "$d/o"
case_ 2 "different names" drim-network compare "$d/e_ok.tsv" "$d/e_ok.tsv" --names A,A --out "$d/o"
case_ 2 "edges" drim-network compare "$d/e_ok.tsv" --out "$d/o"

# ---- simulation ----
case_ 1 "genes > tfs" drim-simulate grn --genes 10 --tfs 20 --out "$d/o"
case_ 2 "conditions" drim-simulate grn --conditions 0 --out "$d/o"
case_ 2 "rewire" drim-simulate grn --conditions 2 --rewire 1.5 --out "$d/o"
case_ 2 "cutoff" drim-simulate dropout --expr "$D/expression.h5ad" --cutoff 2 --out "$d/o"
case_ 2 "subcommand" drim-simulate --out "$d/o"

# ---- model tools (when built) ----
if [ -x "$B/drim-train" ]; then
  w nolabel.tsv 'TF1\tG1\n'
  w fake.pt 'not a model'
  case_ 1 "need a label on every line" drim-train --expr "$D/expression.h5ad" --pairs "$d/nolabel.tsv" --out "$d/o"
  case_ 2 "--images replaces" drim-train --images "$d/x.h5" --expr "$D/expression.h5ad" --out "$d/o"
  case_ 2 "preset" drim-train --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --preset fast --out "$d/o"
  case_ 2 "give exactly one of --pairs or --tfs" drim-predict --model "$d/fake.pt" --expr "$D/expression.h5ad" --out "$d/o"
  case_ 2 "--targets needs --tfs" drim-predict --model "$d/fake.pt" --expr "$D/expression.h5ad" --pairs "$D/pairs.tsv" --targets "$D/tfs.txt" --out "$d/o"
  case_ 2 "must look like i/N" drim-predict --model "$d/fake.pt" --expr "$D/expression.h5ad" --tfs "$D/tfs.txt" --shard 3 --out "$d/o"
  case_ 2 "out of range" drim-predict --model "$d/fake.pt" --expr "$D/expression.h5ad" --tfs "$D/tfs.txt" --shard 4/4 --out "$d/o"
  case_ 2 "SLURM_ARRAY_TASK_ID" env -u SLURM_ARRAY_TASK_ID drim-predict --model "$d/fake.pt" --expr "$D/expression.h5ad" --tfs "$D/tfs.txt" --shard slurm --out "$d/o"
  case_ 1 "fake.pt" drim-predict --model "$d/fake.pt" --expr "$D/expression.h5ad" --tfs "$D/tfs.txt" --out "$d/o"
fi
echo "cli_bad_inputs: $n cases, $failed failed"
[ "$failed" -eq 0 ]
