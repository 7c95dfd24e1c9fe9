#include "drim/impute/posterior.hpp"

#include <math.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <omp.h>

#include "drim/error.hpp"

namespace drim::impute {
namespace {

double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);  // thread-safe: std::lgamma writes the global signgam
}

/// Maximises f over [lo, hi] by golden-section search (f unimodal: the NB likelihood in log a),
/// to a bracket of width 1e-9.
template <class F>
double golden_max(F f, double lo, double hi, int iterations = 60) {
  const double r = (std::sqrt(5.0) - 1) / 2;
  double a = lo, b = hi, x1 = b - r * (b - a), x2 = a + r * (b - a), f1 = f(x1), f2 = f(x2);
  for (int i = 0; i < iterations && b - a > 1e-9; ++i) {
    if (f1 < f2) {
      a = x1, x1 = x2, f1 = f2, x2 = a + r * (b - a), f2 = f(x2);
    } else {
      b = x2, x2 = x1, f2 = f1, x1 = b - r * (b - a), f1 = f(x1);
    }
  }
  return (a + b) / 2;  // a maximum at a bound is approached to the same width
}

void check_counts(const Expression& observed) {
  for (std::size_t g = 0; g < observed.n_genes(); ++g)
    for (std::size_t c = 0; c < observed.n_cells(); ++c) {
      const double v = observed.row(g)[c];
      if (!(v >= 0) || v != std::floor(v))
        throw Error("the gamma-Poisson posterior needs counts (non-negative whole numbers), but gene " + quote(observed.genes[g]) +
                    " in cell " + quote(observed.cells[c]) + " is " + std::to_string(v));
    }
}

}  // namespace

double negative_binomial_loglik(const double* y, const double* m, std::size_t n, double a) {
  double s = 0;
  const double lga = log_gamma(a);
  for (std::size_t c = 0; c < n; ++c) {
    const double am = a + m[c];
    s += a * std::log(a / am) - lga + log_gamma(y[c] + a);
    if (y[c] > 0) s += y[c] * std::log(m[c] / am);
  }
  return s;
}

Expression gamma_poisson_posterior(const Expression& observed, const Expression& prediction, const std::vector<bool>& which,
                                   const PosteriorOptions& opts, PosteriorFit* fit) {
  if (observed.genes != prediction.genes || observed.cells != prediction.cells)
    throw Error("the gamma-Poisson posterior needs the prediction for the observed matrix's genes and cells, in the same order");
  if (!which.empty() && which.size() != observed.n_genes())
    throw Error("gene flags: " + std::to_string(which.size()) + " for " + std::to_string(observed.n_genes()) + " genes");
  if (!(opts.min_shape > 0) || !(opts.max_shape > opts.min_shape) || !(opts.floor > 0))
    throw Error("posterior options: need 0 < min_shape < max_shape and floor > 0");
  check_counts(observed);
  const std::size_t G = observed.n_genes(), C = observed.n_cells();
  Expression out = observed;
  std::vector<double> scale(G, 0.0), shape(G, 0.0);
  const int nt = opts.threads > 0 ? opts.threads : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
  {
    std::vector<double> m(C);
#pragma omp for schedule(dynamic, 4)
    for (std::size_t g = 0; g < G; ++g) {
      if (!which.empty() && !which[g]) continue;
      const double* y = observed.row(g);
      double sy = 0;
      for (std::size_t c = 0; c < C; ++c) sy += y[c];
      if (sy == 0) continue;  // out already holds the zeros
      const double low = opts.floor * sy / static_cast<double>(C);
      double sm = 0;
      for (std::size_t c = 0; c < C; ++c) sm += m[c] = std::max(prediction.row(g)[c], low);
      const double k = sy / sm;
      for (auto& v : m) v *= k;
      const double log_a = golden_max([&](double la) { return negative_binomial_loglik(y, m.data(), C, std::exp(la)); },
                                      std::log(opts.min_shape), std::log(opts.max_shape));
      const double a = std::exp(log_a);
      double* o = out.row(g);
      for (std::size_t c = 0; c < C; ++c) o[c] = m[c] * (a + y[c]) / (a + m[c]);
      scale[g] = k;
      shape[g] = a;
    }
  }
  if (fit) *fit = {std::move(scale), std::move(shape)};
  return out;
}

}  // namespace drim::impute
