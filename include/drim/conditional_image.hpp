#pragma once
// The conditional image: the primary image with the target's expression explained by other genes
// taken out, so that a TF whose link to the target runs through another gene (a transitive pair)
// shows no dependence. An extension of DeepDRIM (`--conditional K`), not part of the paper.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "drim/expression_view.hpp"
#include "drim/neighbors.hpp"

namespace drim {

/// Fitted state of the conditional images of one matrix: every gene's log10(v + 0.01) values
/// (float32, gene-major) and, per gene, the K + 1 candidates that explain it best (|Pearson r| of
/// the log values, largest first; the gene itself never). Immutable once built.
class Conditioning {
 public:
  Conditioning() = default;
  /// `k` conditioning genes per pair; candidates obey `group` and `pool` as the neighbours do
  /// (NeighborOptions::group, NeighborOptions::candidate). Throws when a gene has fewer than
  /// k + 1 candidates.
  Conditioning(const ExpressionView& expr, const std::vector<std::string>& genes, int k, const std::vector<int>& group,
               const std::vector<char>& pool, int threads = 0);

  int k() const { return k_; }
  /// The conditioning genes of pair (a, b): the first k of b's candidates other than a.
  std::vector<int> given(int a, int b) const;
  /// Bin codes (BinCodes' recipe) of b's log values minus their least-squares fit (with an
  /// intercept) on the log values of given(a, b): writes n_cells codes.
  void residual_codes(int a, int b, std::uint8_t* out) const;
  /// The residual values themselves (n_cells doubles), for tests and inspection.
  void residual(int a, int b, double* out) const;

 private:
  int k_ = 0;
  std::size_t n_cells_ = 0;
  std::vector<float> log_;  ///< n_genes * n_cells
  NeighborTable candidates_;
};

}  // namespace drim
