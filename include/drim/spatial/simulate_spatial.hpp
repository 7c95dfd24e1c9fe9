#pragma once
// A spatial tissue with a known regulatory network, to test what spatial maps add.
#include <vector>

#include "drim/simulate_grn.hpp"

namespace drim::spatial {

/// Settings of the spatial simulation.
struct SpatialSimOptions {
  GrnSimOptions grn;  ///< network and counts; grn.states and grn.cell_states are set from the domains
  int domains = 4;    ///< spatial domains (Voronoi cells of random centres), each a cell state
};

/// Counts, the network, and where each cell is.
struct SpatialSimResult {
  GrnSimResult sim;
  std::vector<double> xy;   ///< cells x 2 (x, y) in [0, 1]^2, row-major
  std::vector<int> domain;  ///< each cell's domain
};

/// Cells uniform on the unit square, each in the domain of its nearest centre; master TFs take
/// a level per domain (simulate_grn's cell states), so TFs and their targets share territory.
SpatialSimResult simulate_spatial(const SpatialSimOptions& opts);

}  // namespace drim::spatial
