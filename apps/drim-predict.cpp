// drim-predict: score TF-target pairs with a trained model into a ranked edge list.
#include <algorithm>
#include <filesystem>
#include <numeric>
#include <unordered_map>
#include <iostream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/error.hpp"
#include "drim/model/allocator.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/predictor.hpp"
#include "drim/pairs.hpp"
#include "drim/progress.hpp"
#include "drim/ranked_edges.hpp"
#include "drim/version.hpp"
#include "shard.hpp"

namespace {

/// Image options the model was trained with, its neighbour groups (if any) mapped onto the
/// genes of `expr` by name.
drim::ImageOptions image_options_of(const nlohmann::json& meta, const drim::Expression& expr, const std::string& model_path) {
  drim::ImageOptions img;
  img.neighbors = meta.at("neighbors").get<int>();
  img.exclude_self = meta.value("exclude_self", false);
  img.primary_only = meta.at("kind").get<std::string>() == "cnnc";
  const auto groups = meta.value("neighbor_groups", std::vector<int>{});
  if (!groups.empty() && !img.primary_only) {
    const auto genes = meta.at("genes").get<std::vector<std::string>>();
    if (genes.size() != groups.size())
      throw drim::Error(model_path + ": " + std::to_string(groups.size()) + " neighbour groups for " + std::to_string(genes.size()) + " genes");
    std::unordered_map<std::string, int> group_of;
    for (std::size_t g = 0; g < genes.size(); ++g) group_of[genes[g]] = groups[g];
    for (const auto& name : expr.genes) {
      auto it = group_of.find(name);
      if (it == group_of.end())
        throw drim::Error(model_path + " ranks neighbours within gene groups, and gene " + drim::quote(name) +
                          " of the matrix is in none of them");
      img.neighbor_group.push_back(it->second);
    }
  }
  return img;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Score TF-target pairs with a trained model; writes a ranked edge list.\n\n"
               "Examples:\n"
               "  drim-predict --model model.pt --expr data/demo/expression.h5ad --tfs data/demo/tfs.txt --top 20\n"
               "  drim-predict --model model.pt --expr cells.h5ad --pairs pairs.tsv --out scores.tsv\n"
               "  drim-predict ... --shard 3/16 --out part3.tsv   # then: drim-merge part*.tsv"};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  std::string model_path, pairs_path, tfs_path, targets_path, out = "-", format = "tsv", device = "auto", shard_text;
  std::size_t top = 0;
  double min_score = 0.0;
  bool no_cache = false, skip_missing = false;
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
  app.add_option("--shard", shard_text, "Score TFs i, i+N, ... of the TF list: 'i/N', or 'slurm' for this task of a Slurm job array (0- or 1-based)");
  app.add_option("--batch", batch, "Pairs per forward pass")->capture_default_str()->check(cli::positive());
  app.add_option("--device", device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}))->capture_default_str();
  app.add_flag("--skip-missing", skip_missing, "Drop pairs whose genes are not in the matrix");
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    if (pairs_path.empty() == tfs_path.empty()) throw UsageError("give exactly one of --pairs or --tfs");
    if (!targets_path.empty() && tfs_path.empty()) throw UsageError("--targets needs --tfs");
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
    std::size_t total = 0;
    if (grid)
      for (int t : tf_rows) total += targets.size() - std::count(targets.begin(), targets.end(), t);
    else
      total = tf_rows.size();
    if (total == 0) throw Error("nothing to score in shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count));

    ImageContext ctx(expr, image_options_of(m.meta, expr, model_path), run.threads);
    model::PairScorer scorer(m.net, ctx, dev, !no_cache, batch);
    const std::string tmp_dir = out == "-" ? std::filesystem::temp_directory_path().string()
                                           : std::filesystem::absolute(out).parent_path().string();
    // Ties rank by gene name, so shard outputs merge (drim-merge) into exactly the one-run order.
    std::vector<int> by_name(expr.n_genes()), name_rank(expr.n_genes());
    std::iota(by_name.begin(), by_name.end(), 0);
    std::sort(by_name.begin(), by_name.end(), [&](int x, int y) { return expr.genes[x] < expr.genes[y]; });
    for (std::size_t r = 0; r < by_name.size(); ++r) name_rank[by_name[r]] = static_cast<int>(r);
    RankedEdges ranked(top, static_cast<float>(min_score), tmp_dir);
    Progress bar(total, "scoring", !run.quiet);
    std::size_t done = 0;
    auto score_block = [&](const std::vector<int>& a, const std::vector<int>& b) {
      auto s = scorer.score(a, b);
      for (std::size_t i = 0; i < s.size(); ++i) ranked.add({s[i], name_rank[a[i]], name_rank[b[i]]});
      done += s.size();
      bar.update(done);
    };
    if (grid) {
      scorer.prepare(targets, false);
      std::vector<int> a, b;
      for (int tf : tf_rows) {
        for (int t : targets) {
          if (t == tf) continue;
          a.push_back(tf);
          b.push_back(t);
          if (a.size() == 8192) {
            score_block(a, b);
            a.clear();
            b.clear();
          }
        }
      }
      if (!a.empty()) score_block(a, b);
    } else {
      for (std::size_t first = 0; first < tf_rows.size(); first += 8192) {
        std::size_t n = std::min<std::size_t>(8192, tf_rows.size() - first);
        score_block(std::vector<int>(tf_rows.begin() + first, tf_rows.begin() + first + n),
                    std::vector<int>(target_rows.begin() + first, target_rows.begin() + first + n));
      }
    }
    bar.finish();

    // A shard names itself in a comment line of drim's own format, for drim-merge's completeness check.
    const bool tag = shard.count > 1 && format == "tsv";
    if (shard.count > 1 && !tag)
      spdlog::warn("--format {} has no room for the shard's comment line, so drim-merge cannot check that every shard is there; "
                   "write shards as tsv and give --format {} to drim-merge", format, format);
    cli::EdgeListOutput output(out, format, tag ? cli::shard_line(shard, key.hex()) + "\n" : "");
    ranked.emit([&](const ScoredEdge& e) { output.write(expr.genes[by_name[e.tf]], expr.genes[by_name[e.target]], e.score); });
    output.commit();
    const std::size_t written = output.written();
    const double secs = bar.elapsed_seconds();
    cli::emit_summary(run, nlohmann::json{{"tool", "drim-predict"}, {"pairs", total}, {"written", written}, {"seconds", secs},
                                {"pairs_per_s", secs > 0 ? total / secs : 0.0}, {"cache", !no_cache},
                                {"shard", std::to_string(shard.index) + "/" + std::to_string(shard.count)}, {"device", dev.str()}}, out == "-");
  });
}
