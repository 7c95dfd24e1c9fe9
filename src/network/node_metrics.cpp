#include "drim/network/node_metrics.hpp"

#include "drim/error.hpp"
#include "igraph_handle.hpp"

namespace drim {

NodeMetrics node_metrics(std::size_t n_nodes, const std::vector<GraphEdge>& edges, const NodeMetricsOptions& opts) {
  if (!(opts.damping >= 0.0 && opts.damping <= 1.0))
    throw Error("PageRank damping " + std::to_string(opts.damping) + " must lie in [0, 1]");
  NodeMetrics m;
  m.in_degree.assign(n_nodes, 0.0);
  m.out_degree.assign(n_nodes, 0.0);
  m.in_weight.assign(n_nodes, 0.0);
  m.out_weight.assign(n_nodes, 0.0);
  for (const auto& e : edges) {
    if (opts.weighted && !(e.weight >= 0.0))
      throw Error("weighted PageRank needs non-negative scores; an edge scores " + std::to_string(e.weight));
    m.out_degree[e.from] += 1;
    m.in_degree[e.to] += 1;
    m.out_weight[e.from] += e.weight;
    m.in_weight[e.to] += e.weight;
  }
  if (n_nodes == 0) return m;
  detail::IGraph g(n_nodes, edges);
  detail::RealVector weights(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) VECTOR(weights.v)[i] = edges[i].weight;
  detail::RealVector pr;
  igraph_real_t value = 0;
  detail::igraph_check(igraph_pagerank(g.get(), IGRAPH_PAGERANK_ALGO_PRPACK, &pr.v, &value, igraph_vss_all(), IGRAPH_DIRECTED,
                                       opts.damping, opts.weighted ? &weights.v : nullptr, nullptr),
                       "PageRank");
  m.pagerank = pr.to_std();
  if (opts.betweenness) {
    detail::RealVector bw;
    detail::igraph_check(igraph_betweenness(g.get(), &bw.v, igraph_vss_all(), IGRAPH_DIRECTED, nullptr), "betweenness");
    m.betweenness = bw.to_std();
    const double n = static_cast<double>(n_nodes);
    const double scale = n > 2 ? 1.0 / ((n - 1) * (n - 2)) : 1.0;
    for (auto& b : m.betweenness) b *= scale;
  }
  return m;
}

}  // namespace drim
