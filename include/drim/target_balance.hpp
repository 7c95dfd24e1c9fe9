#pragma once
// Loss weights that take target popularity out of a training set: within each target gene,
// positive and negative pairs weigh the same.
#include <cstddef>
#include <string>
#include <vector>

#include "drim/training_pairs.hpp"

namespace drim {

/// One weight per entry of `rows` (indices into `pairs`). For a target with n+ positive and n-
/// negative pairs among `rows` (n = n+ + n-), each positive weighs n / (2 n+) and each negative
/// n / (2 n-): the target keeps its total weight n, half of it on each class, so the target's
/// identity alone (how popular it is, which the in-degree prior carries) no longer lowers the
/// loss and a model has to learn which TFs regulate it. A target with one class only weighs 0
/// (it says nothing about which TFs regulate it). The weights of the targets with both classes
/// sum to their pair count, so their mean is 1.
std::vector<double> target_balance_weights(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows);

/// The training pairs a loss uses and their weights.
struct LossRows {
  std::vector<std::size_t> rows;  ///< indices into the pairs
  std::vector<float> weight;      ///< indexed by pair row; empty when every pair weighs 1
};

/// For balance "none": every row of `rows`, unweighted. For "target": the rows whose
/// target_balance_weights is not 0, with those weights. Throws when no target among `rows` has
/// both classes, or for another `balance`.
LossRows loss_rows(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows, const std::string& balance);

}  // namespace drim
