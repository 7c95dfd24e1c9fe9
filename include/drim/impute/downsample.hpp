#pragma once
// SAVER-style downsampling: shallow observations drawn from a deep reference matrix, for
// imputation benchmarks (drim-simulate downsample).
#include <cstdint>

#include "drim/expression.hpp"

namespace drim::impute {

/// Settings of SAVER-style downsampling.
struct DownsampleOptions {
  double efficiency = 0.1;  ///< mean capture efficiency per cell
  double shape = 10;        ///< gamma shape of the per-cell efficiency (CV = 1 / sqrt(shape))
  std::uint64_t seed = 1;
};

/// Observed counts from reference values: x ~ Poisson(tau_c * reference), tau_c ~ Gamma(shape,
/// efficiency / shape) per cell (Huang et al. 2018, SAVER's benchmark).
Expression downsample(const Expression& reference, const DownsampleOptions& opts);

}  // namespace drim::impute
