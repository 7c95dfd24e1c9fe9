// drim-images: DeepDRIM input images for a list of gene pairs, written to one HDF5 file.
#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>
#include <omp.h>
#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/error.hpp"
#include "drim/gene_index.hpp"
#include "drim/images_writer.hpp"
#include "drim/pairs.hpp"
#include "drim/progress.hpp"
#include "drim/version.hpp"

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Build DeepDRIM images (primary + 2n+2 neighbour images, 32x32) for TF-target pairs.\n\n"
               "Example:\n  drim-images --expr data/demo/expression.h5ad --pairs data/demo/pairs.tsv --out images.h5\n\n"
               "Output (HDF5): images float32 [pairs, 2n+3, 32, 32], tf, target, label (int8, when given)."};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  ImageOptions img;
  std::string pairs_path, network_path, out, groups_path;
  bool skip_missing = false;
  int compression = 1;
  std::size_t batch = 32;
  cli::add_expr_options(app, expr_args);
  auto* p = app.add_option("--pairs", pairs_path, "Pairs: 'tf target [label]' lines (whitespace/comma separated, # comments)");
  auto* n = app.add_option("--network", network_path, "BEELINE network CSV (Gene1,Gene2); every edge becomes a pair");
  p->excludes(n);
  n->excludes(p);
  app.add_option("--out,-o", out, "Output HDF5 file")->required();
  app.add_flag("--skip-missing", skip_missing, "Drop pairs whose genes are not in the matrix (warn) instead of failing");
  app.add_option("--compression", compression, "gzip level of the images dataset, 0-9")->capture_default_str()->check(CLI::Range(0, 9));
  app.add_option("--batch", batch, "Pairs computed per batch")->capture_default_str()->check(cli::positive());
  cli::add_image_options(app, img, groups_path);
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    if (pairs_path.empty() && network_path.empty()) throw drim::UsageError("give the pairs to image with --pairs or --network");
    cli::apply_run_options(run);
    cli::check_output(out, {expr_args.path, pairs_path, network_path, groups_path}, false);
    const std::string pair_source = pairs_path.empty() ? network_path : pairs_path;
    PairList list = read_pairs(pair_source);
    Expression expr = cli::load_expression(expr_args);
    GeneIndex index(expr.genes, expr_args.ignore_case);
    ResolvedPairs pairs = resolve_pairs(list, index, skip_missing, pair_source);
    if (pairs.dropped > 0)
      spdlog::warn("dropped {} pair(s) with {} gene(s) not in the matrix (first: '{}')", pairs.dropped, pairs.missing.size(), pairs.missing.front());

    if (!groups_path.empty()) img.neighbor_group = read_neighbor_groups(groups_path, expr.genes, index);
    auto t0 = std::chrono::steady_clock::now();
    ImageContext ctx(expr, img, run.threads);
    double prep = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    spdlog::info("bin codes{} for {} genes in {:.2f}s", img.primary_only ? "" : " and neighbours", expr.n_genes(), prep);

    ImagesFileOptions fo;
    fo.n_pairs = pairs.size();
    fo.images_per_pair = ctx.images_per_pair();
    fo.compression = compression;
    fo.attrs = {{"drim_version", kVersion}, {"expression", expr_args.path}, {"pairs", pair_source},
                {"image_order", img.primary_only ? "I(a,b)" : "I(a,b); I(a,a); I(b,b); I(a,nA_1..n); I(nB_1..n,b)"}};
    fo.int_attrs = {{"neighbors", img.primary_only ? 0 : img.neighbors}, {"primary_only", img.primary_only},
                    {"exclude_self", img.exclude_self}, {"images_per_pair", ctx.images_per_pair()},
                    {"image_recipe_version", kImageRecipeVersion}, {"n_cells", static_cast<long long>(expr.n_cells())},
                    {"n_genes", static_cast<long long>(expr.n_genes())}};
    ImagesWriter writer(out, fo);

    const std::size_t per_pair = ctx.images_per_pair() * kImagePixels;
    std::vector<float> buf(batch * per_pair);
    Progress bar(pairs.size(), "images", !run.quiet);
    double image_secs = 0.0;
    auto t1 = std::chrono::steady_clock::now();
    for (std::size_t first = 0; first < pairs.size(); first += batch) {
      const std::size_t count = std::min(batch, pairs.size() - first);
      float* out_buf = buf.data();
      auto tb = std::chrono::steady_clock::now();
#pragma omp parallel for schedule(dynamic, 8)
      for (long i = 0; i < static_cast<long>(count); ++i)
        ctx.pair_images(pairs.tf[first + i], pairs.target[first + i], out_buf + i * per_pair);
      image_secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - tb).count();
      writer.write(first, count, out_buf);
      bar.update(first + count);
    }
    writer.finish(pairs.tf_names, pairs.target_names, pairs.label);
    bar.finish();
    double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    nlohmann::json summary = {{"tool", "drim-images"}, {"pairs", pairs.size()}, {"images_per_pair", ctx.images_per_pair()},
                              {"seconds", total}, {"pairs_per_s", total > 0 ? pairs.size() / total : 0.0},
                              {"image_seconds", image_secs}, {"image_pairs_per_s", image_secs > 0 ? pairs.size() / image_secs : 0.0},
                              {"prepare_seconds", prep}, {"threads", omp_get_max_threads()}, {"out", out}};
    cli::emit_summary(run, summary);
  });
}
