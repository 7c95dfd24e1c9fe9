#pragma once
// Summaries of scored test pairs: pooled and per-TF metrics, and paired tests between methods.
#include <map>
#include <string>
#include <vector>

#include "drim/training_pairs.hpp"

namespace drim {

/// One method's metrics on a set of labelled pairs.
struct MethodSummary {
  double auroc = 0, auprc = 0, epr = 0;            ///< pooled over all pairs
  double median_tf_auroc = 0, median_tf_auprc = 0;  ///< median over TFs with both classes
  std::map<int, double> tf_auroc, tf_auprc;        ///< per TF (by TF id)
};

/// Pooled and per-TF AUROC, AUPRC and early precision of `scores` on `pairs`.
MethodSummary summarize(const std::vector<LabelledPair>& pairs, const std::vector<double>& scores);

/// Wilcoxon signed-rank p-value between two methods' per-TF AUROC, over TFs both have.
double compare_per_tf(const MethodSummary& a, const MethodSummary& b);

/// Scores of the expression-only baselines (|Pearson|, |Spearman|, histogram MI), the target's
/// detection rate (its own expression only, never the TF's) and the label-only target in-degree
/// (counted in `train`) for the `test` pairs, keyed "pearson", "spearman", "mi",
/// "target_detection", "in_degree". `values` holds genes x cells; `codes` their bin codes.
std::map<std::string, std::vector<double>> baseline_scores(const std::vector<double>& values, const std::vector<std::uint8_t>& codes,
                                                           std::size_t n_cells, const std::vector<LabelledPair>& train,
                                                           const std::vector<LabelledPair>& test);

}  // namespace drim
