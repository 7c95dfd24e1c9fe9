#pragma once
// Command-line plumbing of the second modality (drim-train, drim-cv, drim-predict): per-gene
// images from a file (--gene-images) or binned from a spatial matrix (--spatial).
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "drim/expression.hpp"
#include "drim/training_pairs.hpp"
#include "drim/spatial/aligned_gene_maps.hpp"
#include "drim/spatial/spatial_binning.hpp"

namespace drim::cli {

/// Where the genes' images come from.
struct GeneImageArgs {
  std::string file;                    ///< --gene-images: HDF5 'images' [genes, channels, H, W] + 'genes'
  std::string spatial;                 ///< --spatial: a spatial .h5ad binned into one map per gene
  std::string spatial_key = "spatial"; ///< obsm entry of the cells' x, y
  spatial::SpatialBinOptions bins;     ///< --spatial-bins, --smooth
  bool allow_missing = false;          ///< --allow-missing-images

  bool given() const { return !file.empty() || !spatial.empty(); }
  /// What the model file records (source, bins, smoothing).
  nlohmann::json meta() const;
};

/// Adds --gene-images, --spatial, --spatial-key, --spatial-bins, --smooth and, unless
/// `with_allow_missing` is false, --allow-missing-images (in an option group).
void add_gene_image_options(CLI::App& app, GeneImageArgs& args, bool with_allow_missing = true);

/// The genes' images as 32 x 32 maps aligned to `genes` (the ids of the data at hand): read and
/// resized, or binned from the spatial matrix (`expr` when --spatial is the file it was read
/// from, else read again). Genes of `used` without an image are an error naming them unless
/// `args.allow_missing`. Logs what was read.
std::unique_ptr<spatial::AlignedGeneMaps> load_gene_images(const GeneImageArgs& args, const std::vector<std::string>& genes,
                                                           const std::vector<int>& used, const Expression* expr = nullptr,
                                                           const std::string& expr_path = "");

/// The genes of `pairs`, TF and target of each: load_gene_images' `used`.
std::vector<int> genes_of(const std::vector<LabelledPair>& pairs);

}  // namespace drim::cli
