// GraphML through igraph's writer, with the network's names and metrics as attributes.
#include <cstdio>

#include "drim/error.hpp"
#include "drim/network/network_writers.hpp"
#include "drim/temp_path.hpp"
#include "igraph_handle.hpp"

namespace drim {

namespace {

void set_numeric(igraph_t* g, const char* name, const std::vector<double>& values) {
  detail::RealVector v(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) VECTOR(v.v)[i] = values[i];
  detail::igraph_check(igraph_cattribute_VAN_setv(g, name, &v.v), name);
}

}  // namespace

void write_graphml(const std::string& path, const GeneDictionary& genes, const std::vector<char>& is_tf, const Network& net,
                   const NodeMetrics& m) {
  detail::IGraph g(net.genes.size(), net.edges);
  igraph_strvector_t names;
  detail::igraph_check(igraph_strvector_init(&names, static_cast<igraph_integer_t>(net.genes.size())), "allocating names");
  for (std::size_t i = 0; i < net.genes.size(); ++i) {
    if (igraph_strvector_set(&names, static_cast<igraph_integer_t>(i), genes.name(net.genes[i]).c_str()) != IGRAPH_SUCCESS) {
      igraph_strvector_destroy(&names);
      throw Error("igraph: cannot store gene names");
    }
  }
  igraph_error_t rc = igraph_cattribute_VAS_setv(g.get(), "name", &names);
  igraph_strvector_destroy(&names);
  detail::igraph_check(rc, "name");
  std::vector<double> tf(net.genes.size());
  for (std::size_t i = 0; i < tf.size(); ++i)
    tf[i] = static_cast<std::size_t>(net.genes[i]) < is_tf.size() && is_tf[net.genes[i]];
  set_numeric(g.get(), "is_tf", tf);
  set_numeric(g.get(), "in_degree", m.in_degree);
  set_numeric(g.get(), "out_degree", m.out_degree);
  set_numeric(g.get(), "pagerank", m.pagerank);
  if (!m.betweenness.empty()) set_numeric(g.get(), "betweenness", m.betweenness);
  detail::RealVector score(net.edges.size());
  for (std::size_t i = 0; i < net.edges.size(); ++i) VECTOR(score.v)[i] = net.edges[i].weight;
  detail::igraph_check(igraph_cattribute_EAN_setv(g.get(), "score", &score.v), "score");

  TempPath tmp(path);
  FILE* out = std::fopen(tmp.path().c_str(), "w");
  if (!out) throw Error("cannot create " + quote(path));
  rc = igraph_write_graph_graphml(g.get(), out, false);
  const bool closed = std::fclose(out) == 0;
  detail::igraph_check(rc, "writing GraphML");
  if (!closed) throw Error("cannot write " + quote(path) + " (disk full?)");
  tmp.commit();
}

}  // namespace drim
