// libFuzzer harness: drim-network's edge list reader and the network built from it.
#include "drim/error.hpp"
#include "drim/network/edge_list.hpp"
#include "drim/network/network.hpp"
#include "drim/network/node_metrics.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = drim::fuzz::write_input(data, size, ".tsv");
  try {
    drim::GeneDictionary genes;
    drim::EdgeListReadOptions o;
    o.select.min_score = -1e30;
    o.keep_all = true;
    auto list = drim::read_edge_list(path, o, genes);
    auto net = drim::make_network(list.kept);
    drim::node_metrics(net.genes.size(), net.edges, {});
  } catch (const drim::Error&) {
  }
  return 0;
}
