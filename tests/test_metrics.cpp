// AUROC (also within strata), AUPRC and accuracy against hand-computed values and brute force.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "drim/metrics.hpp"

namespace drim {
namespace {

TEST(Metrics, AurocHandComputed) {
  EXPECT_DOUBLE_EQ(auroc({0.9, 0.8, 0.2, 0.1}, {1, 1, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(auroc({0.1, 0.2, 0.8, 0.9}, {1, 1, 0, 0}), 0.0);
  // positives 0.8, 0.4; negatives 0.6, 0.2: pairs won 3 of 4.
  EXPECT_DOUBLE_EQ(auroc({0.8, 0.6, 0.4, 0.2}, {1, 0, 1, 0}), 0.75);
  // ties count a half: positive 0.5 vs negatives 0.5 (tie) and 0.1 (win) -> 1.5 / 2.
  EXPECT_DOUBLE_EQ(auroc({0.5, 0.5, 0.1}, {1, 0, 0}), 0.75);
  EXPECT_DOUBLE_EQ(auroc({0.3, 0.3, 0.3, 0.3}, {1, 0, 1, 0}), 0.5);
  EXPECT_TRUE(std::isnan(auroc({0.3, 0.4}, {1, 1})));
}

TEST(Metrics, StratifiedAurocComparesOnlyWithinAStratum) {
  // stratum 0: pos 0.9 vs neg 0.1 (won); stratum 1: pos 0.2 vs negs 0.8 (lost) and 0.2 (tie);
  // stratum 2 has no negative and is skipped. Pooled it would be 0.9 > all, 0.2 < 0.8, ... = 4.5 / 6.
  const std::vector<double> s = {0.9, 0.1, 0.2, 0.8, 0.2, 0.5};
  const std::vector<int> y = {1, 0, 1, 0, 0, 1};
  const std::vector<double> strata = {0, 0, 1, 1, 1, 2};
  EXPECT_DOUBLE_EQ(stratified_auroc(s, y, strata), (1.0 + 0.0 + 0.5) / 3);
  EXPECT_DOUBLE_EQ(stratified_auroc(s, y, std::vector<double>(6, 7.0)), auroc(s, y));
  EXPECT_DOUBLE_EQ(stratified_auroc(strata, y, strata), 0.5);  // the strata themselves add nothing
  EXPECT_TRUE(std::isnan(stratified_auroc({0.3, 0.4}, {1, 0}, {1, 2})));
}

TEST(Metrics, StratifiedAurocMatchesBruteForceOverPairs) {
  std::mt19937 rng(5);
  for (int rep = 0; rep < 20; ++rep) {
    const int n = 5 + rep * 3;
    std::vector<double> s(n), strata(n);
    std::vector<int> y(n);
    for (int i = 0; i < n; ++i) {
      s[i] = static_cast<int>(rng() % 6) / 5.0;  // few values: many ties
      y[i] = static_cast<int>(rng() % 2);
      strata[i] = static_cast<double>(rng() % 4);
    }
    double won = 0, compared = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (y[i] == 1 && y[j] == 0 && strata[i] == strata[j]) {
          won += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
          compared += 1;
        }
    if (compared == 0) continue;
    EXPECT_NEAR(stratified_auroc(s, y, strata), won / compared, 1e-12) << "rep " << rep;
  }
}

TEST(Metrics, AuprcIsAveragePrecision) {
  EXPECT_DOUBLE_EQ(auprc({0.9, 0.8, 0.2, 0.1}, {1, 1, 0, 0}), 1.0);
  // ranks: 1 (pos) P=1, 2 (neg), 3 (pos) P=2/3 -> AP = 0.5 * 1 + 0.5 * 2/3.
  EXPECT_DOUBLE_EQ(auprc({0.8, 0.6, 0.4, 0.2}, {1, 0, 1, 0}), 0.5 + 1.0 / 3);
  // one tie group holding everything: recall 1 at precision 2/4.
  EXPECT_DOUBLE_EQ(auprc({0.3, 0.3, 0.3, 0.3}, {1, 0, 1, 0}), 0.5);
  EXPECT_TRUE(std::isnan(auprc({0.3, 0.4}, {0, 0})));
}

TEST(Metrics, AccuracyAtOneHalf) {
  EXPECT_DOUBLE_EQ(accuracy({0.9, 0.5, 0.49, 0.1}, {1, 1, 1, 0}), 0.75);
}

TEST(MannWhitney, MatchesScipyAsymptoticWithTiesAndContinuity) {
  // Reference values: scipy 1.10 stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic").
  EXPECT_NEAR(mann_whitney_p({3, -1, 4, 1, 5, 9, 2, 6}, {-5, 3, 5, -8, 9, 7, 9, -3, -2, -3, 8}), 0.6487148132889451, 1e-12);
  EXPECT_NEAR(mann_whitney_p({1, 2, 3}, {4, 5, 6, 7}), 0.05182992721790968, 1e-12);
  EXPECT_NEAR(mann_whitney_p({1, 1, 1, 2}, {1, 1, 3, 3, 3}), 0.21780875354798301, 1e-12);
  EXPECT_NEAR(mann_whitney_p({4, 5, 6, 7}, {1, 2, 3}), 0.05182992721790968, 1e-12);  // symmetric
  EXPECT_TRUE(std::isnan(mann_whitney_p({}, {1, 2})));
  EXPECT_TRUE(std::isnan(mann_whitney_p({2, 2}, {2, 2, 2})));
}

}  // namespace
}  // namespace drim
