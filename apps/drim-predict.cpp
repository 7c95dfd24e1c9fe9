// drim-predict: score TF-target pairs with a trained model into a ranked edge list.
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "gene_image_args.hpp"
#include "drim/error.hpp"
#include "drim/model/allocator.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/edge_ranking.hpp"
#include "drim/pairs.hpp"
#include "drim/progress.hpp"
#include "drim/version.hpp"
#include "shard.hpp"


int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Score TF-target pairs with a trained model; writes a ranked edge list.\n\n"
               "Examples:\n"
               "  drim-predict --model model.pt --expr data/demo/expression.h5ad --tfs data/demo/tfs.txt --top 20\n"
               "  drim-predict --model model.pt --expr cells.h5ad --pairs pairs.tsv --out scores.tsv\n"
               "  drim-predict ... --shard 3/16 --out part3.tsv   # then: drim-merge part*.tsv\n"
               "  drim-predict --model fusion.pt --expr tissue.h5ad --spatial tissue.h5ad --tfs tfs.txt --top 100"};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  std::string model_path, pairs_path, tfs_path, targets_path, out = "-", format = "tsv", device = "auto", shard_text;
  std::string precision = "fp32";
  std::size_t top = 0;
  double min_score = 0.0;
  bool no_cache = false, skip_missing = false, module_towers = false;
  int batch = 256;
  app.add_option("--model,-m", model_path, "Model file from drim-train")->required();
  cli::add_expr_options(app, expr_args);
  app.add_option("--pairs", pairs_path, "Pairs to score: 'tf target' lines");
  app.add_option("--tfs", tfs_path, "Score every TF in this file against every target");
  app.add_option("--targets", targets_path, "With --tfs: targets to score (default: all genes)");
  app.add_option("--out,-o", out, "Output file, '-' for stdout")->capture_default_str();
  app.add_option("--format", format, "Columns: tsv (tf target score), beeline (Gene1 Gene2 EdgeWeight, tab-separated as "
                                     "BEELINE's evaluator reads rankedEdges.csv) or pyscenic (TF target importance)")
      ->check(CLI::IsMember(cli::edge_list_formats()))->capture_default_str();
  app.add_option("--top", top, "Keep only the K best edges (0 = all)")->capture_default_str();
  app.add_option("--min-score", min_score, "Drop edges scoring below this")->capture_default_str();
  app.add_flag("--no-cache", no_cache, "Plain forward pass for every pair (slow; for A/B checks)");
  app.add_flag("--module-towers", module_towers, "With the cache, run the towers as LibTorch modules instead of frozen "
                                                 "(normalisation folded, oneDNN layout); slower, for A/B checks");
  app.add_option("--precision", precision, "Tower convolutions in fp32, or bf16 on CPUs with AVX-512 BF16 or AMX "
                                           "(faster there; scores move slightly: docs/tools.md)")
      ->check(CLI::IsMember({"fp32", "bf16"}))->capture_default_str();
  app.add_option("--shard", shard_text, "Score TFs i, i+N, ... of the TF list: 'i/N', or 'slurm' for this task of a Slurm job array (0- or 1-based)");
  app.add_option("--batch", batch, "Pairs per forward pass (on a CPU at least 64 per thread)")->capture_default_str()->check(cli::positive());
  app.add_option("--device", device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}))->capture_default_str();
  app.add_flag("--skip-missing", skip_missing, "Drop pairs whose genes are not in the matrix");
  cli::GeneImageArgs gene_args;
  cli::add_gene_image_options(app, gene_args, /*with_allow_missing=*/false);
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    if (pairs_path.empty() == tfs_path.empty()) throw UsageError("give exactly one of --pairs or --tfs");
    if (!targets_path.empty() && tfs_path.empty()) throw UsageError("--targets needs --tfs");
    if (precision == "bf16" && (no_cache || module_towers)) throw UsageError("--precision bf16 runs the frozen towers: not with --no-cache or --module-towers");
    cli::apply_run_options(run);
    cli::check_output(out, {model_path, expr_args.path, pairs_path, tfs_path, targets_path}, true);
    model::configure_threads(run.threads);
    model::keep_freed_memory();
    const auto dev = model::resolve_device(device);
    const cli::Shard shard = cli::parse_shard(shard_text);
    if (cli::slurm_array_without_shard(shard_text))
      spdlog::warn("SLURM_ARRAY_TASK_ID is set but --shard is not: this task scores every pair; give --shard slurm to split the "
                   "work across the array");
    model::LoadedModel m = model::load_model(model_path);
    if (m.meta.value("image_recipe_version", 0) != kImageRecipeVersion)
      throw Error(model_path + ": made with image recipe " + std::to_string(m.meta.value("image_recipe_version", 0)) +
                  ", this drim builds recipe " + std::to_string(kImageRecipeVersion) + "; retrain the model");
    Expression expr = cli::load_expression(expr_args);
    GeneIndex index(expr.genes, expr_args.ignore_case);
    model::bind_prior(m.net, m.meta, index, model_path);
    if (m.net->opts.prior_features > 0)
      spdlog::info("the model takes the target's in-degree in its training network ({} edges) as a prior", m.net->in_degree.n_edges());
    if (m.meta.contains("genes")) {
      std::size_t shared = 0;
      for (const auto& g : m.meta["genes"]) shared += index.find(g.get<std::string>()).has_value();
      if (shared != m.meta["genes"].size() || shared != expr.n_genes())
        spdlog::warn("the model was trained on {} genes, {} of them are in this matrix of {} genes; images are gene-agnostic, "
                     "but neighbour sets change with the gene set", m.meta["genes"].size(), shared, expr.n_genes());
    }

    // What to score: a list of pairs, or TFs x targets (self pairs excluded), this shard's TFs only.
    std::vector<int> tf_rows, target_rows;  // pairs mode: the pairs; grid mode: TFs (targets below)
    std::vector<int> targets;
    const bool grid = pairs_path.empty();
    cli::RunKey key;  // what the whole run scores, the same in every shard
    if (shard.count > 1) {
      key.add_file(model_path);
      key.add(std::to_string(shard.count) + " " + std::to_string(top) + " " + std::to_string(min_score));
    }
    if (!pairs_path.empty()) {
      ResolvedPairs r = resolve_pairs(read_pairs(pairs_path), index, skip_missing, pairs_path);
      if (shard.count > 1)
        for (std::size_t i = 0; i < r.size(); ++i) key.add(expr.genes[r.tf[i]] + "\t" + expr.genes[r.target[i]]);
      for (std::size_t i = 0; i < r.size(); ++i)
        if (static_cast<int>(i % shard.count) == shard.index) {
          tf_rows.push_back(r.tf[i]);
          target_rows.push_back(r.target[i]);
        }
    } else {
      auto rows_of = [&](const std::string& path, const char* what) {
        std::vector<int> rows;
        std::size_t unknown = 0;
        for (const auto& name : read_name_list(path)) {
          if (auto row = index.find(name)) rows.push_back(*row);
          else ++unknown;
        }
        if (unknown) spdlog::warn("{}: {} {} not in the matrix, skipped", path, unknown, what);
        if (rows.empty()) throw Error(path + ": none of its " + what + " are genes of the matrix");
        return rows;
      };
      std::vector<int> tfs = rows_of(tfs_path, "TF(s)");
      if (targets_path.empty()) {
        for (std::size_t g = 0; g < expr.n_genes(); ++g) targets.push_back(static_cast<int>(g));
      } else {
        targets = rows_of(targets_path, "target(s)");
      }
      for (std::size_t j = 0; j < tfs.size(); ++j)
        if (static_cast<int>(j % shard.count) == shard.index) tf_rows.push_back(tfs[j]);
      if (shard.count > 1) {
        for (int t : tfs) key.add("tf " + expr.genes[t]);
        for (int t : targets) key.add("target " + expr.genes[t]);
      }
    }
    model::ScoreRequest request;
    request.grid = grid;
    request.tfs = tf_rows;
    request.targets = grid ? targets : target_rows;
    const std::size_t total = request.size();
    if (total == 0) throw Error("nothing to score in shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count));

    std::unique_ptr<spatial::AlignedGeneMaps> gene_images;
    const std::string kind = model::to_string(m.net->opts.kind);
    const nlohmann::json trained = m.meta.value("gene_images", nlohmann::json::object());
    if (m.net->uses_gene_images() && !gene_args.given())
      throw UsageError(model_path + " is a " + kind + " model: give the genes' images with --gene-images or --spatial" +
                       (trained.empty() ? "" : " (it was trained on " + trained.dump() + ")"));
    if (!m.net->uses_gene_images() && gene_args.given())
      throw UsageError("--gene-images and --spatial are for fusion and image-only models; " + model_path + " is " + kind);
    if (gene_args.given()) {
      const nlohmann::json given = gene_args.meta();
      for (const char* key : {"source", "spatial_bins", "smooth", "spatial_key"}) {
        const auto a = trained.value(key, nlohmann::json()), b = given.value(key, nlohmann::json());
        if (!trained.empty() && a != b)
          spdlog::warn("the model's gene images were made with {} {}, these with {}: the scores assume the training's images", key, a.dump(), b.dump());
      }
      std::vector<int> used(request.tfs);
      used.insert(used.end(), request.targets.begin(), request.targets.end());
      // Genes without an image are scored only by a model that learned a 'missing' embedding.
      gene_args.allow_missing = m.net->opts.missing_image_embedding;
      gene_images = cli::load_gene_images(gene_args, expr.genes, used, &expr, expr_args.path);
    }
    ImageContext ctx(expr, model::image_options_from_meta(m.meta, expr.genes, model_path), run.threads);
    model::RankOptions ro;
    ro.top = top;
    ro.min_score = static_cast<float>(min_score);
    ro.cache = !no_cache;
    ro.batch = batch;
    ro.frozen_towers = !module_towers;
    ro.bf16 = precision == "bf16";
    ro.tmp_dir = out == "-" ? std::filesystem::temp_directory_path().string() : std::filesystem::absolute(out).parent_path().string();
    Progress bar(total, "scoring", !run.quiet);
    ro.progress = [&](std::size_t done) { bar.update(done); };
    // A shard names itself in a comment line of drim's own format, for drim-merge's completeness check.
    const bool tag = shard.count > 1 && format == "tsv";
    if (shard.count > 1 && !tag)
      spdlog::warn("--format {} has no room for the shard's comment line, so drim-merge cannot check that every shard is there; "
                   "write shards as tsv and give --format {} to drim-merge", format, format);
    cli::EdgeListOutput output(out, format, tag ? cli::shard_line(shard, key.hex()) + "\n" : "");
    model::rank_edges(m.net, ctx, expr.genes, request, dev, ro,
                      [&](int tf, int target, float score) { output.write(expr.genes[tf], expr.genes[target], score); }, gene_images.get());
    bar.finish();
    output.commit();
    const std::size_t written = output.written();
    const double secs = bar.elapsed_seconds();
    cli::emit_summary(run, nlohmann::json{{"tool", "drim-predict"}, {"pairs", total}, {"written", written}, {"seconds", secs},
                                {"pairs_per_s", secs > 0 ? total / secs : 0.0}, {"cache", !no_cache}, {"precision", precision},
                                {"shard", std::to_string(shard.index) + "/" + std::to_string(shard.count)}, {"device", dev.str()}}, out == "-");
  });
}
