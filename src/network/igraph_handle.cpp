#include "igraph_handle.hpp"

#include <mutex>

#include "drim/error.hpp"

namespace drim::detail {

void igraph_check(igraph_error_t code, const char* what) {
  if (code != IGRAPH_SUCCESS) throw Error(std::string("igraph: ") + what + ": " + igraph_strerror(code));
}

IGraph::IGraph(std::size_t n_nodes, const std::vector<GraphEdge>& edges) {
  static std::once_flag once;
  std::call_once(once, [] {
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_attribute_table(&igraph_cattribute_table);
  });
  igraph_vector_int_t ends;
  igraph_check(igraph_vector_int_init(&ends, static_cast<igraph_integer_t>(2 * edges.size())), "allocating edges");
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (edges[i].from < 0 || edges[i].to < 0 || static_cast<std::size_t>(edges[i].from) >= n_nodes ||
        static_cast<std::size_t>(edges[i].to) >= n_nodes) {
      igraph_vector_int_destroy(&ends);
      throw Error("edge " + std::to_string(i) + " names a node outside 0.." + std::to_string(n_nodes));
    }
    VECTOR(ends)[2 * i] = edges[i].from;
    VECTOR(ends)[2 * i + 1] = edges[i].to;
  }
  igraph_error_t rc = igraph_create(&g_, &ends, static_cast<igraph_integer_t>(n_nodes), IGRAPH_DIRECTED);
  igraph_vector_int_destroy(&ends);
  igraph_check(rc, "building the graph");
}

IGraph::~IGraph() { igraph_destroy(&g_); }

RealVector::RealVector(std::size_t n) { igraph_check(igraph_vector_init(&v, static_cast<igraph_integer_t>(n)), "allocating"); }
RealVector::~RealVector() { igraph_vector_destroy(&v); }
std::vector<double> RealVector::to_std() const {
  const auto n = static_cast<std::size_t>(igraph_vector_size(&v));
  return std::vector<double>(VECTOR(v), VECTOR(v) + n);
}

}  // namespace drim::detail
