#pragma once
#include <vector>

namespace drim {

/// Area under the ROC curve; tied scores count one half (Mann-Whitney). NaN without both classes.
double auroc(const std::vector<double>& scores, const std::vector<int>& labels);

/// Area under the precision-recall curve as average precision (sklearn's definition: sum over
/// distinct thresholds of (R_k - R_{k-1}) P_k). NaN without positives.
double auprc(const std::vector<double>& scores, const std::vector<int>& labels);

/// Fraction of pairs whose score >= 0.5 agrees with the label.
double accuracy(const std::vector<double>& scores, const std::vector<int>& labels);

}  // namespace drim
