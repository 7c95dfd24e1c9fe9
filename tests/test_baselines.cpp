// Baselines, early precision, Wilcoxon signed-rank and TF folds against independent references.
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "drim/baselines.hpp"
#include "drim/bin_codes.hpp"
#include "drim/metrics.hpp"
#include "drim/training_pairs.hpp"

namespace drim {
namespace {

TEST(Baselines, PearsonAndSpearmanHandComputed) {
  std::vector<double> x = {1, 2, 3, 4}, y = {2, 4, 6, 8}, z = {4, 3, 2, 1}, c = {5, 5, 5, 5};
  EXPECT_NEAR(pearson(x.data(), y.data(), 4), 1.0, 1e-12);
  EXPECT_NEAR(pearson(x.data(), z.data(), 4), -1.0, 1e-12);
  EXPECT_EQ(pearson(x.data(), c.data(), 4), 0.0);
  // x = 1,2,3,4 vs y = 1,3,2,4: r = 0.8 (hand: cov 1.0 / var 1.25).
  std::vector<double> w = {1, 3, 2, 4};
  EXPECT_NEAR(pearson(x.data(), w.data(), 4), 0.8, 1e-12);
  // Spearman is rank-invariant: exp() of the data keeps it.
  std::vector<double> ex = {std::exp(1.0), std::exp(3.0), std::exp(2.0), std::exp(4.0)};
  EXPECT_NEAR(spearman(x.data(), ex.data(), 4), 0.8, 1e-12);
  // ties: y = 0,0,1,1 has ranks 1.5,1.5,3.5,3.5.
  std::vector<double> t = {0, 0, 1, 1}, tr = {1.5, 1.5, 3.5, 3.5};
  EXPECT_NEAR(spearman(x.data(), t.data(), 4), pearson(x.data(), tr.data(), 4), 1e-12);
}

TEST(Baselines, HistogramMutualInformation) {
  std::vector<std::uint8_t> a = {0, 0, 1, 1}, same = {0, 0, 1, 1}, indep = {0, 1, 0, 1};
  EXPECT_NEAR(histogram_mi(a.data(), same.data(), 4), std::log(2.0), 1e-12);  // H(a) = log 2
  EXPECT_NEAR(histogram_mi(a.data(), indep.data(), 4), 0.0, 1e-12);
}

TEST(Baselines, InDegreeCountsTrainingPositivesOnly) {
  std::vector<LabelledPair> train = {{0, 5, 1}, {1, 5, 1}, {2, 5, 0}, {1, 6, 1}, {3, 7, 0}};
  std::vector<LabelledPair> test = {{9, 5, 1}, {9, 6, 0}, {9, 7, 1}, {9, 8, 0}};
  EXPECT_EQ(in_degree_scores(train, test), (std::vector<double>{2, 1, 0, 0}));
}

TEST(Baselines, DetectionRateCountsCellsAboveTheMinimum) {
  std::vector<double> counts = {0, 3, 0, 1, 0, 0, 2, 0};  // 3 of 8 cells express it
  EXPECT_DOUBLE_EQ(detection_rate(counts.data(), 8), 3.0 / 8);
  std::vector<double> logs(counts.size());  // log10(x + 0.01): the minimum is -2, not 0
  for (std::size_t i = 0; i < counts.size(); ++i) logs[i] = std::log10(counts[i] + 0.01);
  EXPECT_DOUBLE_EQ(detection_rate(logs.data(), 8), 3.0 / 8);
  std::vector<double> constant(5, 1.5), all_but_one = {-1, 2, 2, 5, 3};
  EXPECT_DOUBLE_EQ(detection_rate(constant.data(), 5), 0.0);
  EXPECT_DOUBLE_EQ(detection_rate(all_but_one.data(), 5), 0.8);
}

TEST(Metrics, EarlyPrecisionAndMedian) {
  // 2 positives: top 2 scores are one positive and one negative.
  EXPECT_DOUBLE_EQ(early_precision({0.9, 0.8, 0.7, 0.1}, {1, 0, 1, 0}), 0.5);
  EXPECT_DOUBLE_EQ(early_precision({0.9, 0.8, 0.7, 0.1}, {1, 1, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median({4, 1, 2, 3, NAN}), 2.5);
}

TEST(Metrics, WilcoxonMatchesScipy) {
  // Values from scipy.stats.wilcoxon 1.10.1.
  std::vector<double> x = {0.93, 0.81, 0.75, 0.72, 0.85, 0.62, 0.77, 0.66, 0.91, 0.74};
  std::vector<double> y = {0.7, 0.8, 0.6, 0.5, 0.6, 0.65, 0.5, 0.6, 0.4, 0.7};
  EXPECT_NEAR(wilcoxon_signed_rank_p(x, y), 0.005859375, 1e-12);  // no ties: exact
  // |0.8 - 0.81| == |0.71 - 0.7| in floating point: a tie, so the normal approximation.
  std::vector<double> xt = {0.9, 0.8, 0.75, 0.7, 0.85, 0.6, 0.77, 0.66, 0.9, 0.71};
  std::vector<double> yt = {0.7, 0.81, 0.6, 0.5, 0.6, 0.65, 0.5, 0.6, 0.4, 0.7};
  EXPECT_NEAR(wilcoxon_signed_rank_p(xt, yt), 0.01898115409498292, 1e-12);
  std::vector<double> zero(10, 0.0), pos = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, mixed = {1, -2, 3, 4, 5, 6, 7, 8, 9, -10};
  EXPECT_NEAR(wilcoxon_signed_rank_p(pos, zero), 0.001953125, 1e-12);  // table: 2 / 2^10
  EXPECT_NEAR(wilcoxon_signed_rank_p(mixed, zero), 0.130859375, 1e-12);
  std::vector<double> ties = {1, 1, 2, 2, 3, -3, 4, 5, 6, 7, 8, 9, -1};
  EXPECT_NEAR(wilcoxon_signed_rank_p(ties, std::vector<double>(13, 0.0)), 0.009583156647451825, 1e-9);  // method='approx'
  EXPECT_TRUE(std::isnan(wilcoxon_signed_rank_p({1, 2}, {1, 2})));
}

TEST(Folds, NoTfSharedBetweenFoldsAndBalancedOverManySeeds) {
  std::mt19937 rng(8);
  std::vector<LabelledPair> pairs;
  for (int tf = 0; tf < 40; ++tf) {
    int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) pairs.push_back({tf, static_cast<int>(rng() % 500), i % 2});
  }
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    auto folds = assign_tf_folds(pairs, 3, seed);
    std::map<int, std::set<int>> folds_of_tf;
    std::vector<std::size_t> size(3, 0);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      folds_of_tf[pairs[i].tf].insert(folds[i]);
      ++size[folds[i]];
    }
    for (const auto& [tf, f] : folds_of_tf) ASSERT_EQ(f.size(), 1u) << "TF " << tf << " seed " << seed;
    auto [lo, hi] = std::minmax_element(size.begin(), size.end());
    EXPECT_LE(*hi - *lo, 30u) << "seed " << seed;  // within one TF's worth of pairs
  }
  EXPECT_THROW(assign_tf_folds({{0, 1, 1}, {1, 2, 0}}, 3, 1), std::runtime_error);
}

}  // namespace
}  // namespace drim

namespace drim {
namespace {

TEST(Stacking, LeaveOneTfOutInDegreeByHand) {
  // Target 10 has positives from TFs 1, 2 and 3; target 11 one positive (TF 1) and a negative (TF 2).
  std::vector<LabelledPair> train = {{1, 10, 1}, {2, 10, 1}, {3, 10, 1}, {1, 11, 1}, {2, 11, 0}, {3, 12, 0}};
  const auto d = leave_one_tf_out_in_degree(train);
  EXPECT_EQ(d, (std::vector<double>{2, 2, 2, 0, 1, 0}));
  // The test-time count uses every training pair.
  EXPECT_EQ(in_degree_scores(train, {{4, 10, 0}, {4, 11, 0}, {4, 13, 0}}), (std::vector<double>{3, 1, 0}));
}

TEST(Stacking, LogisticFitMeetsTheOptimalityCondition) {
  // Labels drawn from a known logistic model; at the penalised optimum the gradient
  // X^T (y - p) - l2 * w (intercept unpenalised) vanishes, and the weights land near the truth.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> norm(0.0, 1.0);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  const std::size_t n = 4000;
  std::vector<double> f1(n), f2(n);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    f1[i] = norm(rng);
    f2[i] = norm(rng);
    const double p = 1.0 / (1.0 + std::exp(-(-0.5 + 1.5 * f1[i] - 0.8 * f2[i])));
    y[i] = unif(rng) < p;
  }
  const double l2 = 1e-3;
  const auto w = fit_logistic({f1, f2}, y, l2);
  ASSERT_EQ(w.size(), 3u);
  double g0 = 0, g1 = 0, g2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = 1.0 / (1.0 + std::exp(-(w[0] + w[1] * f1[i] + w[2] * f2[i])));
    g0 += y[i] - p;
    g1 += (y[i] - p) * f1[i];
    g2 += (y[i] - p) * f2[i];
  }
  EXPECT_NEAR(g0, 0.0, 1e-6);
  EXPECT_NEAR(g1 - l2 * w[1], 0.0, 1e-6);
  EXPECT_NEAR(g2 - l2 * w[2], 0.0, 1e-6);
  EXPECT_NEAR(w[0], -0.5, 0.15);
  EXPECT_NEAR(w[1], 1.5, 0.15);
  EXPECT_NEAR(w[2], -0.8, 0.15);
}

}  // namespace
}  // namespace drim
