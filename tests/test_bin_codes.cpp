// Bin codes and pixel lookup against a direct transcription of numpy.histogram2d's rules.
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "drim/bin_codes.hpp"
#include "drim/pixel_lut.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

/// numpy: edges = linspace(lo, hi, 33); bin = (number of edges <= v) - 1; v == hi -> last bin.
std::vector<int> numpy_bins(const std::vector<double>& x) {
  double lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
  if (lo == hi) { lo -= 0.5; hi += 0.5; }
  std::vector<double> edges(33);
  double step = (hi - lo) / 32;
  for (int i = 0; i < 33; ++i) edges[i] = lo + i * step;
  edges[32] = hi;
  std::vector<int> bins;
  for (double v : x) {
    int le = 0;
    for (double e : edges) le += (e <= v);
    bins.push_back(v == edges[32] ? 31 : le - 1);
  }
  return bins;
}

std::vector<int> drim_bins(const std::vector<double>& x) {
  std::vector<std::uint8_t> out(x.size());
  bin_values(x.data(), x.size(), out.data());
  return std::vector<int>(out.begin(), out.end());
}

TEST(BinValues, HandComputedCases) {
  EXPECT_EQ(drim_bins({0.0, 1.0}), (std::vector<int>{0, 31}));
  EXPECT_EQ(drim_bins({0.0, 0.5, 1.0}), (std::vector<int>{0, 16, 31}));     // 0.5 is edge 16 exactly
  EXPECT_EQ(drim_bins({0.0, 0.03125, 0.0625, 1.0}), (std::vector<int>{0, 1, 2, 31}));  // values on edges go right
  EXPECT_EQ(drim_bins({0.0, 0.031, 1.0}), (std::vector<int>{0, 0, 31}));
}

TEST(BinValues, ConstantGeneWidensRangeToMiddleBin) {
  EXPECT_EQ(drim_bins({5.0, 5.0, 5.0}), (std::vector<int>{16, 16, 16}));
  EXPECT_EQ(drim_bins({-2.0}), (std::vector<int>{16}));  // one cell
}

TEST(BinValues, MatchesNumpyRulesOnRandomAndEdgeValues) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-3.0, 2.0);
  for (int trial = 0; trial < 200; ++trial) {
    std::size_t n = 1 + trial % 50;
    std::vector<double> x(n);
    for (auto& v : x) v = u(rng);
    if (trial % 3 == 0 && n > 3) {  // plant values exactly on interior edges
      double lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
      for (int k = 1; k < 4; ++k) x[k] = lo + (8 * k) * ((hi - lo) / 32);
    }
    EXPECT_EQ(drim_bins(x), numpy_bins(x)) << "trial " << trial;
  }
}

TEST(BinCodes, AppliesLog10PlusOneHundredthPerGene) {
  Expression e = test::random_expression(5, 40, 3);
  std::fill(e.row(4), e.row(4) + 40, 0.0);  // an all-zero gene
  BinCodes bc = compute_bin_codes(e, 2);
  for (std::size_t g = 0; g < 5; ++g) {
    std::vector<double> x(40);
    for (int c = 0; c < 40; ++c) x[c] = std::log10(e.row(g)[c] + 0.01);
    auto want = numpy_bins(x);
    for (int c = 0; c < 40; ++c) EXPECT_EQ(bc.row(g)[c], want[c]) << "gene " << g << " cell " << c;
  }
  for (int c = 0; c < 40; ++c) EXPECT_EQ(bc.row(4)[c], 16);
}

TEST(PixelLut, MatchesFormula) {
  PixelLut lut(421);
  EXPECT_NEAR(lut(0), 0.0f, 1e-7);
  EXPECT_FLOAT_EQ(lut(421), static_cast<float>((std::log10(1.0 + 1e-4) + 4) / 4));
  EXPECT_GT(lut(421), 1.0f);
  for (int k = 1; k <= 421; ++k) {
    EXPECT_FLOAT_EQ(lut(k), static_cast<float>((std::log10(k / 421.0 + 1e-4) + 4) / 4));
    EXPECT_GT(lut(k), lut(k - 1));
  }
}

}  // namespace
}  // namespace drim
