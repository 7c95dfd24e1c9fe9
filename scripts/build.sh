#!/usr/bin/env bash
# Installs dependencies (scripts/setup.sh) and builds drim into build/ (Release).
# Usage: bash scripts/build.sh [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh ${DRIM_SETUP_ARGS:-}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$(nproc)"
