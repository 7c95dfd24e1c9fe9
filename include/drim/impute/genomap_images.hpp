#pragma once
// Expression <-> GenoMap images (one rows x cols image per cell) and back.
#include <vector>

#include "drim/expression.hpp"
#include "drim/impute/genomap.hpp"

namespace drim::impute {

/// The per-gene scale of GenoMap pixels: pixel = log1p(value) / gene_max (so a gene's largest
/// observed value is 1); fitted on the training cells and saved with the model.
struct GenomapScale {
  std::vector<double> gene_max;  ///< per layout gene; 1 where the gene is 0 in every cell
};

/// Fits the scale on `expr`, whose rows[i] is layout gene i (layout_rows).
GenomapScale fit_scale(const Expression& expr, const std::vector<int>& rows);

/// One image per cell, cells x (layout.rows * layout.cols) floats, row-major pixels, padding 0;
/// values above the fitted scale are clipped to 1.
std::vector<float> genomap_images(const Expression& expr, const GenomapLayout& layout, const std::vector<int>& rows,
                                  const GenomapScale& scale);

/// Writes images back to expression values (expm1(pixel * gene_max)) into `out`, whose rows[i]
/// is layout gene i. With `keep_observed`, a value of `out` that is already non-zero is kept.
void images_to_expression(const std::vector<float>& images, const GenomapLayout& layout, const std::vector<int>& rows,
                          const GenomapScale& scale, bool keep_observed, Expression& out);

}  // namespace drim::impute
