#include "drim/network/network.hpp"

#include <unordered_map>

#include "drim/error.hpp"

namespace drim {

Network make_network(const std::vector<ScoredEdge>& kept) {
  std::vector<std::int32_t> nodes;
  std::unordered_map<std::int32_t, int> seen;
  for (const auto& e : kept)
    for (std::int32_t g : {e.tf, e.target})
      if (seen.emplace(g, 0).second) nodes.push_back(g);
  return make_network(kept, nodes);
}

Network make_network(const std::vector<ScoredEdge>& kept, const std::vector<std::int32_t>& node_genes) {
  Network net;
  net.genes = node_genes;
  std::unordered_map<std::int32_t, int> node_of;
  node_of.reserve(node_genes.size());
  for (std::size_t i = 0; i < node_genes.size(); ++i) node_of.emplace(node_genes[i], static_cast<int>(i));
  net.edges.reserve(kept.size());
  for (const auto& e : kept) {
    auto a = node_of.find(e.tf), b = node_of.find(e.target);
    if (a == node_of.end() || b == node_of.end()) throw Error("make_network: an edge endpoint is not among the nodes");
    net.edges.push_back({a->second, b->second, static_cast<double>(e.score)});
  }
  return net;
}

}  // namespace drim
