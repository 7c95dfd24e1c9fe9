#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "drim/network/edge_selection.hpp"

namespace drim {

/// Gene names met while reading edge lists, each with a dense id; shared by the two lists of a
/// comparison so that ids mean the same gene in both.
class GeneDictionary {
 public:
  /// Id of `name`, added when new.
  std::int32_t intern(const std::string& name);
  /// Id of `name`, or -1.
  std::int32_t find(const std::string& name) const;
  const std::string& name(std::int32_t id) const { return names_[static_cast<std::size_t>(id)]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::int32_t> ids_;
};

/// What reading an edge list keeps besides the selected network.
struct EdgeListReadOptions {
  EdgeSelectionOptions select;  ///< the network's cut
  /// Confidence thresholds at which every TF's targets are counted, over all scored edges.
  std::vector<double> thresholds = {0.5, 0.6, 0.7, 0.8, 0.9};
  bool keep_all = false;  ///< also keep every scored edge (a comparison needs both scores of a pair)
};

/// One edge list, read: its network and the counts around it.
struct EdgeList {
  std::string path;
  std::string format;              ///< "drim" (tf target score), "beeline" (Gene1 Gene2 EdgeWeight) or "pyscenic"
  std::vector<ScoredEdge> kept;    ///< the selected network, best first
  std::vector<ScoredEdge> all;     ///< with keep_all: every edge, sorted by (tf, target)
  std::vector<char> is_tf;         ///< per gene id: named as the regulator of some edge
  /// per gene id: targets scoring at least each threshold (empty for genes that are no TF)
  std::vector<std::vector<std::uint32_t>> targets_at;
  std::size_t n_edges = 0;         ///< edges read
  std::size_t n_passed = 0;        ///< edges scoring at least min_score
  double best_score = 0;           ///< highest score read
};

/// Reads a scored edge list, streamed (plain or gzip): drim-predict/drim-merge TSV, BEELINE
/// rankedEdges (tab or comma), or pySCENIC/arboreto adjacencies (TF target importance). The
/// first line is a header when its third field is not a number; lines starting with '#' and
/// empty lines are skipped; further columns are ignored. Throws naming the file and line for a
/// missing or non-numeric score, and naming the genes for an edge listed twice.
EdgeList read_edge_list(const std::string& path, const EdgeListReadOptions& opts, GeneDictionary& genes);

}  // namespace drim
