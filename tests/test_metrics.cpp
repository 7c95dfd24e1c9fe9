// AUROC, AUPRC and accuracy against hand-computed values.
#include <cmath>

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

}  // namespace
}  // namespace drim
