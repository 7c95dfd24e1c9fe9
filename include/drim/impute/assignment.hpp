#pragma once
#include <vector>

#include <Eigen/Dense>

namespace drim::impute {

/// Minimum-cost one-to-one assignment of the n rows of `cost` (n x m, n <= m) to distinct
/// columns (the Hungarian method with potentials, O(n^2 m)). Returns the column of each row.
std::vector<int> min_cost_assignment(const Eigen::MatrixXd& cost);

}  // namespace drim::impute
