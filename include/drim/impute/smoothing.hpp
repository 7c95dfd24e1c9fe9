#pragma once
// The two imputation baselines bench-impute compares TCER with: plain kNN smoothing and a
// MAGIC-style diffusion (van Dijk et al. 2018) over a kNN cell graph. Both work on
// library-size-normalised log1p expression and return values on the normalised count scale.
#include <vector>

#include "drim/expression.hpp"

namespace drim::impute {

/// Settings of the cell graph and both smoothers.
struct SmoothingOptions {
  int k = 15;          ///< kNN smoothing: neighbours averaged (the cell itself included)
  int pcs = 50;        ///< principal components the cell distances are measured in
  int magic_k = 5;     ///< MAGIC: the neighbour whose distance sets each cell's kernel width
  double magic_alpha = 40;  ///< MAGIC: kernel exp(-(d / sigma)^alpha) decay
  int magic_t = 3;     ///< MAGIC: diffusion steps
};

/// Library-size normalised (to the median total) counts, genes x cells.
Expression normalize_library(const Expression& expr);

/// Each cell's `k` nearest cells (itself first) by Euclidean distance over the top `pcs`
/// principal components of log1p(normalised); index list per cell with the distances.
struct CellNeighbors {
  std::vector<std::vector<int>> index;
  std::vector<std::vector<double>> distance;
};
CellNeighbors cell_neighbors(const Expression& normalized, int k, int pcs);

/// Replaces each cell by the mean of its k nearest cells (normalised counts).
Expression knn_smooth(const Expression& expr, const SmoothingOptions& opts);

/// MAGIC-style: adaptive alpha-decay kernel over the kNN graph (width = distance to the magic_k-th
/// neighbour, kernel symmetrised, row-normalised into a Markov matrix), log1p(normalised)
/// diffused magic_t steps, then back with expm1.
Expression magic_diffuse(const Expression& expr, const SmoothingOptions& opts);

/// Per-gene Pearson correlation over cells between log1p(normalised) `a` and `b` (same genes and
/// cells); NaN for a gene constant in either.
std::vector<double> per_gene_pearson(const Expression& a, const Expression& b);

}  // namespace drim::impute
