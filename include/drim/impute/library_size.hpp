#pragma once
// Library sizes: each cell's total count and the median total, shared by GenoMap images, the
// smoothing baselines and the per-gene evaluation.
#include <vector>

#include "drim/expression.hpp"

namespace drim::impute {

/// Each cell's total over all genes.
std::vector<double> cell_totals(const Expression& expr);

/// The median of `totals` (the upper one of an even count, as std::nth_element picks it); 0 if empty.
double median_total(std::vector<double> totals);

}  // namespace drim::impute
