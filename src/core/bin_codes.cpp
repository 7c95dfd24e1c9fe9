#include "drim/bin_codes.hpp"

#include <algorithm>
#include <cmath>

#include <omp.h>

namespace drim {

void bin_values(const double* x, std::size_t n, std::uint8_t* out) {
  if (n == 0) return;
  double lo = *std::min_element(x, x + n);
  double hi = *std::max_element(x, x + n);
  if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  // numpy.linspace: edge[i] = start + i * step, with the last edge set to stop exactly.
  double edges[kBins + 1];
  const double step = (hi - lo) / kBins;
  for (int i = 0; i < kBins; ++i) edges[i] = static_cast<double>(i) * step + lo;
  edges[kBins] = hi;
  for (std::size_t c = 0; c < n; ++c) {
    const double v = x[c];
    int idx = static_cast<int>(std::upper_bound(edges, edges + kBins + 1, v) - edges);
    if (v == edges[kBins]) idx -= 1;
    out[c] = static_cast<std::uint8_t>(std::clamp(idx - 1, 0, kBins - 1));
  }
}

BinCodes compute_bin_codes(const Expression& expr, int threads) { return compute_bin_codes(ExpressionRows(expr), threads); }

BinCodes compute_bin_codes(const ExpressionView& expr, int threads) {
  BinCodes bc;
  bc.n_genes = expr.n_genes();
  bc.n_cells = expr.n_cells();
  bc.codes.resize(bc.n_genes * bc.n_cells);
  const long ng = static_cast<long>(bc.n_genes);
  const int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
  {
    std::vector<double> x(bc.n_cells);
#pragma omp for schedule(static)
    for (long g = 0; g < ng; ++g) {
      expr.gene(g, x.data());
      for (std::size_t c = 0; c < bc.n_cells; ++c) x[c] = std::log10(x[c] + 0.01);
      bin_values(x.data(), bc.n_cells, bc.codes.data() + g * bc.n_cells);
    }
  }
  return bc;
}

}  // namespace drim
