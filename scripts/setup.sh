#!/usr/bin/env bash
# Installs every build and test dependency of drim from Debian's packages.
# Idempotent: does nothing (and prints nothing) when all are already present.
# Usage: bash scripts/setup.sh [--with-python] [--with-fuzz]
#   --with-python: numpy/anndata/h5py/matplotlib/networkx for the interop checks
#   --with-fuzz:   clang with libFuzzer and the sanitizers (scripts/fuzz.sh)
set -euo pipefail
pkgs=(cmake g++ make pkg-config zlib1g-dev libtorch-dev libhdf5-dev libeigen3-dev libcli11-dev
      libspdlog-dev nlohmann-json3-dev libgtest-dev libopenblas0-openmp libigraph-dev libgloo-dev
      python3-dev pybind11-dev python3-numpy)
py_pkgs=(python3 python3-numpy python3-pandas python3-anndata python3-h5py python3-matplotlib python3-scipy python3-networkx)
fuzz_pkgs=(clang libclang-rt-14-dev libomp-dev)
want=("${pkgs[@]}")
[[ "${DRIM_WITH_PYTHON:-0}" == 1 ]] && want+=("${py_pkgs[@]}")
for arg in "$@"; do
  case "$arg" in
    --with-python) want+=("${py_pkgs[@]}") ;;
    --with-fuzz) want+=("${fuzz_pkgs[@]}") ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "drim setup: installing ${missing[*]}" >&2
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
