#pragma once
#include <cstddef>
#include <vector>

namespace drim {

/// A directed edge between dense node ids with its weight (the edge's score).
struct GraphEdge {
  int from;
  int to;
  double weight;
};

/// Which centralities to compute, and how.
struct NodeMetricsOptions {
  double damping = 0.85;   ///< PageRank damping factor (networkx's alpha)
  bool weighted = false;   ///< PageRank follows edges in proportion to their scores
  bool betweenness = true; ///< betweenness is O(nodes x edges); off for very large networks
};

/// Per-node results, indexed by node id.
struct NodeMetrics {
  std::vector<double> in_degree, out_degree;  ///< edge counts (a self-loop counts in both)
  std::vector<double> in_weight, out_weight;  ///< sums of edge scores
  /// PageRank of the directed graph (sums to 1); dangling nodes jump uniformly, as in networkx.
  std::vector<double> pagerank;
  /// Shortest-path betweenness over ordered pairs, unweighted, normalised by (n-1)(n-2) as
  /// networkx's betweenness_centrality(normalized=True) does for directed graphs; empty when off.
  std::vector<double> betweenness;
};

/// Degrees, weighted degrees, PageRank and betweenness of a directed graph on `n_nodes` nodes,
/// computed with the igraph C library. Weights must be non-negative for weighted PageRank.
NodeMetrics node_metrics(std::size_t n_nodes, const std::vector<GraphEdge>& edges, const NodeMetricsOptions& opts);

}  // namespace drim
