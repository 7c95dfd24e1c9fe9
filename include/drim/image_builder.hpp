#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "drim/bin_codes.hpp"
#include "drim/conditional_image.hpp"
#include "drim/expression.hpp"
#include "drim/neighbors.hpp"
#include "drim/pixel_lut.hpp"

namespace drim {

/// Pixels in one 32 x 32 image.
inline constexpr std::size_t kImagePixels = kBins * kBins;

/// A bootstrap replicate of a matrix's cells: n cell indices (each < n) drawn with replacement.
/// Images built from it are histograms over these draws, a cell counted as often as it was
/// drawn; the total stays n, so the pixel lookup table is the full data's.
struct CellSample {
  std::vector<std::uint32_t> cells;
};

/// n cells drawn uniformly with replacement from n; the same n and seed give the same sample.
CellSample bootstrap_cells(std::size_t n_cells, std::uint64_t seed);

/// Which images make up a pair (DeepDRIM reference: 10 neighbours, 23 images).
struct ImageOptions {
  int neighbors = 10;         ///< n; a pair gets 2n + 3 images
  bool primary_only = false;  ///< only the primary image (CNNC's input)
  bool exclude_self = false;  ///< drop a gene from its own neighbour list
  std::vector<int> neighbor_group;  ///< per gene; neighbours only within a group (empty = all genes)
  std::vector<char> neighbor_pool;  ///< per gene; non-zero = may be a neighbour (empty = all genes)
  NeighborRank neighbor_rank = NeighborRank::Covariance;  ///< what neighbours are ranked by (the reference's)
  /// K > 0: each pair also gets the conditional image I(a, b | K) right after I(a, b): the
  /// target's log values minus their least-squares fit on the K genes (other than a) that
  /// correlate best with it, drawn from the neighbour pool and group (Conditioning). 0 = off
  /// (the paper's images).
  int conditional = 0;

  /// Images that describe the pair itself (tower A's channels): I(a, b), and I(a, b | K) with
  /// a conditional image.
  int primary_images() const { return conditional > 0 ? 2 : 1; }
};

/// Fitted image state of one expression matrix: per-gene bin codes, neighbour table and pixel
/// lookup table. Immutable once built and safe to share between threads.
class ImageContext {
 public:
  /// Computes bin codes and (unless primary_only) the neighbour table of `expr`.
  ImageContext(const Expression& expr, const ImageOptions& opts, int threads = 0);
  /// The same from any view of a matrix (e.g. a caller's numpy array, not copied); `genes`
  /// names genes in errors.
  ImageContext(const ExpressionView& expr, const std::vector<std::string>& genes, const ImageOptions& opts, int threads = 0);

  /// Images per pair: 1 with primary_only, else 2n + 3; one more with a conditional image.
  int images_per_pair() const { return (opts_.primary_only ? 1 : 2 * opts_.neighbors + 3) + (primary_images() - 1); }
  /// ImageOptions::primary_images() of this context.
  int primary_images() const { return opts_.primary_images(); }
  const ImageOptions& options() const { return opts_; }
  const BinCodes& codes() const { return codes_; }
  const NeighborTable& neighbors() const { return neighbors_; }
  std::size_t n_genes() const { return codes_.n_genes; }
  std::size_t n_cells() const { return codes_.n_cells; }

  /// Image I(x, y): gene x's bins on the columns, gene y's on the rows; writes 1024 floats.
  /// With `cells`, the histogram of that bootstrap replicate (its size must be n_cells()); the
  /// bins stay the full data's. The same holds for every image function below that takes it.
  void image(int x, int y, float* out, const CellSample* cells = nullptr) const;

  /// The conditional image I(a, b | K): a's bins on the columns, the bins of b's residual on
  /// the rows (ImageOptions::conditional; throws when it is 0); writes 1024 floats.
  void conditional_image(int a, int b, float* out, const CellSample* cells = nullptr) const;
  /// The primary_images() images of pair (a, b): I(a, b) and, with a conditional image, I(a, b | K).
  void primary(int a, int b, float* out, const CellSample* cells = nullptr) const;

  /// The images of pair (a, b) in the reference order: I(a,b) [then I(a, b | K)]; I(a,a), I(b,b);
  /// I(a, nA_k) for k = 1..n; I(nB_k, b) for k = 1..n. Writes images_per_pair() * 1024 floats.
  void pair_images(int a, int b, float* out, const CellSample* cells = nullptr) const;

  /// Histogram counts of I(x, y) (cells per pixel, before the lookup table); writes 1024 counts.
  void image_counts(int x, int y, std::uint32_t* out) const;
  /// Histogram counts of the conditional image I(a, b | K) (ImageOptions::conditional > 0).
  void conditional_counts(int a, int b, std::uint32_t* out) const;
  /// Counts of the pair's images, in pair_images() order; pixel = lut()(count).
  void pair_counts(int a, int b, std::uint32_t* out) const;
  /// The count-to-pixel table of this matrix.
  const PixelLut& lut() const { return lut_; }

 private:
  /// Histogram of two code rows (x on the columns), over all cells or over `cells`, through the
  /// lookup table.
  void image_of_codes(const std::uint8_t* col, const std::uint8_t* row, float* out, const CellSample* cells) const;
  /// The same histogram as counts.
  void counts_of_codes(const std::uint8_t* col, const std::uint8_t* row, std::uint32_t* out) const;
  /// Bin codes of b's residual for pair (a, b), in a per-thread buffer valid until the next call.
  const std::uint8_t* residual_codes(int a, int b) const;

  ImageOptions opts_;
  BinCodes codes_;
  NeighborTable neighbors_;
  PixelLut lut_;
  Conditioning conditioning_;
};

}  // namespace drim
