#include "gene_image_args.hpp"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/bin_codes.hpp"
#include "drim/error.hpp"
#include "drim/spatial/gene_maps_io.hpp"

namespace drim::cli {

nlohmann::json GeneImageArgs::meta() const {
  if (!file.empty()) return {{"source", "file"}, {"path", file}};
  return {{"source", "spatial"}, {"path", spatial}, {"spatial_key", spatial_key}, {"spatial_bins", bins.size}, {"smooth", bins.sigma}};
}

void add_gene_image_options(CLI::App& app, GeneImageArgs& a, bool with_allow_missing) {
  const char* group = "Gene images (fusion and image-only models; docs/spatial.md)";
  auto* file = app.add_option("--gene-images", a.file, "Per-gene images: HDF5 'images' [genes, channels, H, W] (or [genes, H, W]) "
                                                       "and 'genes' (e.g. ISH pictures, drim-maps output); resized to 32 x 32")
                   ->group(group)->check(CLI::ExistingFile);
  app.add_option("--spatial", a.spatial, "A spatial .h5ad (cells' x, y in obsm; may be --expr itself) binned into one map per gene")
      ->group(group)->check(CLI::ExistingFile)->excludes(file);
  app.add_option("--spatial-key", a.spatial_key, "With --spatial: the obsm entry holding each cell's x, y")->group(group)->capture_default_str();
  app.add_option("--spatial-bins", a.bins.size, "With --spatial: bins per side of each map (resized to 32 x 32 when not 32)")
      ->group(group)->capture_default_str()->check(CLI::Range(2, 1024));
  app.add_option("--smooth", a.bins.sigma, "With --spatial: Gaussian smoothing, sd in bins (0 = none; renormalised over bins "
                                           "holding cells)")->group(group)->capture_default_str()->check(CLI::Range(0.0, 100.0));
  if (with_allow_missing)
    app.add_flag("--allow-missing-images", a.allow_missing, "Pairs whose TF or target has no image get a learned 'missing' "
                                                            "embedding in the image branch (default: such a gene is an error)")
        ->group(group);
}

namespace {
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return !a.empty() && !b.empty() && std::filesystem::equivalent(a, b, ec);
}
}  // namespace

std::unique_ptr<spatial::AlignedGeneMaps> load_gene_images(const GeneImageArgs& args, const std::vector<std::string>& genes,
                                                           const std::vector<int>& used, const Expression* expr,
                                                           const std::string& expr_path) {
  spatial::GeneMaps maps;
  std::string source;
  if (!args.file.empty()) {
    source = args.file;
    maps = spatial::read_gene_maps(args.file);
  } else {
    source = args.spatial;
    Expression own;
    if (!expr || !same_file(args.spatial, expr_path)) {
      ExprArgs ea;
      ea.path = args.spatial;
      own = load_expression(ea);
      expr = &own;
    }
    maps = spatial::bin_spatial(*expr, spatial::read_spatial_xy(args.spatial, args.spatial_key, expr->n_cells()), args.bins);
  }
  const int c = maps.channels, h = maps.height, w = maps.width;
  if (h != kBins || w != kBins) maps = spatial::resize_gene_maps(maps, kBins);
  std::vector<int> row_of = spatial::align_gene_maps(maps, genes, /*allow_missing=*/true, source);
  auto aligned = std::make_unique<spatial::AlignedGeneMaps>(std::move(maps), std::move(row_of));
  const auto missing = spatial::genes_without_image(*aligned, used);
  if (!missing.empty() && !args.allow_missing) {
    std::string names;
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) names += (i ? ", " : "") + quote(genes[missing[i]]);
    throw Error(source + " has no image for " + std::to_string(missing.size()) + " gene(s) of the pairs (" + names +
                (missing.size() > 5 ? ", ..." : "") + "); give --allow-missing-images to score them with a learned 'missing' embedding");
  }
  std::size_t matched = 0;
  for (std::size_t g = 0; g < genes.size(); ++g) matched += aligned->has(static_cast<int>(g));
  spdlog::info("gene images from {}: {} channel(s), {} x {}{}; {} of {} genes have one{}", source, c, h, w,
               h != kBins || w != kBins ? " resized to 32 x 32" : "", matched, genes.size(),
               missing.empty() ? "" : ", " + std::to_string(missing.size()) + " gene(s) of the pairs do not");
  return aligned;
}

std::vector<int> genes_of(const std::vector<LabelledPair>& pairs) {
  std::vector<int> ids;
  for (const auto& p : pairs) ids.insert(ids.end(), {p.tf, p.target});
  return ids;
}

}  // namespace drim::cli
