#include "drim/conditional_image.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <omp.h>

#include "drim/bin_codes.hpp"
#include "drim/error.hpp"

namespace drim {
Conditioning::Conditioning(const ExpressionView& expr, const std::vector<std::string>& genes, int k, const std::vector<int>& group,
                           const std::vector<char>& pool, int threads)
    : k_(k), n_cells_(expr.n_cells()) {
  if (k < 1) throw Error("conditioning genes per pair must be at least 1, got " + quote(std::to_string(k)));
  const std::size_t G = expr.n_genes();
  log_.resize(G * n_cells_);
  const long ng = static_cast<long>(G);
  const int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
  {
    std::vector<double> x(n_cells_);
#pragma omp for schedule(static)
    for (long g = 0; g < ng; ++g) {
      expr.gene(g, x.data());
      float* row = log_.data() + g * n_cells_;
      for (std::size_t c = 0; c < n_cells_; ++c) row[c] = static_cast<float>(std::log10(x[c] + 0.01));
    }
  }
  NeighborOptions o;
  o.n = k + 1;
  o.rank = NeighborRank::AbsCorrelation;
  o.exclude_self = true;
  o.group = group;
  o.candidate = pool;
  o.threads = threads;
  try {
    // log_ seen as a cells x genes float array: a gene's cells are adjacent.
    const DenseCellsByGenes logs(log_.data(), ValueType::f32, n_cells_, G, sizeof(float),
                                 static_cast<std::ptrdiff_t>(n_cells_ * sizeof(float)));
    candidates_ = rank_neighbors(logs, genes, o);
  } catch (const Error& e) {
    throw Error("--conditional " + std::to_string(k) + " needs " + std::to_string(k + 1) +
                " candidate genes per gene (its neighbour pool and group, itself excluded): " + e.what());
  }
}

std::vector<int> Conditioning::given(int a, int b) const {
  std::vector<int> s;
  const int* c = candidates_.of(b);
  for (int i = 0; i <= k_ && static_cast<int>(s.size()) < k_; ++i)
    if (c[i] != a) s.push_back(c[i]);
  return s;
}

void Conditioning::residual(int a, int b, double* out) const {
  const std::vector<int> s = given(a, b);
  const long C = static_cast<long>(n_cells_), p = static_cast<long>(s.size()) + 1;
  Eigen::MatrixXd X(C, p);
  Eigen::VectorXd y(C);
  const float* yb = log_.data() + static_cast<std::size_t>(b) * n_cells_;
  for (long c = 0; c < C; ++c) {
    y(c) = yb[c];
    X(c, 0) = 1.0;
  }
  for (long j = 1; j < p; ++j) {
    const float* xg = log_.data() + static_cast<std::size_t>(s[j - 1]) * n_cells_;
    for (long c = 0; c < C; ++c) X(c, j) = xg[c];
  }
  // Rank-revealing: a constant or duplicated conditioning gene drops out instead of blowing up.
  const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(y);
  Eigen::Map<Eigen::VectorXd>(out, C) = y - X * beta;
}

void Conditioning::residual_codes(int a, int b, std::uint8_t* out) const {
  thread_local std::vector<double> r;
  r.resize(n_cells_);
  residual(a, b, r.data());
  bin_values(r.data(), n_cells_, out);
}

}  // namespace drim
