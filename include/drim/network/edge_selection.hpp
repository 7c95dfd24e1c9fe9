#pragma once
#include <cstddef>
#include <limits>
#include <vector>

#include "drim/ranked_edges.hpp"

namespace drim {

/// How a scored edge list is cut down to a network. The cuts combine: an edge is kept when it
/// scores at least `min_score`, is among its TF's `top_per_tf` best, and the result is among
/// the `top` best overall (ties broken by gene id, so the cut is deterministic).
struct EdgeSelectionOptions {
  double min_score = 0.5;   ///< keep edges scoring at least this (drim-predict: probabilities)
  std::size_t top = 0;         ///< keep only the K best edges overall; 0 = no limit
  std::size_t top_per_tf = 0;  ///< keep only each TF's K best edges; 0 = no limit
};

/// Streams scored edges through the selection in memory bounded by what is kept: a heap of
/// `top` edges, or one heap of `top_per_tf` per TF, or the edges above `min_score`.
class EdgeSelector {
 public:
  explicit EdgeSelector(EdgeSelectionOptions opts);
  /// Offers one edge (gene ids are non-negative).
  void add(const ScoredEdge& e);
  /// The kept edges, best first (score descending, then tf and target id ascending). Call once.
  std::vector<ScoredEdge> finish();
  /// Edges offered so far that passed `min_score`.
  std::size_t passed() const { return passed_; }

 private:
  void push_bounded(std::vector<ScoredEdge>& heap, const ScoredEdge& e, std::size_t k);
  EdgeSelectionOptions opts_;
  std::vector<ScoredEdge> kept_;                 ///< heap (top only) or plain list
  std::vector<std::vector<ScoredEdge>> per_tf_;  ///< one heap per TF id (top_per_tf)
  std::size_t passed_ = 0;
};

}  // namespace drim
