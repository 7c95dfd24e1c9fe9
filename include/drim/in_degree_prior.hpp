#pragma once
// The target's in-degree in a training network, as a feature a model takes beside the images.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "drim/gene_index.hpp"
#include "drim/training_pairs.hpp"

namespace drim {

/// For a pair (tf, target): how many TFs *other than tf* regulate `target` in a training network
/// (a leave-one-TF-out count). A training pair's own label therefore never feeds its own feature,
/// and the same definition holds at prediction time, where the counts come from the network the
/// model was trained on. The TF's own out-degree is not a feature: under TF-disjoint folds it is
/// unknown for a new TF, and for a training pair it could only be counted with that pair's label.
class InDegreePrior {
 public:
  InDegreePrior() = default;
  /// From the positive pairs (label 1) of `pairs`; repeated pairs count once.
  explicit InDegreePrior(const std::vector<LabelledPair>& pairs);
  /// From named (tf, target) edges, e.g. as stored in a model file, over the genes of `index`.
  /// Edges whose target is not in the index are dropped (no pair can ask for them); a TF not in
  /// the index still counts for its targets. Throws when no edge's target is in the index.
  InDegreePrior(const std::vector<std::pair<std::string, std::string>>& edges, const GeneIndex& index);

  /// TFs other than `tf` that regulate `target`.
  std::size_t count(int tf, int target) const;
  /// log1p(count) for each pair: the model's input.
  std::vector<float> features(const std::vector<int>& tf, const std::vector<int>& target) const;
  /// The network's edges as names, TF first, in a fixed order (for the model file). `genes`
  /// names the gene indices the prior was built on.
  std::vector<std::pair<std::string, std::string>> named_edges(const std::vector<std::string>& genes) const;
  std::size_t n_edges() const;

 private:
  /// target -> its distinct regulators, sorted (-1, -2, ...: TFs that are not in the gene index).
  std::unordered_map<int, std::vector<int>> regulators_;
};

}  // namespace drim
