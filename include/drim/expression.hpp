#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace drim {

/// An expression matrix in memory: genes x cells, row-major (one row per gene). Values are
/// float64 so that text and float64 inputs keep the exact values the reference recipe bins.
struct Expression {
  std::vector<std::string> genes;  ///< gene names, one per row
  std::vector<std::string> cells;  ///< cell names, one per column
  std::vector<double> values;       ///< genes.size() * cells.size() values, gene-major

  std::size_t n_genes() const { return genes.size(); }
  std::size_t n_cells() const { return cells.size(); }
  /// Pointer to the n_cells() values of gene g.
  const double* row(std::size_t g) const { return values.data() + g * cells.size(); }
  double* row(std::size_t g) { return values.data() + g * cells.size(); }
};

/// Checks shape, names and values; throws drim::Error naming `source`, the gene and the cell
/// for zero cells/genes, duplicate gene names, and NaN, infinite or negative values.
void validate_expression(const Expression& expr, const std::string& source);

}  // namespace drim
