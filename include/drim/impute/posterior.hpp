#pragma once
// SAVER-style empirical Bayes (Huang et al., Nature Methods 2018): a prediction of each value made
// without that value (TCER's blind-spot restoration) serves as the prior mean of the true level,
// the observed count as a Poisson draw from it; the imputed value is the posterior mean.
#include <vector>

#include "drim/expression.hpp"

namespace drim::impute {

/// Settings of gamma_poisson_posterior.
struct PosteriorOptions {
  double floor = 1e-3;      ///< a prediction below floor x the gene's mean count is raised to it (a zero prior mean would pin the posterior at 0)
  double min_shape = 1e-4;  ///< the gamma shape is searched in [min_shape, max_shape], on a log scale
  double max_shape = 1e6;
  int threads = 0;          ///< OpenMP threads over genes (0: all)
};

/// What the posterior fitted, per gene of the matrix (0 for genes left alone or without a count).
struct PosteriorFit {
  std::vector<double> scale;  ///< k: sum of the observed counts / sum of the predictions
  std::vector<double> shape;  ///< a: the gamma prior's shape, by maximum marginal likelihood
};

/// For gene g, cell c, observed count y and prediction m (same genes, cells and count scale; m
/// made without y): the true level is given the prior Gamma(shape a, mean k m) and y ~ Poisson of
/// it, so y is negative binomial (mean k m, size a). k = sum_c y / sum_c m (the Poisson fit of
/// the prediction's scale), a maximises the gene's negative-binomial likelihood (golden section
/// on log a), and the value returned is the posterior mean k m (a + y) / (a + k m): the
/// prediction where it explains the counts well (a large), the observation where it does not (a
/// small). Genes whose `which` flag is false (`which` empty: every gene) keep their observed
/// values; an all-zero gene stays 0. Throws drim::Error naming the gene and cell of a value that
/// is not a non-negative whole number, or when the two matrices' genes or cells differ.
Expression gamma_poisson_posterior(const Expression& observed, const Expression& prediction, const std::vector<bool>& which,
                                   const PosteriorOptions& opts = {}, PosteriorFit* fit = nullptr);

/// The negative-binomial log-likelihood of counts y with means m and size a, without the terms
/// that do not depend on a or m (-lgamma(y + 1)).
double negative_binomial_loglik(const double* y, const double* m, std::size_t n, double a);

}  // namespace drim::impute
