#pragma once
// Internal: an igraph_t built from drim's edges, with igraph's errors turned into drim::Error.
#include <cstddef>
#include <string>
#include <vector>

#include <igraph.h>

#include "drim/network/node_metrics.hpp"

namespace drim::detail {

/// Throws drim::Error("igraph: <what>: <reason>") when `code` is not IGRAPH_SUCCESS.
void igraph_check(igraph_error_t code, const char* what);

/// Owns a directed igraph_t. The constructor installs (once) a non-aborting error handler and
/// the C attribute table that the GraphML writer needs.
class IGraph {
 public:
  IGraph(std::size_t n_nodes, const std::vector<GraphEdge>& edges);
  ~IGraph();
  IGraph(const IGraph&) = delete;
  IGraph& operator=(const IGraph&) = delete;
  igraph_t* get() { return &g_; }

 private:
  igraph_t g_;
};

/// A vector of reals, freed on scope exit.
struct RealVector {
  igraph_vector_t v;
  explicit RealVector(std::size_t n = 0);
  ~RealVector();
  RealVector(const RealVector&) = delete;
  RealVector& operator=(const RealVector&) = delete;
  std::vector<double> to_std() const;
};

}  // namespace drim::detail
