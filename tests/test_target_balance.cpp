// Loss weights that balance each target's classes: a hand-computed case and the property they
// exist for (a target's identity carries no weighted information about the label).
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "drim/target_balance.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

TEST(TargetBalance, WeighsEachTargetsClassesEquallyByHand) {
  const std::vector<LabelledPair> pairs = {
      {0, 7, 1}, {1, 7, 1}, {2, 7, 0},  // target 7: 2 positives, 1 negative, n = 3
      {0, 8, 1},                        // target 8: positives only
      {1, 9, 0}, {2, 9, 0},             // target 9: negatives only
      {3, 5, 1}, {4, 5, 0},             // target 5: one of each
      {4, 7, 0},                        // left out of the rows below
  };
  const std::vector<std::size_t> rows = {0, 1, 2, 3, 4, 5, 6, 7};
  const auto w = target_balance_weights(pairs, rows);
  const std::vector<double> expected = {0.75, 0.75, 1.5, 0.0, 0.0, 0.0, 1.0, 1.0};
  ASSERT_EQ(w.size(), expected.size());
  for (std::size_t i = 0; i < w.size(); ++i) EXPECT_DOUBLE_EQ(w[i], expected[i]) << "row " << rows[i];
  // With row 8 included, target 7 has 2 and 2: every pair of it weighs 1.
  const auto all = target_balance_weights(pairs, {0, 1, 2, 8});
  for (double x : all) EXPECT_DOUBLE_EQ(x, 1.0);
  test::expect_error([&] { target_balance_weights(pairs, {0, 9}); }, {"'9'", "9 pairs"});
}

TEST(TargetBalance, LeavesNoWeightedSignalInTheTargetsIdentity) {
  std::mt19937 rng(5);
  std::vector<LabelledPair> pairs;
  for (int tf = 0; tf < 30; ++tf)
    for (int t = 0; t < 40; ++t)
      if (rng() % 3 == 0) pairs.push_back({tf, 100 + t, rng() % 100 < static_cast<unsigned>(5 + 2 * t) ? 1 : 0});
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < pairs.size(); i += 1 + rng() % 2) rows.push_back(i);
  const auto w = target_balance_weights(pairs, rows);
  std::map<int, double> pos, neg;
  std::map<int, int> n;
  double kept = 0, total = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& p = pairs[rows[i]];
    (p.label ? pos : neg)[p.target] += w[i];
    n[p.target] += 1;
    if (w[i] > 0) {
      kept += 1;
      total += w[i];
    }
  }
  int both = 0;
  for (const auto& [target, count] : n) {
    if (pos[target] == 0 || neg[target] == 0) continue;
    ++both;
    // Weighted, each target is half positive: its identity no longer predicts the label.
    EXPECT_NEAR(pos[target], count / 2.0, 1e-9) << "target " << target;
    EXPECT_NEAR(neg[target], count / 2.0, 1e-9) << "target " << target;
  }
  EXPECT_GT(both, 20);
  EXPECT_NEAR(total / kept, 1.0, 1e-12);
}

TEST(TargetBalance, LossRowsKeepTheWeightedRows) {
  const std::vector<LabelledPair> pairs = {{0, 7, 1}, {1, 7, 0}, {2, 7, 0}, {0, 8, 1}, {1, 9, 0}};
  const LossRows all = loss_rows(pairs, {4, 0, 3}, "none");
  EXPECT_EQ(all.rows, (std::vector<std::size_t>{4, 0, 3}));
  EXPECT_TRUE(all.weight.empty());
  const LossRows balanced = loss_rows(pairs, {0, 1, 2, 3, 4}, "target");
  EXPECT_EQ(balanced.rows, (std::vector<std::size_t>{0, 1, 2}));  // targets 8 and 9 have one class
  EXPECT_EQ(balanced.weight, (std::vector<float>{1.5f, 0.75f, 0.75f, 0.0f, 0.0f}));
  test::expect_error([&] { loss_rows(pairs, {3, 4}, "target"); }, {"no target among the 2 training pairs"});
  test::expect_error([&] { loss_rows(pairs, {0}, "pairs"); }, {"'pairs'", "none or target"});
}

}  // namespace
}  // namespace drim
