#pragma once
#include <cstdint>
#include <vector>

#include <string>

#include "drim/expression.hpp"
#include "drim/training_pairs.hpp"

namespace drim {

/// Settings of the paper's transitive-interaction simulation (Fig. 1).
struct GgmSimOptions {
  int datasets = 2500;      ///< independent small datasets
  int genes = 4;            ///< genes per dataset
  int cells = 1000;         ///< cells per dataset (shared columns of the output)
  double edge_prob = 0.5;   ///< probability that an off-diagonal precision entry is non-zero
  double min_abs = 0.25;    ///< non-zero entries are uniform in [-max, -min] U [min, max]
  double max_abs = 1.0;
  double min_eigen = 0.1;   ///< the diagonal is raised until Theta's smallest eigenvalue is this
  /// The public reference script's variant: values abs(N(mu, Theta^-1)) with per-gene means mu ~
  /// U(10, 10^4) instead of exp(N(0, Theta^-1)), and the positive drawn from every non-zero entry of
  /// Theta, its diagonal included (so many positives are self pairs (g, g)); the negative from
  /// every zero entry, in either order.
  bool reference_protocol = false;
  std::uint64_t seed = 1;
};

/// One dataset's precision matrix (genes x genes, row-major).
struct GgmDataset {
  std::vector<double> theta;
};

/// All datasets stacked as rows of one matrix: dataset k's genes are rows k*g .. k*g+g-1, named
/// D<k>_G<i>, each row one gene's draw over the shared cells. Values are exp(z) with z ~ N(0,
/// Theta^-1), so log-expression is the Gaussian draw (reference protocol: see GgmSimOptions). Per
/// dataset one direct pair (Theta_ij != 0, i < j, label 1) and, when it has one, one independent
/// pair (Theta_ij = 0, label 0).
struct GgmSimResult {
  Expression expr;
  std::vector<GgmDataset> datasets;
  std::vector<LabelledPair> pairs;
  std::vector<int> transitive;  ///< per pair: 1 for a negative connected through other genes
  std::vector<std::pair<int, int>> edges;  ///< every direct pair (i < j)
};

/// Runs the simulation (deterministic for a seed).
GgmSimResult simulate_ggm(const GgmSimOptions& opts);

/// Sets values in the bottom `cutoff` quantile of each gene (numpy's linear quantile; values
/// strictly below it) to zero with probability `prob` (BoolODE-style dropout). Returns the
/// number of values zeroed.
std::size_t apply_dropout(Expression& expr, double cutoff, double prob, std::uint64_t seed);

/// A random subset of `n` cells (without replacement, original order kept).
Expression subsample_cells(const Expression& expr, std::size_t n, std::uint64_t seed);

}  // namespace drim
