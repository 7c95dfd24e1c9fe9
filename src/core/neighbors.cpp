#include "drim/neighbors.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <Eigen/Dense>
#include <omp.h>

#include "drim/error.hpp"

namespace drim {
namespace {

using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Keeps the n best (value desc, index asc) of gene g's row of covariances, skipping g itself
/// when `exclude_self`, genes of another group when `group` is given, and genes not flagged in
/// `candidate` when that is given.
void top_n(const double* cov, std::size_t n_genes, int n, long g, bool exclude_self, const int* group, const char* candidate,
           bool absolute, int* out) {
  std::vector<std::pair<double, int>> best;
  best.reserve(n + 1);
  auto better = [](const std::pair<double, int>& x, const std::pair<double, int>& y) {
    return x.first > y.first || (x.first == y.first && x.second < y.second);
  };
  for (std::size_t j = 0; j < n_genes; ++j) {
    if ((exclude_self && static_cast<long>(j) == g) || (group && group[j] != group[g]) || (candidate && !candidate[j])) continue;
    std::pair<double, int> cand{absolute ? std::abs(cov[j]) : cov[j], static_cast<int>(j)};
    if (static_cast<int>(best.size()) == n && !better(cand, best.back())) continue;
    auto pos = std::upper_bound(best.begin(), best.end(), cand, better);
    best.insert(pos, cand);
    if (static_cast<int>(best.size()) > n) best.pop_back();
  }
  for (int k = 0; k < n; ++k) out[k] = best[k].second;
}

}  // namespace

NeighborRank parse_neighbor_rank(const std::string& name) {
  if (name == "covariance") return NeighborRank::Covariance;
  if (name == "correlation") return NeighborRank::AbsCorrelation;
  throw Error("unknown neighbour ranking " + quote(name) + " (expected covariance or correlation)");
}

std::string to_string(NeighborRank rank) { return rank == NeighborRank::Covariance ? "covariance" : "correlation"; }

NeighborTable rank_neighbors(const Expression& expr, const NeighborOptions& opts) {
  return rank_neighbors(ExpressionRows(expr), expr.genes, opts);
}

NeighborTable rank_neighbors(const ExpressionView& expr, const std::vector<std::string>& genes, const NeighborOptions& opts) {
  const std::size_t G = expr.n_genes(), C = expr.n_cells();
  const std::size_t available = opts.exclude_self ? G - 1 : G;
  if (opts.n < 1 || static_cast<std::size_t>(opts.n) > available) {
    throw Error("neighbours per gene is " + quote(std::to_string(opts.n)) + " but must be in [1, " +
                std::to_string(available) + "] for " + std::to_string(G) + " genes");
  }
  if (!opts.group.empty() && opts.group.size() != G)
    throw Error("neighbour groups cover " + std::to_string(opts.group.size()) + " genes, the matrix has " + std::to_string(G));
  if (!opts.candidate.empty() && opts.candidate.size() != G)
    throw Error("the neighbour pool flags " + std::to_string(opts.candidate.size()) + " genes, the matrix has " + std::to_string(G));
  const int* group = opts.group.empty() ? nullptr : opts.group.data();
  const char* candidate = opts.candidate.empty() ? nullptr : opts.candidate.data();
  if (group || candidate) {
    std::map<int, std::size_t> size;  // candidates per group
    for (std::size_t g = 0; g < G; ++g)
      if (!candidate || candidate[g]) ++size[group ? group[g] : 0];
    for (std::size_t g = 0; g < G; ++g) {
      const bool self_counted = opts.exclude_self && (!candidate || candidate[g]);
      const std::size_t have = size[group ? group[g] : 0] - (self_counted ? 1 : 0);
      if (static_cast<std::size_t>(opts.n) > have)
        throw Error("gene " + quote(genes.size() != G ? std::to_string(g) : genes[g]) + " has " + std::to_string(have) + " candidate neighbour(s)" +
                    (group ? " in its group" : "") + (candidate ? " in the neighbour pool" : "") + ", fewer than the " +
                    std::to_string(opts.n) + " asked for");
    }
  }
  if (C < 2) throw Error("covariance needs at least 2 cells, the matrix has " + std::to_string(C));
  const int nt = opts.threads > 0 ? opts.threads : omp_get_max_threads();

  RowMat centered(G, C);
#pragma omp parallel for num_threads(nt) schedule(static)
  for (long g = 0; g < static_cast<long>(G); ++g) {
    double* r = centered.row(g).data();  // the raw values first, then centered in place
    expr.gene(g, r);
    double mean = 0.0;
    for (std::size_t c = 0; c < C; ++c) mean += r[c];
    mean /= static_cast<double>(C);
    for (std::size_t c = 0; c < C; ++c) r[c] -= mean;
    if (opts.rank == NeighborRank::AbsCorrelation) {  // unit rows: the product below is then r (0 for a constant gene)
      if (std::all_of(r, r + C, [&](double v) { return v == r[0]; })) {
        std::fill(r, r + C, 0.0);  // exactly: a rounded mean would leave noise that normalises to r = +-1
        continue;
      }
      double ss = 0.0;
      for (std::size_t c = 0; c < C; ++c) ss += r[c] * r[c];
      const double norm = std::sqrt(ss);  // > 0: the row is not constant
      for (std::size_t c = 0; c < C; ++c) r[c] /= norm;
    }
  }

  NeighborTable table;
  table.n_genes = G;
  table.n = opts.n;
  table.index.resize(G * opts.n);
  const std::size_t block = std::max<std::size_t>(1, opts.block);
  const bool corr = opts.rank == NeighborRank::AbsCorrelation;
  const double scale = corr ? 1.0 : 1.0 / static_cast<double>(C - 1);  // numpy.cov multiplies by 1 / (N - 1)
  Eigen::setNbThreads(nt);
  RowMat cov;
  for (std::size_t start = 0; start < G; start += block) {
    const std::size_t rows = std::min(block, G - start);
    cov.noalias() = centered.middleRows(start, rows) * centered.transpose();
    cov *= scale;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (long i = 0; i < static_cast<long>(rows); ++i) {
      const long g = static_cast<long>(start) + i;
      top_n(cov.data() + i * G, G, opts.n, g, opts.exclude_self, group, candidate, corr, table.index.data() + g * opts.n);
    }
  }
  return table;
}

}  // namespace drim
