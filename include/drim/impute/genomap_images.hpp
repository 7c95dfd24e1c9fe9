#pragma once
// Expression <-> GenoMap images (one rows x cols image per cell) and back.
#include <vector>

#include "drim/expression.hpp"
#include "drim/impute/genomap.hpp"

namespace drim::impute {

/// The scale of GenoMap pixels: each cell's counts are scaled to `target_total` (library-size
/// normalisation over all of the matrix's genes), then pixel = log1p(value) / gene_max, so a
/// gene's largest training value is 1. Fitted on the training cells and saved with the model.
struct GenomapScale {
  double target_total = 0;       ///< median cell total of the training cells (0: no normalisation)
  std::vector<double> gene_max;  ///< per layout gene; 1 where the gene is 0 in every cell
};

/// Fits the scale on `expr`, whose rows[i] is layout gene i (layout_rows).
GenomapScale fit_scale(const Expression& expr, const std::vector<int>& rows);

/// Each cell's normalisation factor target_total / (its total over all genes); 1 for an empty cell.
std::vector<double> cell_factors(const Expression& expr, double target_total);

/// One image per cell, cells x (layout.rows * layout.cols) floats, row-major pixels, padding 0;
/// values above the fitted scale are clipped to 1.
std::vector<float> genomap_images(const Expression& expr, const GenomapLayout& layout, const std::vector<int>& rows,
                                  const GenomapScale& scale);

/// Writes images back to expression values (expm1(pixel * gene_max), divided by the cell's
/// factor) into `out`, whose rows[i] is layout gene i and whose cells are those the images were
/// made from (`factors` = cell_factors of them). With `keep_observed`, a value of `out` that is
/// already non-zero is kept.
void images_to_expression(const std::vector<float>& images, const GenomapLayout& layout, const std::vector<int>& rows,
                          const GenomapScale& scale, const std::vector<double>& factors, bool keep_observed, Expression& out);

}  // namespace drim::impute
