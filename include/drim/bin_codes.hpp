#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drim/expression.hpp"
#include "drim/expression_view.hpp"

namespace drim {

/// Number of histogram bins per axis (DeepDRIM's images are 32 x 32).
inline constexpr int kBins = 32;

/// Per-gene histogram bin of every cell, as numpy.histogram2d(bins=32) assigns it on one axis:
/// x = log10(v + 0.01), edges = linspace(min x, max x, 33) over that gene's cells
/// (min == max widens to [min - 0.5, max + 0.5]), bin = searchsorted(edges, x, 'right') - 1,
/// and x == max goes in the last bin.
struct BinCodes {
  std::size_t n_genes = 0;
  std::size_t n_cells = 0;
  std::vector<std::uint8_t> codes;  ///< n_genes * n_cells bins in [0, 32), gene-major

  const std::uint8_t* row(std::size_t g) const { return codes.data() + g * n_cells; }
};

/// Bins of `n` values of one gene (already log-transformed), written to `out`.
void bin_values(const double* x, std::size_t n, std::uint8_t* out);

/// Bin codes of every gene of `expr` (log transform applied here, in double precision).
BinCodes compute_bin_codes(const Expression& expr, int threads = 0);
/// The same for any view of a matrix.
BinCodes compute_bin_codes(const ExpressionView& expr, int threads = 0);

}  // namespace drim
