// drim-images: DeepDRIM input images for a list of gene pairs, written to one HDF5 file.
#include <chrono>
#include <exception>
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
               "Output (HDF5): images float32 [pairs, 2n+3, 32, 32], tf, target, label (int8, when given).\n"
               "With --store counts, images holds uint16 histogram counts and the attribute images.pixel_lut\n"
               "maps them to pixels (numpy: lut[counts]); drim-train reads both kinds."};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  ImageOptions img;
  std::string pairs_path, network_path, out;
  cli::NeighborArgs neighbor;
  bool skip_missing = false;
  int compression = 1;
  std::string store = "pixels";
  std::size_t batch = 256;
  cli::add_expr_options(app, expr_args);
  auto* p = app.add_option("--pairs", pairs_path, "Pairs: 'tf target [label]' lines (whitespace/comma separated, # comments)");
  auto* n = app.add_option("--network", network_path, "BEELINE network CSV (Gene1,Gene2); every edge becomes a pair");
  p->excludes(n);
  n->excludes(p);
  app.add_option("--out,-o", out, "Output HDF5 file")->required();
  app.add_flag("--skip-missing", skip_missing, "Drop pairs whose genes are not in the matrix (warn) instead of failing");
  app.add_option("--compression", compression, "gzip level of the images dataset, 0-9")->capture_default_str()->check(CLI::Range(0, 9));
  app.add_option("--store", store, "pixels: float32 images; counts: uint16 counts + lookup table (smaller, about 3x faster to write)")
      ->capture_default_str()->check(CLI::IsMember({"pixels", "counts"}));
  app.add_option("--batch", batch, "Pairs computed per batch")->capture_default_str()->check(cli::positive());
  cli::add_image_options(app, img, neighbor);
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    if (pairs_path.empty() && network_path.empty()) throw drim::UsageError("give the pairs to image with --pairs or --network");
    cli::apply_run_options(run);
    cli::check_output(out, {expr_args.path, pairs_path, network_path, neighbor.groups}, false);
    const std::string pair_source = pairs_path.empty() ? network_path : pairs_path;
    PairList list = read_pairs(pair_source);
    Expression expr = cli::load_expression(expr_args);
    GeneIndex index(expr.genes, expr_args.ignore_case);
    ResolvedPairs pairs = resolve_pairs(list, index, skip_missing, pair_source);
    if (pairs.dropped > 0)
      spdlog::warn("dropped {} pair(s) with {} gene(s) not in the matrix (first: '{}')", pairs.dropped, pairs.missing.size(), pairs.missing.front());

    if (neighbor.departs_from_paper() || img.conditional > 0)
      throw drim::UsageError("--neighbor-pool, --neighbor-rank and --conditional are not recorded in images files, so a model trained on them could not "
                       "predict with it; train from --expr instead (drim-train --neighbor-pool/--neighbor-rank/--conditional)");
    cli::apply_neighbor_args(neighbor, expr.genes, index, pairs.tf, img);
    auto t0 = std::chrono::steady_clock::now();
    ImageContext ctx(expr, img, run.threads);
    double prep = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    spdlog::info("bin codes{} for {} genes in {:.2f}s", img.primary_only ? "" : " and neighbours", expr.n_genes(), prep);

    ImagesFileOptions fo;
    fo.n_pairs = pairs.size();
    fo.images_per_pair = ctx.images_per_pair();
    fo.compression = compression;
    const bool counts = store == "counts";
    if (counts) {
      fo.storage = ImageStorage::counts;
      fo.pixel_lut = ctx.lut().table();
    }
    fo.attrs = {{"drim_version", kVersion}, {"expression", expr_args.path}, {"pairs", pair_source},
                {"image_order", img.primary_only ? "I(a,b)" : "I(a,b); I(a,a); I(b,b); I(a,nA_1..n); I(nB_1..n,b)"}};
    fo.int_attrs = {{"neighbors", img.primary_only ? 0 : img.neighbors}, {"primary_only", img.primary_only},
                    {"exclude_self", img.exclude_self}, {"images_per_pair", ctx.images_per_pair()},
                    {"image_recipe_version", kImageRecipeVersion}, {"n_cells", static_cast<long long>(expr.n_cells())},
                    {"n_genes", static_cast<long long>(expr.n_genes())}};
    ImagesWriter writer(out, fo);

    // Each thread builds a pair's images and encodes them while they are in its cache; the chunks
    // are written in order after each batch.
    const std::size_t per_pair = ctx.images_per_pair() * kImagePixels;
    std::vector<ImagesWriter::Chunk> chunks(batch);
    Progress bar(pairs.size(), "images", !run.quiet);
    double image_secs = 0.0;
    std::exception_ptr failed;
    auto t1 = std::chrono::steady_clock::now();
    for (std::size_t first = 0; first < pairs.size(); first += batch) {
      const std::size_t count = std::min(batch, pairs.size() - first);
      chunks.resize(count);
#pragma omp parallel
      {
        thread_local std::vector<float> pixels;
        thread_local std::vector<std::uint32_t> hist;
        double build = 0.0;
#pragma omp for schedule(dynamic, 4) nowait
        for (long i = 0; i < static_cast<long>(count); ++i) {
          const int a = pairs.tf[first + i], b = pairs.target[first + i];
          auto ti = std::chrono::steady_clock::now();
          try {
            if (counts) {
              hist.resize(per_pair);
              ctx.pair_counts(a, b, hist.data());
              build += std::chrono::duration<double>(std::chrono::steady_clock::now() - ti).count();
              chunks[i] = writer.encode(hist.data());
            } else {
              pixels.resize(per_pair);
              ctx.pair_images(a, b, pixels.data());
              build += std::chrono::duration<double>(std::chrono::steady_clock::now() - ti).count();
              chunks[i] = writer.encode(pixels.data());
            }
          } catch (...) {
#pragma omp critical(drim_images_failed)
            failed = std::current_exception();
          }
        }
#pragma omp atomic
        image_secs += build;
      }
      if (failed) std::rethrow_exception(failed);
      writer.write_encoded(first, chunks);
      bar.update(first + count);
    }
    writer.finish(pairs.tf_names, pairs.target_names, pairs.label);
    bar.finish();
    double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    nlohmann::json summary = {{"tool", "drim-images"}, {"pairs", pairs.size()}, {"images_per_pair", ctx.images_per_pair()},
                              {"seconds", total}, {"pairs_per_s", total > 0 ? pairs.size() / total : 0.0},
                              {"image_cpu_seconds", image_secs},
                              {"image_pairs_per_thread_s", image_secs > 0 ? pairs.size() / image_secs : 0.0},
                              {"prepare_seconds", prep}, {"threads", omp_get_max_threads()}, {"store", store}, {"out", out}};
    cli::emit_summary(run, summary);
  });
}
