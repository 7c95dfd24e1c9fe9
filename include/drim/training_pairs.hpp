#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace drim {

/// How negatives are drawn for each TF.
enum class NegativeRecipe {
  Uniform,  ///< uniformly among genes that are not its targets (the reference recipe)
  Degree,   ///< proportional to the gene's in-degree in the network (+1), among non-targets
};

/// Parses "uniform" or "degree".
NegativeRecipe parse_negative_recipe(const std::string& name);

/// A labelled pair of gene rows.
struct LabelledPair {
  int tf;
  int target;
  int label;
};

struct ResolvedPairs;

/// Labelled pairs from a labelled list; throws naming `source` and the pair for a pair labelled
/// both 0 and 1, and for a list of positives only or negatives only (nothing to learn from).
std::vector<LabelledPair> labelled_pairs(const ResolvedPairs& r, const std::string& source);

/// How make_training_pairs labels a network's pairs.
struct PairOptions {
  NegativeRecipe recipe = NegativeRecipe::Uniform;  ///< how negatives are drawn
  double negative_ratio = 1.0;                      ///< negatives per kept positive, per TF (reference 1)
  std::size_t max_positives = 0;                    ///< per TF, at most this many positives, drawn at random; 0 = all
};

/// Positives are the network's edges (tf row, target row) whose TF is in `tfs` (at most
/// opts.max_positives per TF, drawn at random); for each TF, round(negative_ratio x its kept
/// positives) negatives (fewer when it lacks non-targets), drawn without replacement from genes
/// that are neither its targets (all of them, kept or not) nor itself. Sorted by TF, positives
/// first; deterministic for a given seed.
std::vector<LabelledPair> make_training_pairs(const std::vector<std::pair<int, int>>& edges, const std::vector<int>& tfs,
                                              std::size_t n_genes, const PairOptions& opts, std::uint64_t seed);

/// Assigns every TF to one of k folds, balanced by pair count (TFs in seeded random order, then
/// largest first, each to the fold with the fewest pairs so far); returns the fold of each pair.
/// No TF spans two folds.
std::vector<int> assign_tf_folds(const std::vector<LabelledPair>& pairs, int k, std::uint64_t seed);

/// How drim-cv's folds keep test pairs apart from training pairs.
enum class SplitProtocol {
  Tf,      ///< no test TF in training (assign_tf_folds)
  Target,  ///< no test target gene in training
  Both,    ///< neither gene of a test pair in any training pair (pairs across folds are dropped)
  Pair,    ///< random pairs: the leaky protocol most papers use, for comparison only
};

/// "tf", "target", "both" or "pair"; throws UsageError naming anything else.
SplitProtocol parse_split(const std::string& name);
const char* split_name(SplitProtocol split);

/// The fold (0..k-1) of every pair under `split`, balanced by pair count and seeded; -1 for a
/// pair that `both` has to drop (its TF and target fell in different folds). `both` puts each TF
/// in a fold as `tf` does, then each other gene in the fold holding most of its pairs.
std::vector<int> assign_folds(const std::vector<LabelledPair>& pairs, int k, std::uint64_t seed, SplitProtocol split);

/// Removes the pairs of fold -1 (and their fold entries); returns how many were removed.
std::size_t drop_unassigned(std::vector<LabelledPair>& pairs, std::vector<int>& folds);

/// Positions of pairs split into training and validation sets that share no TF.
struct PairSplit {
  std::vector<std::size_t> train;
  std::vector<std::size_t> validation;
};

/// Moves whole TFs, in seeded random order, to validation until it holds at least `fraction` of
/// the pairs; at least one TF stays in training. fraction 0 gives an empty validation set.
PairSplit split_by_tf(const std::vector<LabelledPair>& pairs, double fraction, std::uint64_t seed);

}  // namespace drim
