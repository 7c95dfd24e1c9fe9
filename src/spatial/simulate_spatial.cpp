#include "drim/spatial/simulate_spatial.hpp"

#include <random>

#include "drim/error.hpp"

namespace drim::spatial {

SpatialSimResult simulate_spatial(const SpatialSimOptions& opts) {
  if (opts.domains < 1) throw Error("spatial simulation needs at least one domain, got " + quote(std::to_string(opts.domains)));
  if (opts.grn.cells < 2) throw Error("spatial simulation needs at least 2 cells, got " + quote(std::to_string(opts.grn.cells)));
  std::mt19937_64 eng(opts.grn.seed ^ 0x5eed5a7eULL);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::vector<double> centre(2 * opts.domains);
  for (auto& v : centre) v = unif(eng);
  SpatialSimResult res;
  const std::size_t C = opts.grn.cells;
  res.xy.resize(2 * C);
  res.domain.resize(C);
  for (std::size_t c = 0; c < C; ++c) {
    const double x = unif(eng), y = unif(eng);
    res.xy[2 * c] = x;
    res.xy[2 * c + 1] = y;
    double best = 1e300;
    for (int d = 0; d < opts.domains; ++d) {
      const double dx = x - centre[2 * d], dy = y - centre[2 * d + 1], dist = dx * dx + dy * dy;
      if (dist < best) best = dist, res.domain[c] = d;
    }
  }
  GrnSimOptions grn = opts.grn;
  grn.states = opts.domains;
  grn.cell_states = res.domain;
  res.sim = simulate_grn(grn);
  return res;
}

}  // namespace drim::spatial
