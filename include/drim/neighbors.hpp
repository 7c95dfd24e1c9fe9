#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "drim/expression.hpp"
#include "drim/expression_view.hpp"

namespace drim {

/// What neighbours are ranked by.
enum class NeighborRank {
  Covariance,      ///< sample covariance of the values (the reference: favours highly expressed genes)
  AbsCorrelation,  ///< |Pearson r| of the values (repressors count as much as activators)
};

/// Parses "covariance" or "correlation"; throws naming the value otherwise.
NeighborRank parse_neighbor_rank(const std::string& name);
/// "covariance" or "correlation".
std::string to_string(NeighborRank rank);

/// How neighbour genes are ranked (DeepDRIM reference: top 10 by covariance, self included).
struct NeighborOptions {
  int n = 10;                 ///< neighbours kept per gene
  NeighborRank rank = NeighborRank::Covariance;  ///< the reference's measure
  bool exclude_self = false;  ///< drop a gene from its own neighbour list
  std::size_t block = 512;    ///< genes per covariance block (memory: block x genes doubles)
  /// One group id per gene: neighbours are then ranked only among genes of the gene's own group
  /// (e.g. the separate datasets of a simulation stacked in one matrix). Empty = all genes.
  std::vector<int> group;
  /// One flag per gene: only genes flagged non-zero may be ranked as neighbours (e.g. the TFs, so
  /// that a gene's neighbour images show it beside its candidate regulators). Empty = every gene.
  std::vector<char> candidate;
  int threads = 0;            ///< 0 = all cores
};

/// For each gene, the n genes of largest covariance with it, largest first.
struct NeighborTable {
  std::size_t n_genes = 0;
  int n = 0;
  std::vector<int> index;  ///< n_genes * n gene rows, gene-major

  const int* of(std::size_t g) const { return index.data() + g * n; }
};

/// Ranks neighbours by sample covariance (ddof 1) of the loaded values over cells, or by |Pearson r|
/// (opts.rank), ties broken by lower gene index; computed block by block, never holding the
/// genes x genes matrix.
NeighborTable rank_neighbors(const Expression& expr, const NeighborOptions& opts = {});
/// The same for any view of a matrix; `genes` names genes in errors (may be empty).
NeighborTable rank_neighbors(const ExpressionView& expr, const std::vector<std::string>& genes, const NeighborOptions& opts = {});

}  // namespace drim
