#include "drim/image_builder.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "drim/error.hpp"

namespace drim {

ImageContext::ImageContext(const Expression& expr, const ImageOptions& opts, int threads)
    : opts_(opts), codes_(compute_bin_codes(expr, threads)), lut_(expr.n_cells()) {
  if (!opts.primary_only && opts.neighbors > 0) {
    NeighborOptions nopts;
    nopts.n = opts.neighbors;
    nopts.exclude_self = opts.exclude_self;
    nopts.group = opts.neighbor_group;
    nopts.threads = threads;
    neighbors_ = rank_neighbors(expr, nopts);
  }
}

void ImageContext::image(int x, int y, float* out) const {
  // Most pixels are empty: fill with the empty-bin value, then write only the pixels some cell
  // fell in (branch-free: every cell's pixel is listed, repeats rewrite the same value).
  thread_local std::vector<std::uint32_t> counts(kImagePixels, 0);
  thread_local std::vector<std::uint16_t> pixel;
  const std::size_t n = codes_.n_cells;
  pixel.resize(n);
  const std::uint8_t* col = codes_.row(x);
  const std::uint8_t* row = codes_.row(y);
  for (std::size_t c = 0; c < n; ++c) pixel[c] = static_cast<std::uint16_t>(row[c] * kBins + col[c]);
  for (std::size_t c = 0; c < n; ++c) ++counts[pixel[c]];
  std::fill(out, out + kImagePixels, lut_(0));
  for (std::size_t c = 0; c < n; ++c) out[pixel[c]] = lut_(counts[pixel[c]]);
  for (std::size_t c = 0; c < n; ++c) counts[pixel[c]] = 0;
}

void ImageContext::pair_images(int a, int b, float* out) const {
  image(a, b, out);
  if (opts_.primary_only) return;
  out += kImagePixels;
  image(a, a, out);
  out += kImagePixels;
  image(b, b, out);
  out += kImagePixels;
  const int* na = neighbors_.of(a);
  for (int k = 0; k < opts_.neighbors; ++k, out += kImagePixels) image(a, na[k], out);
  const int* nb = neighbors_.of(b);
  for (int k = 0; k < opts_.neighbors; ++k, out += kImagePixels) image(nb[k], b, out);
}

}  // namespace drim
