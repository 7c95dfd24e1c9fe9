#!/bin/bash
# `cmake --install` into a scratch prefix, then an outside project finds drim with
# find_package(drim), builds against it and runs on the demo data.
# Usage: tests/install_consumer.sh BUILD_DIR SOURCE_DIR
set -eu
B=$1 S=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cmake --install "$B" --prefix "$d/prefix" > "$d/install.log"
for tool in drim-images drim-convert drim-network; do
  [ -x "$d/prefix/bin/$tool" ] || { echo "FAIL: $tool not installed"; exit 1; }
done
[ -f "$d/prefix/lib/cmake/drim/drimConfig.cmake" ] || [ -f "$d/prefix/lib/x86_64-linux-gnu/cmake/drim/drimConfig.cmake" ] ||
  { echo "FAIL: no drimConfig.cmake"; exit 1; }
"$d/prefix/bin/drim-convert" --version | grep -q "drim" || { echo "FAIL: the installed drim-convert does not run"; exit 1; }
cmake -S "$S/tests/consumer" -B "$d/build" -DCMAKE_PREFIX_PATH="$d/prefix" -DCMAKE_BUILD_TYPE=Release > "$d/configure.log" 2>&1 ||
  { cat "$d/configure.log"; echo "FAIL: find_package(drim)"; exit 1; }
cmake --build "$d/build" > "$d/build.log" 2>&1 || { tail -30 "$d/build.log"; echo "FAIL: the consumer does not build"; exit 1; }
printf 'tf\ttarget\tscore\nT1\tA\t0.9\nT1\tB\t0.8\nT2\tA\t0.7\nA\tC\t0.6\n' > "$d/edges.tsv"
out=$("$d/build/consumer" "$S/data/demo/expression.h5ad" "$d/edges.tsv")
echo "$out"
# The demo has 300 genes x 400 cells; every cell lands in one pixel; PageRank as networkx gives it
# (nx.pagerank on the same four edges: C 0.3398).
grep -q "300 genes x 400 cells; I(.*) holds 400 cells" <<< "$out" || { echo "FAIL: unexpected images line"; exit 1; }
grep -q "4 edges over 5 genes; highest PageRank: C (0.3398)" <<< "$out" || { echo "FAIL: unexpected network line"; exit 1; }
# The Python package, when built, lands in the prefix's site-packages and imports from there.
site=$(ls -d "$d/prefix"/lib*/python3*/site-packages 2>/dev/null | head -1 || true)
if [ -n "$site" ]; then
  v=$(cd "$d" && PYTHONPATH="$site" /usr/bin/python3 -c "import drim, os; assert drim.__file__.startswith('$d'); print(drim.__version__)") ||
    { echo "FAIL: the installed Python package does not import"; exit 1; }
  echo "installed Python package: drim $v"
fi
echo "install_consumer: all checks passed"
