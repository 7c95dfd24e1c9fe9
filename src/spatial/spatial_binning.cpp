#include "drim/spatial/spatial_binning.hpp"

#include <algorithm>
#include <cmath>

#include "drim/error.hpp"

namespace drim::spatial {

namespace {
/// Separable Gaussian smoothing of one size x size map, each bin divided by its `support` (the
/// smoothed mask of bins holding cells; 0 leaves the bin at 0).
void smooth(float* map, const std::vector<float>& kernel, const std::vector<float>& support, int size, std::vector<float>& tmp) {
  const int r = static_cast<int>(kernel.size()) / 2;
  tmp.assign(static_cast<std::size_t>(size) * size, 0.0f);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      float s = 0;
      for (int k = -r; k <= r; ++k)
        if (x + k >= 0 && x + k < size) s += kernel[k + r] * map[y * size + x + k];
      tmp[y * size + x] = s;
    }
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      float s = 0;
      for (int k = -r; k <= r; ++k)
        if (y + k >= 0 && y + k < size) s += kernel[k + r] * tmp[(y + k) * size + x];
      const float w = support[y * size + x];
      map[y * size + x] = w > 0 ? s / w : 0.0f;
    }
}
}  // namespace

GeneMaps bin_spatial(const Expression& expr, const std::vector<double>& xy, const SpatialBinOptions& opts) {
  const std::size_t C = expr.n_cells(), G = expr.n_genes();
  const int S = opts.size;
  if (S < 1) throw Error("spatial bins must be positive, got " + quote(std::to_string(S)));
  if (opts.sigma < 0) throw Error("spatial smoothing sigma must be >= 0, got " + quote(std::to_string(opts.sigma)));
  if (xy.size() != 2 * C)
    throw Error("spatial coordinates: " + std::to_string(xy.size()) + " values for " + std::to_string(C) + " cells (expected cells x 2)");
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (std::size_t c = 0; c < C; ++c) {
    if (!std::isfinite(xy[2 * c]) || !std::isfinite(xy[2 * c + 1]))
      throw Error("spatial coordinates of cell " + quote(expr.cells[c]) + " are not finite");
    x0 = std::min(x0, xy[2 * c]), x1 = std::max(x1, xy[2 * c]);
    y0 = std::min(y0, xy[2 * c + 1]), y1 = std::max(y1, xy[2 * c + 1]);
  }
  auto bin = [S](double v, double lo, double hi) {
    if (hi <= lo) return 0;
    return std::min(S - 1, static_cast<int>((v - lo) / (hi - lo) * S));
  };
  std::vector<int> cell_bin(C);
  std::vector<float> count(static_cast<std::size_t>(S) * S, 0.0f);
  for (std::size_t c = 0; c < C; ++c) {
    cell_bin[c] = bin(xy[2 * c + 1], y0, y1) * S + bin(xy[2 * c], x0, x1);
    count[cell_bin[c]] += 1;
  }
  std::vector<float> kernel{1.0f}, support(count.size());
  for (std::size_t b = 0; b < count.size(); ++b) support[b] = count[b] > 0 ? 1.0f : 0.0f;
  if (opts.sigma > 0) {
    const int r = static_cast<int>(std::ceil(3 * opts.sigma));
    kernel.assign(2 * r + 1, 0.0f);
    for (int k = -r; k <= r; ++k) kernel[k + r] = static_cast<float>(std::exp(-0.5 * k * k / (opts.sigma * opts.sigma)));
    std::vector<float> tmp, mask = support;
    smooth(support.data(), kernel, std::vector<float>(count.size(), 1.0f), S, tmp);  // the smoothed mask
    for (std::size_t b = 0; b < count.size(); ++b) support[b] *= mask[b];           // 0 where no cell falls
  }
  GeneMaps maps;
  maps.genes = expr.genes;
  maps.channels = 1;
  maps.height = maps.width = S;
  maps.values.assign(G * maps.pixels(), 0.0f);
#pragma omp parallel
  {
    std::vector<double> sum(count.size());
    std::vector<float> tmp;
#pragma omp for schedule(static)
    for (long g = 0; g < static_cast<long>(G); ++g) {
      std::fill(sum.begin(), sum.end(), 0.0);
      const double* v = expr.row(g);
      for (std::size_t c = 0; c < C; ++c) sum[cell_bin[c]] += std::log1p(v[c]);
      float* m = maps.image(g);
      for (std::size_t b = 0; b < count.size(); ++b) m[b] = count[b] > 0 ? static_cast<float>(sum[b] / count[b]) : 0.0f;
      if (opts.sigma > 0) smooth(m, kernel, support, S, tmp);
      const float top = *std::max_element(m, m + count.size());
      if (top > 0)
        for (std::size_t b = 0; b < count.size(); ++b) m[b] /= top;
    }
  }
  return maps;
}

}  // namespace drim::spatial
