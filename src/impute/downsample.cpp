#include "drim/impute/downsample.hpp"

#include <algorithm>
#include <random>

#include "drim/error.hpp"

namespace drim::impute {

Expression downsample(const Expression& reference, const DownsampleOptions& opts) {
  if (!(opts.efficiency > 0 && opts.efficiency <= 1))
    throw Error("downsampling efficiency must be in (0, 1], got " + std::to_string(opts.efficiency));
  if (!(opts.shape > 0)) throw Error("downsampling gamma shape must be > 0, got " + std::to_string(opts.shape));
  std::mt19937_64 rng(opts.seed);
  std::gamma_distribution<double> gamma(opts.shape, opts.efficiency / opts.shape);
  std::vector<double> tau(reference.n_cells());
  for (double& t : tau) t = std::min(1.0, gamma(rng));
  Expression out = reference;
  for (std::size_t c = 0; c < reference.n_cells(); ++c)
    for (std::size_t g = 0; g < reference.n_genes(); ++g) {
      const double mean = tau[c] * reference.row(g)[c];
      out.row(g)[c] = mean > 0 ? static_cast<double>(std::poisson_distribution<long>(mean)(rng)) : 0.0;
    }
  return out;
}

}  // namespace drim::impute
