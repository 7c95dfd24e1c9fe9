// Inputs the fuzzers (fuzz/, scripts/fuzz.sh) found, replayed through the same readers: each must
// give a drim::Error or a result, never a crash or another exception.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "drim/error.hpp"
#include "drim/expression_io.hpp"
#include "drim/network/edge_list.hpp"
#include "drim/pairs.hpp"

namespace drim {
namespace {

namespace fs = std::filesystem;

/// Runs `read` on every file of fuzz/regressions/<harness>; returns how many there were.
template <typename Read>
int replay(const std::string& harness, Read read) {
  const fs::path dir = fs::path(DRIM_FUZZ_REGRESSIONS) / harness;
  int n = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    ++n;
    try {
      read(f.path().string());
    } catch (const Error&) {
    } catch (const std::exception& e) {
      ADD_FAILURE() << f.path() << ": " << e.what() << " (not a drim::Error)";
    }
  }
  return n;
}

TEST(FuzzRegressions, EveryFoundInputGivesAnErrorOrAResult) {
  int n = replay("fuzz_hdf5", [](const std::string& p) { read_expression(p); });
  n += replay("fuzz_csv", [](const std::string& p) {
    ReadExpressionOptions o;
    o.format = ExprFormat::Csv;
    read_expression(p, o);
  });
  n += replay("fuzz_pairs", [](const std::string& p) { read_pairs(p); });
  n += replay("fuzz_edge_list", [](const std::string& p) {
    GeneDictionary genes;
    read_edge_list(p, {}, genes);
  });
  EXPECT_GE(n, 1) << "fuzz/regressions holds the inputs found so far";
}

TEST(FuzzRegressions, OversizedObjectHeaderIsACleanError) {
  // A damaged HDF5 header that makes libhdf5 ask for 160 GB (found by fuzz_hdf5): the allocation
  // fails inside HDF5, which reports it, and drim turns that into an error naming the file.
  const std::string p = (fs::path(DRIM_FUZZ_REGRESSIONS) / "fuzz_hdf5" / "oversized-object-header.h5").string();
  try {
    read_expression(p);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("oversized-object-header.h5"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace drim
