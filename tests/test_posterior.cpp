// The gamma-Poisson posterior (impute/posterior.hpp) against a brute-force likelihood, the
// closed-form posterior mean, simulated gamma-Poisson data with a known shape, and bad input.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "drim/error.hpp"
#include "drim/impute/posterior.hpp"

using namespace drim;
using namespace drim::impute;

namespace {

Expression matrix(int genes, int cells) {
  Expression e;
  for (int g = 0; g < genes; ++g) e.genes.push_back("G" + std::to_string(g));
  for (int c = 0; c < cells; ++c) e.cells.push_back("c" + std::to_string(c));
  e.values.assign(static_cast<std::size_t>(genes) * cells, 0.0);
  return e;
}

/// Gene 0: levels ~ Gamma(shape, mean m_c) with m_c spread over cells, counts ~ Poisson(level);
/// the prediction is m_c / 2 (so the fitted scale should be about 2). Returns the levels.
std::vector<double> gamma_poisson_gene(Expression& obs, Expression& pred, double shape, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.5, 20.0);
  std::vector<double> level(obs.n_cells());
  for (std::size_t c = 0; c < obs.n_cells(); ++c) {
    const double m = u(rng);
    std::gamma_distribution<double> gam(shape, m / shape);
    level[c] = gam(rng);
    std::poisson_distribution<int> pois(level[c]);
    obs.row(0)[c] = pois(rng);
    pred.row(0)[c] = m / 2;
  }
  return level;
}

}  // namespace

TEST(Posterior, LikelihoodMatchesTheNegativeBinomialPmf) {
  // log NB(y; mean m, size a) = lgamma(y + a) - lgamma(a) - lgamma(y + 1) + a log(a / (a + m)) + y log(m / (a + m));
  // the function leaves out -lgamma(y + 1). Hand-computed for y = 3, m = 2, a = 1.5:
  // P(3) = Gamma(4.5) / (Gamma(1.5) 3!) (1.5 / 3.5)^1.5 (2 / 3.5)^3
  const double y[] = {3}, m[] = {2};
  const double p = std::tgamma(4.5) / (std::tgamma(1.5) * 6) * std::pow(1.5 / 3.5, 1.5) * std::pow(2 / 3.5, 3);
  EXPECT_NEAR(negative_binomial_loglik(y, m, 1, 1.5) - std::lgamma(4.0), std::log(p), 1e-12);
  // The pmf sums to 1 over y.
  double total = 0;
  for (int k = 0; k < 200; ++k) {
    const double yk[] = {double(k)};
    total += std::exp(negative_binomial_loglik(yk, m, 1, 0.7) - std::lgamma(k + 1.0));
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
}

TEST(Posterior, ShapeMaximisesTheLikelihoodAndTheMeanIsClosedForm) {
  Expression obs = matrix(2, 400), pred = matrix(2, 400);
  gamma_poisson_gene(obs, pred, 2.0, 7);
  for (std::size_t c = 0; c < 400; ++c) obs.row(1)[c] = 0, pred.row(1)[c] = 1.0;  // an all-zero gene
  PosteriorFit fit;
  const Expression post = gamma_poisson_posterior(obs, pred, {}, {}, &fit);
  // k = sum y / sum m.
  double sy = 0, sm = 0;
  for (std::size_t c = 0; c < 400; ++c) sy += obs.row(0)[c], sm += pred.row(0)[c];
  EXPECT_NEAR(fit.scale[0], sy / sm, 1e-12);
  // The shape is the maximum of the likelihood on a fine brute-force grid (to the grid's step).
  std::vector<double> m(400);
  for (std::size_t c = 0; c < 400; ++c) m[c] = fit.scale[0] * pred.row(0)[c];
  const double at_fit = negative_binomial_loglik(obs.row(0), m.data(), 400, fit.shape[0]);
  double best = -1e300, best_a = 0;
  for (double la = std::log(1e-3); la < std::log(1e4); la += 1e-3) {
    const double l = negative_binomial_loglik(obs.row(0), m.data(), 400, std::exp(la));
    if (l > best) best = l, best_a = std::exp(la);
  }
  EXPECT_GE(at_fit, best - 1e-6);
  EXPECT_NEAR(std::log(fit.shape[0]), std::log(best_a), 2e-3);
  // Posterior mean k m (a + y) / (a + k m).
  for (std::size_t c = 0; c < 400; ++c) {
    const double a = fit.shape[0], y = obs.row(0)[c];
    EXPECT_NEAR(post.row(0)[c], m[c] * (a + y) / (a + m[c]), 1e-9 * (1 + m[c]));
  }
  // The all-zero gene stays 0 and records no fit.
  for (std::size_t c = 0; c < 400; ++c) EXPECT_EQ(post.row(1)[c], 0.0);
  EXPECT_EQ(fit.shape[1], 0.0);
  EXPECT_EQ(fit.scale[1], 0.0);
}

TEST(Posterior, RecoversAKnownShapeAndBeatsBothInputs) {
  const int C = 20000;
  Expression obs = matrix(1, C), pred = matrix(1, C);
  const std::vector<double> level = gamma_poisson_gene(obs, pred, 2.0, 11);
  PosteriorFit fit;
  const Expression post = gamma_poisson_posterior(obs, pred, {}, {}, &fit);
  EXPECT_NEAR(fit.scale[0], 2.0, 0.05);
  EXPECT_NEAR(fit.shape[0], 2.0, 0.15);
  // The posterior mean is closer to the true levels than the observation or the prediction.
  double e_post = 0, e_obs = 0, e_pred = 0;
  for (int c = 0; c < C; ++c) {
    e_post += std::pow(post.row(0)[c] - level[c], 2);
    e_obs += std::pow(obs.row(0)[c] - level[c], 2);
    e_pred += std::pow(2 * pred.row(0)[c] - level[c], 2);
  }
  EXPECT_LT(e_post, 0.9 * e_obs);
  EXPECT_LT(e_post, 0.9 * e_pred);
}

TEST(Posterior, LimitsFollowTheDispersion) {
  // Counts that are Poisson of the prediction itself: the prior is tight (large shape), the
  // posterior is about the prediction. Counts unrelated to a flat prediction and very
  // overdispersed: small shape, the posterior follows the observation.
  const int C = 3000;
  Expression obs = matrix(2, C), pred = matrix(2, C);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(1.0, 30.0);
  std::gamma_distribution<double> wide(0.2, 50.0);
  for (int c = 0; c < C; ++c) {
    pred.row(0)[c] = u(rng);
    obs.row(0)[c] = std::poisson_distribution<int>(pred.row(0)[c])(rng);
    pred.row(1)[c] = 10.0;
    obs.row(1)[c] = std::poisson_distribution<int>(wide(rng) + 1e-9)(rng);
  }
  PosteriorFit fit;
  const Expression post = gamma_poisson_posterior(obs, pred, {}, {}, &fit);
  EXPECT_GT(fit.shape[0], 100.0);
  EXPECT_LT(fit.shape[1], 0.5);
  // The posterior mean is w y + (1 - w) k m with w = k m / (a + k m), the observation's weight.
  double w0 = 0, w1 = 0;
  for (int c = 0; c < C; ++c) {
    const double m0 = fit.scale[0] * pred.row(0)[c], m1 = fit.scale[1] * pred.row(1)[c];
    const double v0 = m0 / (fit.shape[0] + m0), v1 = m1 / (fit.shape[1] + m1);
    EXPECT_NEAR(post.row(1)[c], v1 * obs.row(1)[c] + (1 - v1) * m1, 1e-9 * (1 + obs.row(1)[c]));
    w0 += v0 / C, w1 += v1 / C;
  }
  EXPECT_LT(w0, 0.2);
  EXPECT_GT(w1, 0.95);
}

TEST(Posterior, LeavesUnflaggedGenesAndRejectsBadInput) {
  Expression obs = matrix(2, 50), pred = matrix(2, 50);
  for (int c = 0; c < 50; ++c) obs.row(0)[c] = c % 7, obs.row(1)[c] = c % 5, pred.row(0)[c] = 3, pred.row(1)[c] = 99;
  const Expression post = gamma_poisson_posterior(obs, pred, {true, false});
  for (int c = 0; c < 50; ++c) EXPECT_EQ(post.row(1)[c], obs.row(1)[c]);
  EXPECT_NE(post.row(0)[1], obs.row(0)[1]);
  Expression bad = obs;
  bad.row(1)[4] = 2.5;
  try {
    gamma_poisson_posterior(bad, pred, {});
    FAIL() << "a non-integer value was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'G1' in cell 'c4' is 2.5"), std::string::npos) << e.what();
  }
  bad.row(1)[4] = -1;
  EXPECT_THROW(gamma_poisson_posterior(bad, pred, {}), Error);
  Expression other = pred;
  other.cells[3] = "x";
  EXPECT_THROW(gamma_poisson_posterior(obs, other, {}), Error);
  EXPECT_THROW(gamma_poisson_posterior(obs, pred, {true}), Error);
}
