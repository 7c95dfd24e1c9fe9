#pragma once
// How an epoch's training pairs are cut into batches.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "drim/training_pairs.hpp"

namespace drim {

/// How pairs are grouped into batches.
enum class BatchOrder {
  Random,    ///< one shuffle of all pairs (the reference)
  Balanced,  ///< positives and negatives spread evenly, so each batch has about the overall positive share
  Target,    ///< pairs of one target kept together (genes in random order), batches shuffled
  Tf,        ///< pairs of one TF kept together, batches shuffled
};

/// Parses "random", "balanced", "target" or "tf".
BatchOrder parse_batch_order(const std::string& name);

/// The batches of one epoch: every row of `rows` exactly once, in batches of `batch` (the last
/// may be shorter). `pairs[row]` gives a row's genes and label. Deterministic for a seed.
std::vector<std::vector<std::size_t>> make_batches(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows,
                                                   std::size_t batch, BatchOrder order, std::uint64_t seed);

}  // namespace drim
