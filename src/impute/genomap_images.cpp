#include "drim/impute/genomap_images.hpp"

#include <algorithm>
#include <cmath>

#include "drim/error.hpp"
#include "drim/impute/library_size.hpp"

namespace drim::impute {

namespace {

std::vector<double> factors_from_totals(const std::vector<double>& total, double target_total) {
  std::vector<double> f(total.size(), 1.0);
  if (target_total > 0)
    for (std::size_t c = 0; c < f.size(); ++c) f[c] = total[c] > 0 ? target_total / total[c] : 1.0;
  return f;
}

}  // namespace

std::vector<double> cell_factors(const Expression& expr, double target_total) {
  return factors_from_totals(cell_totals(expr), target_total);
}

GenomapScale fit_scale(const Expression& expr, const std::vector<int>& rows) {
  GenomapScale s;
  const std::vector<double> total = cell_totals(expr);
  s.target_total = median_total(total);
  const std::vector<double> f = factors_from_totals(total, s.target_total);
  s.gene_max.reserve(rows.size());
  for (int r : rows) {
    const double* v = expr.row(r);
    double top = 0;
    for (std::size_t c = 0; c < expr.n_cells(); ++c) top = std::max(top, std::log1p(v[c] * f[c]));
    s.gene_max.push_back(top > 0 ? top : 1.0);
  }
  return s;
}

std::vector<float> genomap_images(const Expression& expr, const GenomapLayout& layout, const std::vector<int>& rows,
                                  const GenomapScale& scale) {
  if (rows.size() != layout.genes.size() || scale.gene_max.size() != rows.size())
    throw Error("GenoMap images: layout, gene rows and scale differ in length");
  const std::size_t P = static_cast<std::size_t>(layout.rows) * layout.cols, C = expr.n_cells();
  const std::vector<double> f = cell_factors(expr, scale.target_total);
  std::vector<float> img(C * P, 0.0f);
  for (std::size_t g = 0; g < rows.size(); ++g) {
    const double* v = expr.row(rows[g]);
    const double inv = 1.0 / scale.gene_max[g];
    const std::size_t px = layout.position[g];
    for (std::size_t c = 0; c < C; ++c) img[c * P + px] = static_cast<float>(std::min(1.0, std::log1p(v[c] * f[c]) * inv));
  }
  return img;
}

void images_to_expression(const std::vector<float>& images, const GenomapLayout& layout, const std::vector<int>& rows,
                          const GenomapScale& scale, const std::vector<double>& factors, bool keep_observed, Expression& out) {
  const std::size_t P = static_cast<std::size_t>(layout.rows) * layout.cols, C = out.n_cells();
  if (images.size() != C * P || factors.size() != C) throw Error("GenoMap images: expected " + std::to_string(C * P) + " pixels");
  for (std::size_t g = 0; g < rows.size(); ++g) {
    double* v = out.row(rows[g]);
    const std::size_t px = layout.position[g];
    for (std::size_t c = 0; c < C; ++c) {
      if (keep_observed && v[c] != 0) continue;
      const double pixel = std::clamp(static_cast<double>(images[c * P + px]), 0.0, 1.0);
      v[c] = std::expm1(pixel * scale.gene_max[g]) / factors[c];
    }
  }
}

}  // namespace drim::impute
