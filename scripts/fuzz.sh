#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# into build-fuzz/, seeds each with small valid inputs, and runs them one after the other.
# Findings (crashing inputs) land in out/fuzz/<harness>/; copy them to fuzz/regressions/<harness>/
# so that the unit tests replay them.
# Usage: bash scripts/fuzz.sh [SECONDS_PER_HARNESS (default 900)] [harness ...]
#   harnesses: fuzz_csv fuzz_pairs fuzz_hdf5 fuzz_edge_list (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-900}
shift || true
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=(fuzz_csv fuzz_pairs fuzz_hdf5 fuzz_edge_list)
bash scripts/setup.sh --with-python --with-fuzz
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDRIM_WITH_TORCH=OFF -DDRIM_BUILD_TESTS=OFF \
  -DDRIM_FUZZ=ON -DCMAKE_C_FLAGS="$SAN" -DCMAKE_CXX_FLAGS="$SAN -fsanitize=fuzzer-no-link" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${HARNESSES[@]}" drim-convert >/dev/null

# Seeds: small valid inputs of each kind.
C=out/fuzz/corpus
mkdir -p $C/fuzz_csv $C/fuzz_pairs $C/fuzz_hdf5 $C/fuzz_edge_list
printf 'gene,A,B,C\nSox2,1,0,2.5\nNanog,0,3,0\n' > $C/fuzz_csv/small.csv
printf '\tA\tB\nSox2\t1\t0\n"Nanog"\t0\t3e2\n' > $C/fuzz_csv/tabs.tsv
printf '# tf target label\ntf\ttarget\nTF1\tG1\t1\nTF1,G2,0\nTF2 G1\n' > $C/fuzz_pairs/small.tsv
printf 'tf\ttarget\tscore\nT1\tX\t0.9\nT1\tY\t0.4\nT2\tX\t7.5e-1\n' > $C/fuzz_edge_list/drim.tsv
printf 'Gene1,Gene2,EdgeWeight\nT1,X,0.9\nX,T1,0.1\nT1,T1,1\n' > $C/fuzz_edge_list/beeline.csv
ASAN_OPTIONS=detect_leaks=0 build-fuzz/drim-convert --expr $C/fuzz_csv/small.csv --out $C/fuzz_hdf5/small.h5ad --quiet
if /usr/bin/python3 -c "import h5py" 2>/dev/null; then
  /usr/bin/python3 - "$C/fuzz_hdf5" <<'PY'
import sys, h5py, numpy as np
d = sys.argv[1]
with h5py.File(f"{d}/v3.h5", "w") as f:  # 10x v3, fixed-length strings as Cell Ranger writes them
    m = f.create_group("matrix")
    m["barcodes"] = np.array([b"AAAC-1", b"AAAG-1"])
    m["features/name"] = np.array([b"Gene1", b"Gene10"])
    m["features/id"] = np.array([b"E1", b"E2"])
    m["features/feature_type"] = np.array([b"Gene Expression", b"Antibody Capture"])
    m["shape"] = np.array([2, 2]); m["data"] = np.array([1, 2], dtype=np.int32)
    m["indices"] = np.array([0, 1]); m["indptr"] = np.array([0, 1, 2])
with h5py.File(f"{d}/x.loom", "w") as f:
    f["matrix"] = np.array([[1.0, 0.0], [0.0, 2.0]])
    f["row_attrs/Gene"] = np.array([b"A", b"B"]); f["col_attrs/CellID"] = np.array([b"c1", b"c2"])
PY
fi

mkdir -p out/fuzz
for h in "${HARNESSES[@]}"; do
  mkdir -p "out/fuzz/$h"
  echo "== $h: ${SECS}s =="
  # A failed allocation is an answer, not a crash: libhdf5 asks for absurd sizes on damaged headers
  # (160 GB seen) and reports the failure, which drim turns into an error naming the file.
  # libhdf5 1.10 itself crashes on some damaged files (fuzz/known-libhdf5-crashes/), so the HDF5
  # harness runs in fork mode and goes on after a crash; every crash is then sorted below by
  # whether its stack's top frames are in libhdf5 or in drim.
  fork=()
  [ "$h" = fuzz_hdf5 ] && fork=(-fork=1 -ignore_crashes=1)
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    build-fuzz/fuzz/$h "$C/$h" "${fork[@]}" -max_total_time="$SECS" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1000000 \
    -artifact_prefix="out/fuzz/$h/" -print_final_stats=1 > "out/fuzz/$h.log" 2>&1 || echo "$h: FOUND A CRASH (see out/fuzz/$h.log)"
  grep -E "^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY" "out/fuzz/$h.log" | tail -4
  [ "$h" = fuzz_hdf5 ] && grep -E "^#[0-9]+: cov: " "out/fuzz/$h.log" | tail -1
  in_lib=0 in_drim=0 replay_ok=0
  for f in "out/fuzz/$h"/crash-* "out/fuzz/$h"/timeout-* "out/fuzz/$h"/oom-*; do
    [ -e "$f" ] || continue
    top=$(ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 timeout 120 build-fuzz/fuzz/$h "$f" -malloc_limit_mb=1000000 \
      -timeout=10 2>&1 | grep -E "^ +#[0-9]+ " | head -12 || true)
    # The first frame outside the sanitizers, libFuzzer and libc (memcpy, memset) says whose code crashed.
    first=$(grep -v -E "__asan|__interceptor|__sanitizer|__ubsan|fuzzer::|libc\.so|sysdeps|__mem(cpy|move|set)" <<< "$top" | head -1 || true)
    if [ -z "$top" ]; then
      replay_ok=$((replay_ok + 1))  # a timeout or slow input that finishes when replayed alone
    elif grep -q "libhdf5" <<< "$first"; then
      in_lib=$((in_lib + 1))
    else
      in_drim=$((in_drim + 1))
      echo "  finding in drim: $f"
      sed 's/^/    /' <<< "$top"
    fi
  done
  echo "  findings whose first own frame is in libhdf5: $in_lib; elsewhere: $in_drim; slow or timed out but finish alone: $replay_ok"
done
