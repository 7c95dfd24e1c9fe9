// Builds against an installed drim: reads an expression file, builds one pair's images, prints the
// primary image's filled pixels and drim's version; then a network's PageRank from an edge list.
#include <cstdio>
#include <vector>

#include "drim/expression_io.hpp"
#include "drim/image_builder.hpp"
#include "drim/network/network.hpp"
#include "drim/network/edge_list.hpp"
#include "drim/version.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer EXPRESSION EDGES\n");
    return 2;
  }
  try {
    drim::Expression e = drim::read_expression(argv[1]);
    drim::ImageOptions o;
    o.neighbors = 2;
    drim::ImageContext ctx(e, o);
    std::vector<std::uint32_t> counts(ctx.images_per_pair() * drim::kImagePixels);
    ctx.pair_counts(0, 1, counts.data());
    std::size_t cells = 0, filled = 0;
    for (std::size_t p = 0; p < drim::kImagePixels; ++p) {
      cells += counts[p];
      filled += counts[p] > 0;
    }
    std::printf("drim %s: %zu genes x %zu cells; I(%s,%s) holds %zu cells in %zu pixels\n", drim::kVersion, e.n_genes(),
                e.n_cells(), e.genes[0].c_str(), e.genes[1].c_str(), cells, filled);

    drim::GeneDictionary genes;
    drim::EdgeListReadOptions ro;
    ro.select.min_score = 0.0;
    drim::EdgeList list = drim::read_edge_list(argv[2], ro, genes);
    drim::Network net = drim::make_network(list.kept);
    drim::NodeMetrics m = drim::node_metrics(net.genes.size(), net.edges, {});
    std::size_t best = 0;
    for (std::size_t i = 1; i < m.pagerank.size(); ++i)
      if (m.pagerank[i] > m.pagerank[best]) best = i;
    std::printf("%zu edges over %zu genes; highest PageRank: %s (%.4f)\n", net.edges.size(), net.genes.size(),
                genes.name(net.genes[best]).c_str(), m.pagerank[best]);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "error: %s\n", ex.what());
    return 1;
  }
  return 0;
}
