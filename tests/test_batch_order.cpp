// Batches of an epoch: every row once, seeded, and the grouping each order promises.
#include <algorithm>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "drim/batch_order.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

/// 12 TFs x 30 targets, random labels with about 30 % positives; rows 0..n-1 minus a few.
struct Fixture {
  std::vector<LabelledPair> pairs;
  std::vector<std::size_t> rows;
  Fixture() {
    std::mt19937_64 rng(4);
    for (int t = 0; t < 12; ++t)
      for (int g = 0; g < 30; ++g) pairs.push_back({t, 100 + g, rng() % 10 < 3 ? 1 : 0});
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (i % 17 != 3) rows.push_back(i);
  }
};

std::size_t distinct(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& batch, bool target) {
  std::set<int> s;
  for (auto r : batch) s.insert(target ? pairs[r].target : pairs[r].tf);
  return s.size();
}

TEST(MakeBatches, EveryRowOnceInBatchesOfTheAskedSizeAndSeeded) {
  Fixture f;
  for (auto order : {BatchOrder::Random, BatchOrder::Balanced, BatchOrder::Target, BatchOrder::Tf}) {
    auto batches = make_batches(f.pairs, f.rows, 32, order, 9);
    std::vector<std::size_t> seen;
    std::size_t short_batches = 0;
    for (const auto& b : batches) {
      EXPECT_LE(b.size(), 32u);
      short_batches += b.size() < 32;
      seen.insert(seen.end(), b.begin(), b.end());
    }
    EXPECT_LE(short_batches, 1u);
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, f.rows);
    EXPECT_EQ(make_batches(f.pairs, f.rows, 32, order, 9), batches);
    EXPECT_NE(make_batches(f.pairs, f.rows, 32, order, 10), batches);
  }
  test::expect_error([] { parse_batch_order("sorted"); }, {"'sorted'"});
}

TEST(MakeBatches, GroupedOrdersShareGenesAndBalancedKeepsTheShare) {
  Fixture f;
  double random_targets = 0, target_targets = 0, random_tfs = 0, tf_tfs = 0;
  for (const auto& b : make_batches(f.pairs, f.rows, 24, BatchOrder::Random, 1)) {
    random_targets += distinct(f.pairs, b, true);
    random_tfs += distinct(f.pairs, b, false);
  }
  for (const auto& b : make_batches(f.pairs, f.rows, 24, BatchOrder::Target, 1)) target_targets += distinct(f.pairs, b, true);
  for (const auto& b : make_batches(f.pairs, f.rows, 24, BatchOrder::Tf, 1)) tf_tfs += distinct(f.pairs, b, false);
  // Each target has about 11 pairs, each TF about 28: a batch of 24 spans at most 4 targets or 2 TFs (+1 at each edge).
  const double nb = std::ceil(f.rows.size() / 24.0);
  EXPECT_LE(target_targets / nb, 4.0);
  EXPECT_LE(tf_tfs / nb, 3.0);
  EXPECT_GT(random_targets / nb, 12.0);
  EXPECT_GT(random_tfs / nb, 8.0);
  std::size_t pos = 0;
  for (auto r : f.rows) pos += f.pairs[r].label;
  const double share = static_cast<double>(pos) / f.rows.size();
  for (const auto& b : make_batches(f.pairs, f.rows, 24, BatchOrder::Balanced, 2)) {
    if (b.size() < 24) continue;
    std::size_t p = 0;
    for (auto r : b) p += f.pairs[r].label;
    EXPECT_NEAR(static_cast<double>(p) / b.size(), share, 2.5 / 24) << "a batch strays from the positive share";
  }
}

}  // namespace
}  // namespace drim
