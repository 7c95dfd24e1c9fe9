#pragma once
// Gene-image files and spatial coordinates on disk.
#include <string>
#include <vector>

#include "drim/spatial/gene_maps.hpp"

namespace drim::spatial {

/// Reads an HDF5 file with a dataset "images" [genes, channels, H, W] (or [genes, H, W]: one
/// channel), any numeric type, and a string dataset "genes" naming its rows. Throws naming the
/// file and what is missing or inconsistent.
GeneMaps read_gene_maps(const std::string& path);

/// Writes maps in the layout read_gene_maps reads (float32 "images", "genes"); to a temporary
/// name, renamed on success.
void write_gene_maps(const GeneMaps& maps, const std::string& path);

/// obsm[name] of an .h5ad (e.g. "spatial"): cells x cols float64, row-major; `cols` is set.
/// Throws naming the file when it is missing, not 2-D, or its rows are not `cells`.
std::vector<double> read_obsm(const std::string& path, const std::string& name, std::size_t cells, std::size_t& cols);

/// Each cell's x and y (cells x 2, row-major, bin_spatial's input): the first two columns of
/// obsm[key]; throws naming the file when it has fewer.
std::vector<double> read_spatial_xy(const std::string& path, const std::string& key, std::size_t cells);

}  // namespace drim::spatial
