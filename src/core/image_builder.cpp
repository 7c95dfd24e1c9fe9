#include "drim/image_builder.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "drim/error.hpp"

namespace drim {

ImageContext::ImageContext(const Expression& expr, const ImageOptions& opts, int threads)
    : ImageContext(ExpressionRows(expr), expr.genes, opts, threads) {}

ImageContext::ImageContext(const ExpressionView& expr, const std::vector<std::string>& genes, const ImageOptions& opts, int threads)
    : opts_(opts), codes_(compute_bin_codes(expr, threads)), lut_(expr.n_cells()) {
  if (!opts.primary_only && opts.neighbors > 0) {
    NeighborOptions nopts;
    nopts.n = opts.neighbors;
    nopts.exclude_self = opts.exclude_self;
    nopts.group = opts.neighbor_group;
    nopts.candidate = opts.neighbor_pool;
    nopts.rank = opts.neighbor_rank;
    nopts.threads = threads;
    neighbors_ = rank_neighbors(expr, genes, nopts);
  }
  if (opts.conditional > 0) conditioning_ = Conditioning(expr, genes, opts.conditional, opts.neighbor_group, opts.neighbor_pool, threads);
}

CellSample bootstrap_cells(std::size_t n_cells, std::uint64_t seed) {
  if (n_cells == 0 || n_cells > UINT32_MAX) throw Error("bootstrap_cells: cannot resample " + quote(std::to_string(n_cells)) + " cells");
  std::mt19937_64 rng(seed);
  CellSample s;
  s.cells.resize(n_cells);
  // Multiply-shift to [0, n): the same draws on every platform, unlike uniform_int_distribution.
  for (auto& c : s.cells) c = static_cast<std::uint32_t>((static_cast<unsigned __int128>(rng()) * n_cells) >> 64);
  return s;
}

void ImageContext::image(int x, int y, float* out, const CellSample* cells) const {
  image_of_codes(codes_.row(x), codes_.row(y), out, cells);
}

void ImageContext::image_of_codes(const std::uint8_t* col, const std::uint8_t* row, float* out, const CellSample* cells) const {
  // Most pixels are empty: fill with the empty-bin value, then write only the pixels some cell
  // fell in (branch-free: every cell's pixel is listed, repeats rewrite the same value).
  thread_local std::vector<std::uint32_t> counts(kImagePixels, 0);
  thread_local std::vector<std::uint16_t> pixel;
  const std::size_t n = codes_.n_cells;
  pixel.resize(n);
  if (cells) {
    if (cells->cells.size() != n)
      throw Error("a cell sample of " + quote(std::to_string(cells->cells.size())) + " cells for a matrix of " + std::to_string(n));
    for (std::size_t c = 0; c < n; ++c) {
      const std::uint32_t k = cells->cells[c];
      pixel[c] = static_cast<std::uint16_t>(row[k] * kBins + col[k]);
    }
  } else {
    for (std::size_t c = 0; c < n; ++c) pixel[c] = static_cast<std::uint16_t>(row[c] * kBins + col[c]);
  }
  for (std::size_t c = 0; c < n; ++c) ++counts[pixel[c]];
  std::fill(out, out + kImagePixels, lut_(0));
  for (std::size_t c = 0; c < n; ++c) out[pixel[c]] = lut_(counts[pixel[c]]);
  for (std::size_t c = 0; c < n; ++c) counts[pixel[c]] = 0;
}

const std::uint8_t* ImageContext::residual_codes(int a, int b) const {
  thread_local std::vector<std::uint8_t> residual;
  residual.resize(codes_.n_cells);
  conditioning_.residual_codes(a, b, residual.data());
  return residual.data();
}

void ImageContext::conditional_image(int a, int b, float* out, const CellSample* cells) const {
  if (opts_.conditional < 1) throw Error("conditional_image: this image context has no conditional images (conditional 0)");
  image_of_codes(codes_.row(a), residual_codes(a, b), out, cells);
}

void ImageContext::conditional_counts(int a, int b, std::uint32_t* out) const {
  counts_of_codes(codes_.row(a), residual_codes(a, b), out);
}

void ImageContext::primary(int a, int b, float* out, const CellSample* cells) const {
  image(a, b, out, cells);
  if (opts_.conditional > 0) conditional_image(a, b, out + kImagePixels, cells);
}

void ImageContext::image_counts(int x, int y, std::uint32_t* out) const { counts_of_codes(codes_.row(x), codes_.row(y), out); }

void ImageContext::counts_of_codes(const std::uint8_t* col, const std::uint8_t* row, std::uint32_t* out) const {
  const std::size_t n = codes_.n_cells;
  std::fill(out, out + kImagePixels, 0u);
  for (std::size_t c = 0; c < n; ++c) ++out[row[c] * kBins + col[c]];
}

namespace {

/// Calls make(x, y, out) for each image of pair (a, b) in the reference order, and cond(a, b,
/// out) for the conditional image after the primary one when there is one.
template <typename T, typename Make, typename Cond>
void for_pair_images(const ImageOptions& opts, const NeighborTable& nbrs, int a, int b, T* out, Make make, Cond cond) {
  make(a, b, out);
  if (opts.conditional > 0) cond(a, b, out += kImagePixels);
  if (opts.primary_only) return;
  out += kImagePixels;
  make(a, a, out);
  out += kImagePixels;
  make(b, b, out);
  out += kImagePixels;
  const int* na = nbrs.of(a);
  for (int k = 0; k < opts.neighbors; ++k, out += kImagePixels) make(a, na[k], out);
  const int* nb = nbrs.of(b);
  for (int k = 0; k < opts.neighbors; ++k, out += kImagePixels) make(nb[k], b, out);
}

}  // namespace

void ImageContext::pair_images(int a, int b, float* out, const CellSample* cells) const {
  for_pair_images(opts_, neighbors_, a, b, out, [this, cells](int x, int y, float* o) { image(x, y, o, cells); },
                  [this, cells](int x, int y, float* o) { conditional_image(x, y, o, cells); });
}

void ImageContext::pair_counts(int a, int b, std::uint32_t* out) const {
  for_pair_images(opts_, neighbors_, a, b, out, [this](int x, int y, std::uint32_t* o) { image_counts(x, y, o); },
                  [this](int x, int y, std::uint32_t* o) { conditional_counts(x, y, o); });
}

}  // namespace drim
