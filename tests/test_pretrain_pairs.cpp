// The pretraining target read from a histogram image, against Pearson's r of the bin codes
// computed cell by cell, and the random gene pairs it is drawn for.
#include <cmath>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "drim/bin_codes.hpp"
#include "drim/image_builder.hpp"
#include "drim/pretrain_pairs.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

/// Pearson's r of two integer sequences (bins), by brute force.
double pearson(const std::vector<int>& x, const std::vector<int>& y) {
  return test::brute_pearson(std::vector<double>(x.begin(), x.end()), std::vector<double>(y.begin(), y.end()));
}

TEST(HistogramCorrelation, EqualsPearsonOfTheBinsCellByCell) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int> x(500), y(500);
    std::vector<std::uint32_t> counts(kImagePixels, 0);
    const int coupling = trial % 5;  // 0: independent; larger: y follows x more closely
    for (std::size_t c = 0; c < x.size(); ++c) {
      x[c] = static_cast<int>(rng() % kBins);
      const int noise = static_cast<int>(rng() % kBins);
      y[c] = (coupling * x[c] + (4 - coupling) * noise) / 4;
      if (trial % 2) y[c] = kBins - 1 - y[c];  // negative correlations too
      ++counts[y[c] * kBins + x[c]];            // columns x, rows y, as ImageContext::image_counts
    }
    EXPECT_NEAR(histogram_correlation(counts.data()), pearson(x, y), 1e-12) << "trial " << trial;
  }
}

TEST(HistogramCorrelation, IsZeroWithoutVarianceOrCells) {
  std::vector<std::uint32_t> counts(kImagePixels, 0);
  EXPECT_EQ(histogram_correlation(counts.data()), 0.0);
  counts[5 * kBins + 0] = 10;  // x always in bin 0: no variance in x
  counts[9 * kBins + 0] = 3;
  EXPECT_EQ(histogram_correlation(counts.data()), 0.0);
  counts[9 * kBins + 7] = 4;  // now x varies: y = 9 wherever x = 7, r > 0
  EXPECT_GT(histogram_correlation(counts.data()), 0.0);
}

TEST(HistogramCorrelation, MatchesTheImageContextsCounts) {
  // Gene 1 = gene 0 with noise, gene 2 = reversed gene 0: r of the images' bins by hand.
  Expression e;
  std::mt19937 rng(7);
  std::lognormal_distribution<double> ln(0.0, 1.0);
  const int cells = 300;
  e.genes = {"a", "b", "c"};
  for (int c = 0; c < cells; ++c) e.cells.push_back("c" + std::to_string(c));
  e.values.resize(3 * cells);
  for (int c = 0; c < cells; ++c) {
    const double v = ln(rng);
    e.values[c] = v;
    e.values[cells + c] = v * ln(rng) * 0.3;
    e.values[2 * cells + c] = 1.0 / v;
  }
  ImageOptions o;
  o.primary_only = true;
  const ImageContext ctx(e, o, 1);
  std::vector<std::uint32_t> counts(kImagePixels);
  for (auto [a, b] : {std::pair{0, 1}, std::pair{0, 2}, std::pair{1, 2}}) {
    ctx.image_counts(a, b, counts.data());
    std::vector<int> x(cells), y(cells);
    for (int c = 0; c < cells; ++c) {
      x[c] = ctx.codes().row(a)[c];
      y[c] = ctx.codes().row(b)[c];
    }
    EXPECT_NEAR(histogram_correlation(counts.data()), pearson(x, y), 1e-12) << a << "," << b;
  }
  ctx.image_counts(0, 2, counts.data());
  EXPECT_LT(histogram_correlation(counts.data()), -0.99);  // 1 / v: reversed bins
}

TEST(PixelCorrelation, EqualsPearsonAndIsZeroForAConstantImage) {
  std::mt19937 rng(5);
  std::normal_distribution<float> nrm(0.0f, 1.0f);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<float> x(2048), y(2048);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = nrm(rng);
      y[i] = (trial - 2) * 0.5f * x[i] + nrm(rng);
    }
    const double want = test::brute_pearson(std::vector<double>(x.begin(), x.end()), std::vector<double>(y.begin(), y.end()));
    EXPECT_NEAR(pixel_correlation(x.data(), y.data(), x.size()), want, 1e-9) << "trial " << trial;
  }
  const std::vector<float> flat(1024, 0.25f), other(1024, 1.0f);
  std::vector<float> ramp(1024);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<float>(i);
  EXPECT_EQ(pixel_correlation(flat.data(), ramp.data(), 1024), 0.0);
  EXPECT_EQ(pixel_correlation(flat.data(), other.data(), 1024), 0.0);
  EXPECT_NEAR(pixel_correlation(ramp.data(), ramp.data(), 1024), 1.0, 1e-12);
}

TEST(PrimaryCorrelations, ReadTheConditionalImageToo) {
  // a -> c -> b (a reaches b only through c), d -> b directly, e independent (the conditional
  // image's own test case): conditioned on the genes that best explain b, the transitive pair's
  // correlation vanishes and the direct pair's stays.
  const Expression e = test::chain_expression();
  ImageOptions plain_opts, cond_opts;
  plain_opts.primary_only = cond_opts.primary_only = true;
  cond_opts.conditional = 2;
  const ImageContext plain(e, plain_opts, 1), cond(e, cond_opts, 1);
  std::vector<std::uint32_t> counts(kImagePixels);
  for (auto [a, b] : std::vector<std::pair<int, int>>{{0, 2}, {3, 2}, {4, 2}, {2, 0}}) {
    float p[1] = {9.f}, q[2] = {9.f, 9.f};
    primary_correlations(plain, a, b, p);
    primary_correlations(cond, a, b, q);
    plain.image_counts(a, b, counts.data());
    EXPECT_FLOAT_EQ(p[0], static_cast<float>(histogram_correlation(counts.data())));
    EXPECT_FLOAT_EQ(q[0], p[0]);  // the first target is I(a, b)'s either way
  }
  float t[2], d[2], n[2];
  primary_correlations(cond, 0, 2, t);  // transitive
  primary_correlations(cond, 3, 2, d);  // direct
  primary_correlations(cond, 4, 2, n);  // independent
  EXPECT_GT(std::abs(t[0]), 0.4);
  EXPECT_LT(std::abs(t[1]), 0.06);
  EXPECT_GT(std::abs(d[0]), 0.4);
  EXPECT_GT(std::abs(d[1]), 0.4);
  EXPECT_LT(std::abs(n[0]), 0.06);
  EXPECT_LT(std::abs(n[1]), 0.06);
}

TEST(RandomGenePairs, DistinctInRangeSeededAndCoveringEveryGene) {
  const auto p = random_gene_pairs(7, 4000, 99);
  ASSERT_EQ(p.size(), 4000u);
  std::vector<int> seen_a(7, 0), seen_b(7, 0);
  for (auto [a, b] : p) {
    ASSERT_NE(a, b);
    ASSERT_GE(a, 0);
    ASSERT_LT(a, 7);
    ASSERT_GE(b, 0);
    ASSERT_LT(b, 7);
    ++seen_a[a];
    ++seen_b[b];
  }
  for (int g = 0; g < 7; ++g) {  // 4000 / 7 = 571 expected each; 5 standard deviations is about 110
    EXPECT_NEAR(seen_a[g], 571.4, 115) << "gene " << g;
    EXPECT_NEAR(seen_b[g], 571.4, 115) << "gene " << g;
  }
  EXPECT_EQ(random_gene_pairs(7, 4000, 99), p);
  EXPECT_NE(random_gene_pairs(7, 4000, 100), p);
  const auto two = random_gene_pairs(2, 50, 1);
  for (auto [a, b] : two) EXPECT_EQ(a + b, 1);
  test::expect_error([] { random_gene_pairs(1, 5, 1); }, {"'1'", "at least 2 genes"});
}

TEST(RandomGenePairs, WithinGroupsOnlyAndUniformOverEligibleGenes) {
  const std::vector<int> group = {0, 0, 1, 1, 1, 2};  // gene 5 is alone in its group: never drawn
  const auto p = random_gene_pairs(group, 5000, 7);
  ASSERT_EQ(p.size(), 5000u);
  std::vector<int> seen_a(6, 0);
  std::vector<std::vector<int>> seen_ab(6, std::vector<int>(6, 0));
  for (auto [a, b] : p) {
    ASSERT_NE(a, b);
    ASSERT_EQ(group.at(a), group.at(b)) << a << "," << b;
    ++seen_a[a];
    ++seen_ab[a][b];
  }
  EXPECT_EQ(seen_a[5], 0);
  for (int g = 0; g < 5; ++g) EXPECT_NEAR(seen_a[g], 1000, 5 * 28.3) << "gene " << g;  // binomial sd sqrt(5000 * 0.2 * 0.8)
  for (int a = 2; a < 5; ++a)  // b uniform among the two other genes of the group
    for (int b = 2; b < 5; ++b)
      if (a != b) EXPECT_NEAR(seen_ab[a][b], seen_a[a] / 2.0, 5 * std::sqrt(seen_a[a] / 4.0)) << a << "," << b;
  EXPECT_EQ(seen_ab[0][1], seen_a[0]);
  EXPECT_EQ(random_gene_pairs(group, 5000, 7), p);
  EXPECT_NE(random_gene_pairs(group, 5000, 8), p);
  test::expect_error([] { random_gene_pairs(std::vector<int>{0, 1, 2}, 5, 1); }, {"3 gene(s)", "3 group(s) of one"});
}

}  // namespace
}  // namespace drim
