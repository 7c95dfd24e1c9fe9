// drim-maps: per-gene images for the image branch of a fusion model: spatial expression maps
// binned from a spatial .h5ad, or an existing gene-image file (ISH) resized.
#include <chrono>

#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/error.hpp"
#include "drim/spatial/gene_maps_io.hpp"
#include "drim/spatial/spatial_binning.hpp"

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Per-gene images, [genes, channels, size, size] in an HDF5 file ('images', 'genes'): spatial expression maps "
               "binned from a spatial matrix (--expr, coordinates in obsm), or gene images (--images) resized.\n"
               "Examples:\n  drim-maps --expr tissue.h5ad --spatial-bins 32 --smooth 1 --out maps.h5\n"
               "  drim-maps --images ish.h5 --size 32 --out maps.h5"};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  std::string images_path, out, spatial_key = "spatial";
  spatial::SpatialBinOptions bins;
  int size = 32;
  cli::add_expr_options(app, expr_args, false);
  app.add_option("--spatial-key", spatial_key, "With --expr: the obsm entry holding each cell's x, y")->capture_default_str();
  app.add_option("--spatial-bins", bins.size, "With --expr: bins per side of each map")->capture_default_str()->check(CLI::Range(2, 1024));
  app.add_option("--smooth", bins.sigma, "With --expr: Gaussian smoothing, sd in bins (0 = none); the kernel is renormalised over "
                                         "bins that hold cells, so empty bins stay 0")->capture_default_str()->check(CLI::Range(0.0, 100.0));
  app.add_option("--images", images_path, "Gene images: HDF5 with 'images' [genes, channels, H, W] and 'genes'");
  app.add_option("--size", size, "With --images: side of the resized images (bilinear)")->capture_default_str()->check(CLI::Range(2, 1024));
  app.add_option("--out,-o", out, "Output HDF5 file")->required();
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    if (expr_args.path.empty() == images_path.empty()) throw UsageError("give exactly one of --expr or --images");
    cli::apply_run_options(run);
    cli::check_output(out, {expr_args.path, images_path}, false);
    const auto t0 = std::chrono::steady_clock::now();
    spatial::GeneMaps maps;
    std::size_t cells = 0;
    if (!expr_args.path.empty()) {
      Expression expr = cli::load_expression(expr_args);
      maps = spatial::bin_spatial(expr, spatial::read_spatial_xy(expr_args.path, spatial_key, expr.n_cells()), bins);
      cells = expr.n_cells();
    } else {
      maps = spatial::resize_gene_maps(spatial::read_gene_maps(images_path), size);
    }
    spatial::write_gene_maps(maps, out);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    spdlog::info("wrote {}: {} genes, {} x {} x {} in {:.1f} s", out, maps.n_genes(), maps.channels, maps.height, maps.width, secs);
    cli::emit_summary(run, {{"tool", "drim-maps"}, {"genes", maps.n_genes()}, {"cells", cells}, {"channels", maps.channels},
                            {"size", maps.height}, {"seconds", secs}, {"out", out}});
  });
}
