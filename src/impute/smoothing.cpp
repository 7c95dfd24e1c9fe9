#include "drim/impute/smoothing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <Eigen/Dense>
#include <Eigen/SVD>

#include "drim/error.hpp"
#include "drim/impute/library_size.hpp"

namespace drim::impute {
namespace {

using Eigen::MatrixXd;

/// cells x genes log1p of the normalised matrix.
MatrixXd log_cells_by_genes(const Expression& normalized) {
  MatrixXd X(normalized.n_cells(), normalized.n_genes());
  for (std::size_t g = 0; g < normalized.n_genes(); ++g)
    for (std::size_t c = 0; c < normalized.n_cells(); ++c) X(c, g) = std::log1p(normalized.row(g)[c]);
  return X;
}

Expression from_cells_by_genes(const Expression& like, const MatrixXd& X) {
  Expression out = like;
  for (std::size_t g = 0; g < out.n_genes(); ++g)
    for (std::size_t c = 0; c < out.n_cells(); ++c) out.row(g)[c] = std::max(0.0, X(c, g));
  return out;
}

}  // namespace

Expression normalize_library(const Expression& expr) {
  const std::size_t C = expr.n_cells(), G = expr.n_genes();
  const std::vector<double> total = cell_totals(expr);
  const double m = median_total(total), median = m > 0 ? m : 1.0;
  Expression out = expr;
  for (std::size_t g = 0; g < G; ++g)
    for (std::size_t c = 0; c < C; ++c) out.row(g)[c] = total[c] > 0 ? expr.row(g)[c] * median / total[c] : 0.0;
  return out;
}

CellNeighbors cell_neighbors(const Expression& normalized, int k, int pcs) {
  const int C = static_cast<int>(normalized.n_cells());
  if (k < 1) throw Error("neighbours per cell must be >= 1, got " + std::to_string(k));
  k = std::min(k, C);
  MatrixXd X = log_cells_by_genes(normalized);
  X.rowwise() -= X.colwise().mean();
  const int keep = std::min<int>({pcs, static_cast<int>(X.rows()), static_cast<int>(X.cols())});
  MatrixXd Y;
  if (keep > 0 && keep < X.cols()) {
    Eigen::BDCSVD<MatrixXd> svd(X, Eigen::ComputeThinU);
    Y = svd.matrixU().leftCols(keep) * svd.singularValues().head(keep).asDiagonal();
  } else {
    Y = X;
  }
  const Eigen::VectorXd sq = Y.rowwise().squaredNorm();
  const MatrixXd gram = Y * Y.transpose();
  CellNeighbors nb;
  nb.index.resize(C);
  nb.distance.resize(C);
  std::vector<int> order(C);
  for (int c = 0; c < C; ++c) {
    std::vector<double> d(C);
    for (int o = 0; o < C; ++o) d[o] = o == c ? -1.0 : std::max(0.0, sq(c) + sq(o) - 2 * gram(c, o));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return d[a] < d[b] || (d[a] == d[b] && a < b); });
    for (int i = 0; i < k; ++i) {
      nb.index[c].push_back(order[i]);
      nb.distance[c].push_back(order[i] == c ? 0.0 : std::sqrt(d[order[i]]));
    }
  }
  return nb;
}

Expression knn_smooth(const Expression& expr, const SmoothingOptions& opts) {
  const Expression norm = normalize_library(expr);
  const CellNeighbors nb = cell_neighbors(norm, opts.k, opts.pcs);
  Expression out = norm;
  for (std::size_t g = 0; g < norm.n_genes(); ++g) {
    const double* in = norm.row(g);
    double* o = out.row(g);
    for (std::size_t c = 0; c < norm.n_cells(); ++c) {
      double s = 0;
      for (int j : nb.index[c]) s += in[j];
      o[c] = s / nb.index[c].size();
    }
  }
  return out;
}

Expression magic_diffuse(const Expression& expr, const SmoothingOptions& opts) {
  const Expression norm = normalize_library(expr);
  const int C = static_cast<int>(norm.n_cells());
  // Neighbours far enough for the alpha-decay kernel to reach ~0 (3 widths).
  const int reach = std::min(C, std::max(opts.magic_k * 3, opts.magic_k + 1));
  const CellNeighbors nb = cell_neighbors(norm, reach, opts.pcs);
  MatrixXd K = MatrixXd::Zero(C, C);
  for (int c = 0; c < C; ++c) {
    const int kth = std::min<int>(opts.magic_k, static_cast<int>(nb.distance[c].size()) - 1);
    const double sigma = std::max(nb.distance[c][kth], 1e-12);
    for (std::size_t i = 0; i < nb.index[c].size(); ++i)
      K(c, nb.index[c][i]) = std::exp(-std::pow(nb.distance[c][i] / sigma, opts.magic_alpha));
  }
  K = (K + K.transpose()) / 2;
  const Eigen::VectorXd rows = K.rowwise().sum();
  for (int c = 0; c < C; ++c) K.row(c) /= rows(c);
  MatrixXd X = log_cells_by_genes(norm);
  for (int t = 0; t < opts.magic_t; ++t) X = K * X;
  return from_cells_by_genes(norm, X.array().exp() - 1);
}

std::vector<double> per_gene_pearson(const Expression& a, const Expression& b) {
  if (a.n_genes() != b.n_genes() || a.n_cells() != b.n_cells()) throw Error("per-gene Pearson: matrices differ in shape");
  const Expression na = normalize_library(a), nb = normalize_library(b);
  const std::size_t C = a.n_cells();
  std::vector<double> r(a.n_genes());
  for (std::size_t g = 0; g < a.n_genes(); ++g) {
    double ma = 0, mb = 0;
    for (std::size_t c = 0; c < C; ++c) {
      ma += std::log1p(na.row(g)[c]);
      mb += std::log1p(nb.row(g)[c]);
    }
    ma /= C;
    mb /= C;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t c = 0; c < C; ++c) {
      const double x = std::log1p(na.row(g)[c]) - ma, y = std::log1p(nb.row(g)[c]) - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    r[g] = saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : std::numeric_limits<double>::quiet_NaN();
  }
  return r;
}

}  // namespace drim::impute
