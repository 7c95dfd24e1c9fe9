#include "drim/simulate_ggm.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include <Eigen/Dense>

#include "drim/error.hpp"

namespace drim {
namespace {

using Mat = Eigen::MatrixXd;

/// Whether i and j are joined by a path of non-zero entries.
bool connected(const Mat& theta, int i, int j) {
  const int g = static_cast<int>(theta.rows());
  std::vector<char> seen(g, 0);
  std::vector<int> stack = {i};
  seen[i] = 1;
  while (!stack.empty()) {
    int u = stack.back();
    stack.pop_back();
    if (u == j) return true;
    for (int v = 0; v < g; ++v)
      if (v != u && !seen[v] && theta(u, v) != 0.0) {
        seen[v] = 1;
        stack.push_back(v);
      }
  }
  return false;
}

}  // namespace

GgmSimResult simulate_ggm(const GgmSimOptions& o) {
  if (o.datasets < 1 || o.genes < 2 || o.cells < 2) throw Error("ggm simulation needs datasets >= 1, genes >= 2, cells >= 2");
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::normal_distribution<double> norm(0.0, 1.0);
  const int g = o.genes, c = o.cells;
  GgmSimResult res;
  res.expr.cells.resize(c);
  for (int j = 0; j < c; ++j) res.expr.cells[j] = "cell" + std::to_string(j + 1);
  res.expr.values.reserve(static_cast<std::size_t>(o.datasets) * g * c);
  for (int d = 0; d < o.datasets; ++d) {
    Mat theta = Mat::Zero(g, g);
    for (int i = 0; i < g; ++i)
      for (int j = i + 1; j < g; ++j)
        if (unif(rng) < o.edge_prob) {
          double v = o.min_abs + (o.max_abs - o.min_abs) * unif(rng);
          theta(i, j) = theta(j, i) = unif(rng) < 0.5 ? -v : v;
        }
    const double lowest = Eigen::SelfAdjointEigenSolver<Mat>(theta).eigenvalues().minCoeff();
    theta.diagonal().setConstant(o.min_eigen - lowest);  // smallest eigenvalue becomes min_eigen
    Eigen::LLT<Mat> llt(theta);
    const int row0 = d * g;
    for (int i = 0; i < g; ++i) res.expr.genes.push_back("D" + std::to_string(d + 1) + "_G" + std::to_string(i + 1));
    Eigen::VectorXd mu = Eigen::VectorXd::Zero(g);
    if (o.reference_protocol)
      for (int i = 0; i < g; ++i) mu(i) = 10.0 + (1e4 - 10.0) * unif(rng);
    Mat z(g, c);
    for (int j = 0; j < c; ++j) {
      Eigen::VectorXd e(g);
      for (int i = 0; i < g; ++i) e(i) = norm(rng);
      z.col(j) = mu + llt.matrixU().solve(e);  // Theta = U^T U, so cov(U^-1 e) = Theta^-1
    }
    for (int i = 0; i < g; ++i)
      for (int j = 0; j < c; ++j) res.expr.values.push_back(o.reference_protocol ? std::abs(z(i, j)) : std::exp(z(i, j)));
    std::vector<std::pair<int, int>> direct, independent;
    for (int i = 0; i < g; ++i)
      for (int j = o.reference_protocol ? 0 : i + 1; j < g; ++j) {
        (theta(i, j) != 0.0 ? direct : independent).emplace_back(i, j);  // reference: the diagonal too
        if (j > i && theta(i, j) != 0.0) res.edges.emplace_back(row0 + i, row0 + j);
      }
    if (!direct.empty()) {
      auto [i, j] = direct[static_cast<std::size_t>(unif(rng) * direct.size())];
      res.pairs.push_back({row0 + i, row0 + j, 1});
      res.transitive.push_back(0);
    }
    if (!independent.empty()) {
      auto [i, j] = independent[static_cast<std::size_t>(unif(rng) * independent.size())];
      res.pairs.push_back({row0 + i, row0 + j, 0});
      res.transitive.push_back(connected(theta, i, j) ? 1 : 0);
    }
    GgmDataset ds;
    ds.theta.assign(theta.data(), theta.data() + g * g);
    res.datasets.push_back(std::move(ds));
  }
  return res;
}

std::size_t apply_dropout(Expression& expr, double cutoff, double prob, std::uint64_t seed) {
  if (cutoff < 0 || cutoff > 1 || prob < 0 || prob > 1)
    throw Error("dropout cutoff and probability must be in [0, 1], got " + quote(std::to_string(cutoff)) + " and " + quote(std::to_string(prob)));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  const std::size_t C = expr.n_cells();
  std::size_t zeroed = 0;
  std::vector<double> sorted(C);
  for (std::size_t g = 0; g < expr.n_genes(); ++g) {
    double* r = expr.row(g);
    std::copy(r, r + C, sorted.begin());
    std::sort(sorted.begin(), sorted.end());
    const double pos = cutoff * (C - 1);  // numpy.quantile, linear interpolation
    const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
    const double q = lo + 1 < C ? sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
    for (std::size_t c = 0; c < C; ++c) {
      const bool drop = unif(rng) < prob;  // drawn for every value: the stream does not depend on the data
      if (r[c] < q && drop && r[c] != 0.0) {
        r[c] = 0.0;
        ++zeroed;
      }
    }
  }
  return zeroed;
}

Expression subsample_cells(const Expression& expr, std::size_t n, std::uint64_t seed) {
  if (n < 1 || n > expr.n_cells())
    throw Error("cannot keep " + quote(std::to_string(n)) + " cells of " + std::to_string(expr.n_cells()));
  std::vector<std::size_t> idx(expr.n_cells());
  std::iota(idx.begin(), idx.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(idx.begin(), idx.end(), rng);
  idx.resize(n);
  std::sort(idx.begin(), idx.end());
  Expression out;
  out.genes = expr.genes;
  for (auto c : idx) out.cells.push_back(expr.cells[c]);
  out.values.resize(expr.n_genes() * n);
  for (std::size_t g = 0; g < expr.n_genes(); ++g)
    for (std::size_t k = 0; k < n; ++k) out.values[g * n + k] = expr.row(g)[idx[k]];
  return out;
}

}  // namespace drim
