#include "drim/impute/library_size.hpp"

#include <algorithm>

namespace drim::impute {

std::vector<double> cell_totals(const Expression& expr) {
  std::vector<double> total(expr.n_cells(), 0.0);
  for (std::size_t g = 0; g < expr.n_genes(); ++g) {
    const double* r = expr.row(g);
    for (std::size_t c = 0; c < expr.n_cells(); ++c) total[c] += r[c];
  }
  return total;
}

double median_total(std::vector<double> totals) {
  if (totals.empty()) return 0.0;
  std::nth_element(totals.begin(), totals.begin() + totals.size() / 2, totals.end());
  return totals[totals.size() / 2];
}

}  // namespace drim::impute
