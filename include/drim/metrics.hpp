#pragma once
#include <vector>

namespace drim {

/// Area under the ROC curve; tied scores count one half (Mann-Whitney). NaN without both classes.
double auroc(const std::vector<double>& scores, const std::vector<int>& labels);

/// AUROC counting only positive-negative pairs in the same stratum (equal strata values): the
/// probability that a positive outscores a negative of its own stratum, ties a half. With the
/// target in-degree as strata it measures what a score adds over that baseline (0.5: nothing).
/// NaN when no stratum holds both classes.
double stratified_auroc(const std::vector<double>& scores, const std::vector<int>& labels, const std::vector<double>& strata);

/// Area under the precision-recall curve as average precision (sklearn's definition: sum over
/// distinct thresholds of (R_k - R_{k-1}) P_k). NaN without positives.
double auprc(const std::vector<double>& scores, const std::vector<int>& labels);

/// Early precision: the fraction of positives among the k best-scored pairs, k = number of
/// positives (ties at the cut broken by input order). NaN without positives.
double early_precision(const std::vector<double>& scores, const std::vector<int>& labels);

/// Two-sided Wilcoxon signed-rank test p-value of paired samples x, y (zero differences
/// dropped). Exact null distribution up to 50 pairs without tied |differences|, otherwise the
/// normal approximation with tie correction (scipy.stats.wilcoxon's defaults). NaN when no
/// difference is non-zero.
double wilcoxon_signed_rank_p(const std::vector<double>& x, const std::vector<double>& y);

/// Two-sided Wilcoxon rank-sum (Mann-Whitney U) test p-value of independent samples x and y:
/// the normal approximation with tie and continuity corrections (scipy.stats.mannwhitneyu with
/// method="asymptotic"). NaN when either sample is empty or every value is tied.
double mann_whitney_p(const std::vector<double>& x, const std::vector<double>& y);

/// Median (NaN values skipped; NaN when none is left).
double median(std::vector<double> values);

/// Fraction of pairs whose score >= 0.5 agrees with the label.
double accuracy(const std::vector<double>& scores, const std::vector<int>& labels);

}  // namespace drim
