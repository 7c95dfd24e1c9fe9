#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs dependencies, builds, runs the unit tests
# (ctest over GoogleTest), then the interop checks with the real anndata/numpy/networkx packages, the
# Python API against the tools, and,
# when ../shared/data is beside the repo, the numpy fixture cross-check on real data.
set -euo pipefail
cd "$(dirname "$0")/.."
DRIM_SETUP_ARGS=--with-python bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
PY=/usr/bin/python3
if $PY -c "import anndata" 2>/dev/null; then
  $PY scripts/anndata_interop.py --bin build
else
  echo "test.sh: python3-anndata not installed; skipping the anndata interop check" >&2
fi
if $PY -c "import anndata, h5py, pandas, scipy" 2>/dev/null && [ -d build/python/drim ]; then
  PYTHONPATH=build/python $PY tests/python/test_api.py build data/demo
  if $PY -c "import matplotlib" 2>/dev/null; then
    PYTHONPATH=build/python $PY scripts/example_api.py --epochs 1 --out "$(mktemp -d)"
  fi
else
  echo "test.sh: anndata/h5py/pandas/scipy or the Python module missing; skipping the Python API tests" >&2
fi
if $PY -c "import networkx, numpy" 2>/dev/null; then
  $PY scripts/check-network-networkx.py --bin build
else
  echo "test.sh: python3-networkx not installed; skipping the networkx cross-check of drim-network" >&2
fi
if [ -d ../shared/data/beeline/mESC ] && $PY -c "import numpy, h5py" 2>/dev/null; then
  bash scripts/check-images-numpy.sh
fi
echo "test.sh: all tests passed"
