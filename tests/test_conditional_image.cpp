// Conditional images against brute force: the conditioning genes by |r| of the log values, the
// least-squares residual by normal equations, the image by histogram2d; and what they are for:
// a transitive pair (a -> c -> b) loses its dependence, a direct one keeps it.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "drim/error.hpp"
#include "drim/image_builder.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

std::vector<double> log_values(const Expression& e, int g) {
  std::vector<double> v(e.n_cells());
  for (std::size_t c = 0; c < v.size(); ++c) v[c] = static_cast<float>(std::log10(e.row(g)[c] + 0.01));  // stored as float
  return v;
}

/// y minus its least-squares fit on [1, xs...], by the normal equations and Gaussian elimination.
std::vector<double> ols_residual(const std::vector<double>& y, const std::vector<std::vector<double>>& xs) {
  const std::size_t p = xs.size() + 1, n = y.size();
  auto col = [&](std::size_t j, std::size_t c) { return j == 0 ? 1.0 : xs[j - 1][c]; };
  std::vector<std::vector<long double>> a(p, std::vector<long double>(p + 1, 0));
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t c = 0; c < n; ++c) a[i][j] += col(i, c) * col(j, c);
    for (std::size_t c = 0; c < n; ++c) a[i][p] += col(i, c) * y[c];
  }
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t r = i + 1; r < p; ++r) {
      const long double f = a[r][i] / a[i][i];
      for (std::size_t j = i; j <= p; ++j) a[r][j] -= f * a[i][j];
    }
  std::vector<long double> beta(p);
  for (std::size_t i = p; i-- > 0;) {
    long double s = a[i][p];
    for (std::size_t j = i + 1; j < p; ++j) s -= a[i][j] * beta[j];
    beta[i] = s / a[i][i];
  }
  std::vector<double> r(n);
  for (std::size_t c = 0; c < n; ++c) {
    long double fit = 0;
    for (std::size_t j = 0; j < p; ++j) fit += beta[j] * col(j, c);
    r[c] = static_cast<double>(y[c] - fit);
  }
  return r;
}

TEST(Conditioning, GivenGenesAreTheBestCorrelatedOtherThanTheTf) {
  Expression e = test::random_expression(12, 80, 5, 0.1);
  const int k = 3;
  Conditioning cond(ExpressionRows(e), e.genes, k, {}, {});
  for (int b : {0, 4, 11}) {
    std::vector<std::pair<double, int>> ranked;
    for (int g = 0; g < 12; ++g)
      if (g != b) ranked.push_back({-std::abs(test::brute_pearson(log_values(e, b), log_values(e, g))), g});
    std::sort(ranked.begin(), ranked.end());
    for (int a : {ranked[0].second, ranked[5].second}) {
      std::vector<int> want;
      for (const auto& [r, g] : ranked)
        if (g != a && static_cast<int>(want.size()) < k) want.push_back(g);
      EXPECT_EQ(cond.given(a, b), want) << "pair " << a << " -> " << b;
    }
  }
}

TEST(Conditioning, ResidualAndImageMatchBruteForce) {
  Expression e = test::random_expression(10, 70, 8, 0.2);
  ImageOptions o;
  o.neighbors = 2;
  o.conditional = 2;
  ImageContext ctx(e, o);
  ASSERT_EQ(ctx.images_per_pair(), 2 * 2 + 4);
  ASSERT_EQ(ctx.primary_images(), 2);
  Conditioning cond(ExpressionRows(e), e.genes, 2, {}, {});
  for (auto [a, b] : std::vector<std::pair<int, int>>{{0, 1}, {3, 9}, {7, 2}}) {
    std::vector<std::vector<double>> xs;
    for (int g : cond.given(a, b)) xs.push_back(log_values(e, g));
    const auto want = ols_residual(log_values(e, b), xs);
    std::vector<double> got(e.n_cells());
    cond.residual(a, b, got.data());
    for (std::size_t c = 0; c < got.size(); ++c) ASSERT_NEAR(got[c], want[c], 1e-9) << "cell " << c;

    std::vector<float> img(1024), all(ctx.images_per_pair() * 1024), single(1024);
    ctx.conditional_image(a, b, img.data());
    const auto brute = test::brute_image(log_values(e, a), got);
    for (int p = 0; p < 1024; ++p) ASSERT_NEAR(img[p], brute[p], 1e-6) << "pixel " << p;
    // The pair's stack: I(a, b), I(a, b | K), then the reference's images.
    ctx.pair_images(a, b, all.data());
    ctx.image(a, b, single.data());
    EXPECT_TRUE(std::equal(single.begin(), single.end(), all.begin()));
    EXPECT_TRUE(std::equal(img.begin(), img.end(), all.begin() + 1024));
    ctx.image(a, a, single.data());
    EXPECT_TRUE(std::equal(single.begin(), single.end(), all.begin() + 2 * 1024));
  }
  ImageContext plain(e, ImageOptions{});
  EXPECT_THROW(plain.conditional_image(0, 1, nullptr), Error);
}

TEST(Conditioning, TransitivePairLosesItsDependenceDirectPairKeepsIt) {
  // a -> c -> b (a reaches b only through c), d -> b directly, e independent.
  const int C = 2000;
  const Expression e = test::chain_expression(C);
  Conditioning cond(ExpressionRows(e), e.genes, 2, {}, {});
  std::vector<double> r(C);
  cond.residual(0, 2, r.data());  // a -> b, transitive: conditioned on c (and d)
  EXPECT_GT(std::abs(test::brute_pearson(log_values(e, 0), log_values(e, 2))), 0.4);
  EXPECT_LT(std::abs(test::brute_pearson(log_values(e, 0), r)), 0.05);
  cond.residual(3, 2, r.data());  // d -> b, direct
  EXPECT_GT(std::abs(test::brute_pearson(log_values(e, 3), r)), 0.5);
}

TEST(Conditioning, CandidatesFollowThePoolAndTooFewAreAnError) {
  Expression e = test::random_expression(8, 40, 2, 0.1);
  std::vector<char> pool(8, 0);
  pool[1] = pool[2] = pool[5] = pool[6] = 1;  // a pooled gene has 3 candidates besides itself
  Conditioning cond(ExpressionRows(e), e.genes, 2, {}, pool);
  for (int b = 0; b < 8; ++b)
    for (int g : cond.given(0, b)) EXPECT_TRUE(pool[g]) << g;
  test::expect_error([&] { Conditioning(ExpressionRows(e), e.genes, 3, {}, pool); }, {"--conditional 3", "4 candidate genes"});
}

}  // namespace
}  // namespace drim
