#pragma once
// Spatial expression maps: the cells of a spatial matrix binned on a square grid per gene.
#include <vector>

#include "drim/expression.hpp"
#include "drim/spatial/gene_maps.hpp"

namespace drim::spatial {

/// How cells are binned into maps.
struct SpatialBinOptions {
  /// Bins per side: maps are size x size over the cells' bounding box (x to columns, y to rows).
  int size = 32;
  /// Gaussian smoothing of each map, its standard deviation in bins (0 = none). The kernel is cut
  /// at 3 sigma and renormalised over the bins that hold cells, so the tissue's edge is not
  /// darkened and empty bins stay 0.
  double sigma = 1.0;
};

/// One map per gene: each bin holds the mean of log1p(value) over its cells (0 where no cell
/// falls), smoothed as above, then divided by the map's maximum (maps in [0, 1]; an all-zero
/// gene stays 0). `xy` is cells x 2 (x, y), row-major; the cells are expr's columns.
GeneMaps bin_spatial(const Expression& expr, const std::vector<double>& xy, const SpatialBinOptions& opts = {});

}  // namespace drim::spatial
