#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drim/network/edge_list.hpp"
#include "drim/network/network.hpp"
#include "drim/network/node_metrics.hpp"

namespace drim {

/// One edge of either network, with its score in both lists (NaN where a list does not score
/// the pair) and whether each network keeps it.
struct ComparedEdge {
  std::int32_t tf, target;
  float score_a, score_b;
  bool in_a, in_b;
};

/// A TF's targets in each network and how they change from A to B.
struct TfTargetChange {
  std::int32_t tf;
  std::size_t targets_a = 0, targets_b = 0;
  std::size_t gained = 0;  ///< targets in B, not in A
  std::size_t lost = 0;    ///< targets in A, not in B
};

/// Two networks over one node set (the union of both networks' genes) and their differences.
struct NetworkComparison {
  /// The union of both networks' edges, most changed first: |score_b - score_a| descending;
  /// pairs scored in only one list follow, by their score.
  std::vector<ComparedEdge> edges;
  std::vector<TfTargetChange> tfs;  ///< every TF of either list, by gene id
  Network a, b;
  NodeMetrics metrics_a, metrics_b;
};

/// Compares two edge lists read over one GeneDictionary with keep_all (both scores of a pair are
/// needed). Both networks are built over the union of their nodes so PageRank is comparable.
NetworkComparison compare_networks(const EdgeList& a, const EdgeList& b, const NodeMetricsOptions& opts);

/// Whether a set of TFs has more targets in one network than in the other.
struct TfSetTest {
  std::size_t n_tfs = 0;              ///< TFs of the set found in either list
  double median_a = 0, median_b = 0;  ///< median targets per TF
  std::size_t more_in_a = 0, more_in_b = 0;
  /// Two-sided Wilcoxon signed-rank p-value of targets_b vs targets_a, paired by TF (the same
  /// TFs are counted in both conditions, so a paired test is the right one); NaN if all equal.
  double p = 0;
  /// Median change (targets_b - targets_a) of the set's TFs and of every other TF.
  double median_change = 0, median_change_other = 0;
  /// Two-sided Wilcoxon rank-sum (Mann-Whitney) p-value of the set's changes against the other
  /// TFs' changes: whether the set changes more than the rest, which a global shift of the
  /// scores between conditions (it moves every TF) cannot fake. NaN without other TFs.
  double p_vs_other = 0;
};

/// The paired test of `set` (gene ids) over the comparison's per-TF target counts.
TfSetTest test_tf_targets(const NetworkComparison& cmp, const std::vector<std::int32_t>& set);

}  // namespace drim
