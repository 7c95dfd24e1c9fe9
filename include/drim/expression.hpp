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
/// for zero cells/genes, duplicate gene or cell names, and NaN, infinite or negative values.
void validate_expression(const Expression& expr, const std::string& source);

/// The genes whose `keep` flag is set, in order.
Expression keep_genes(const Expression& expr, const std::vector<bool>& keep);

/// Makes names unique as scanpy's var_names_make_unique does: the second "X" becomes "X-1",
/// the third "X-2", skipping suffixes already taken. Returns how many names changed.
std::size_t make_names_unique(std::vector<std::string>& names);

/// What expression values look like, for warnings about the input's orientation and scale.
struct ExpressionLook {
  double max_value = 0;       ///< the largest value
  bool all_integers = true;   ///< every value is a whole number (counts)
  double barcode_rows = 0;    ///< share of row (gene) names that look like cell barcodes
};

/// Scans the matrix once (for warnings: rows that look like barcodes suggest a cells x genes
/// file read transposed; small non-integer values suggest log-transformed data).
ExpressionLook look_at(const Expression& expr);

/// Undoes natural log1p (scanpy.pp.log1p): every value v becomes exp(v) - 1, so drim's own
/// log10(x + 0.01) binning sees (normalised) counts as it expects.
void undo_log1p(Expression& expr);

/// Applies the declared input scale ("counts": as given; "log1p": undo_log1p) after looking at
/// the values, and returns the warnings a user should see (rows that look like barcodes; counts
/// declared but values that look log-transformed). Throws UsageError for log1p declared on
/// values that log1p data never reaches, or an unknown scale. `source` names the data.
std::vector<std::string> apply_input_scale(Expression& expr, const std::string& scale, const std::string& source);

}  // namespace drim
