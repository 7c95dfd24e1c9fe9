#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drim/network/node_metrics.hpp"
#include "drim/ranked_edges.hpp"

namespace drim {

/// A directed network over genes: node i is gene `genes[i]`; edges join node ids and carry
/// their scores as weights, best first.
struct Network {
  std::vector<std::int32_t> genes;
  std::vector<GraphEdge> edges;
};

/// The network of `kept` edges over the genes they touch, in order of first appearance.
Network make_network(const std::vector<ScoredEdge>& kept);

/// The network of `kept` edges over the given nodes (gene ids, which must include every
/// endpoint): two conditions compared over one node set have comparable PageRank.
Network make_network(const std::vector<ScoredEdge>& kept, const std::vector<std::int32_t>& node_genes);

}  // namespace drim
