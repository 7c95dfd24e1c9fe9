// drim-network: from a scored edge list to a network with per-gene centralities, and the
// comparison of two conditions scored by the same model.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/error.hpp"
#include "drim/network/compare.hpp"
#include "drim/network/network_writers.hpp"
#include "drim/version.hpp"

namespace {

using namespace drim;
namespace fs = std::filesystem;

struct NetworkArgs {
  EdgeListReadOptions read;
  NodeMetricsOptions metrics;
  std::string out;
  bool graphml = true;
  bool force = false;
};

void add_network_options(CLI::App& app, NetworkArgs& a) {
  app.add_option("--out,-o", a.out, "Output folder (created when missing)")->required();
  app.add_option("--min-score", a.read.select.min_score, "Keep edges scoring at least this")->capture_default_str();
  app.add_option("--top", a.read.select.top, "Keep only the K best edges overall (0 = no limit)")->capture_default_str();
  app.add_option("--top-per-tf", a.read.select.top_per_tf, "Keep only each TF's K best edges (0 = no limit)")->capture_default_str();
  app.add_option("--thresholds", a.read.thresholds, "Scores at which targets per TF are counted (targets_per_tf.tsv)")
      ->delimiter(',')->capture_default_str();
  app.add_option("--damping", a.metrics.damping, "PageRank damping factor")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app.add_flag("--weighted", a.metrics.weighted, "Weighted PageRank: walk edges in proportion to their scores");
  app.add_flag("--no-betweenness", [&a](std::int64_t) { a.metrics.betweenness = false; },
               "Skip betweenness (O(nodes x edges); slow on dense networks of many TFs)");
  app.add_flag("--no-graphml", [&a](std::int64_t) { a.graphml = false; }, "Skip network.graphml");
  app.add_flag("--force", a.force, "Replace output files that already exist");
}

/// Refuses to replace existing outputs unless --force, and any input even then; creates the folder.
void prepare_out(const NetworkArgs& a, const std::vector<std::string>& files, const std::vector<std::string>& inputs) {
  fs::create_directories(a.out);
  for (const auto& f : files) cli::check_output((fs::path(a.out) / f).string(), inputs, true);
  if (a.force) return;
  for (const auto& f : files)
    if (fs::exists(fs::path(a.out) / f))
      throw UsageError(quote((fs::path(a.out) / f).string()) + " already exists; give --force to replace it or another --out");
}

EdgeList read_logged(const std::string& path, const EdgeListReadOptions& opts, GeneDictionary& genes) {
  auto t0 = std::chrono::steady_clock::now();
  EdgeList list = read_edge_list(path, opts, genes);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::info("read {} ({} format): {} edges, {} kept, in {:.1f}s", path, list.format, list.n_edges, list.kept.size(), secs);
  if (list.kept.empty())
    throw Error(path + ": no edge is left after the cut (best score " + std::to_string(list.best_score) + ", --min-score " +
                std::to_string(opts.select.min_score) + "); lower --min-score or use --top");
  return list;
}

std::string out_path(const NetworkArgs& a, const std::string& name) { return (fs::path(a.out) / name).string(); }

void write_json(const std::string& path, const nlohmann::json& j) {
  cli::TextOutput out(path);
  out.stream() << j.dump(2) << '\n';
  out.commit();
}

nlohmann::json selection_json(const NetworkArgs& a) {
  return {{"min_score", a.read.select.min_score}, {"top", a.read.select.top}, {"top_per_tf", a.read.select.top_per_tf},
          {"damping", a.metrics.damping}, {"weighted_pagerank", a.metrics.weighted}, {"betweenness", a.metrics.betweenness}};
}

void run_single(const std::string& input, const NetworkArgs& a, const cli::RunArgs& run) {
  prepare_out(a, {"nodes.tsv", "edges.tsv", "targets_per_tf.tsv", "network.graphml", "summary.json"}, {input});
  GeneDictionary genes;
  EdgeList list = read_logged(input, a.read, genes);
  Network net = make_network(list.kept);
  auto t0 = std::chrono::steady_clock::now();
  NodeMetrics m = node_metrics(net.genes.size(), net.edges, a.metrics);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::info("network: {} genes, {} edges; degrees, PageRank{} in {:.1f}s", net.genes.size(), net.edges.size(),
               a.metrics.betweenness ? ", betweenness" : "", secs);
  t0 = std::chrono::steady_clock::now();
  write_nodes_tsv(out_path(a, "nodes.tsv"), genes, list.is_tf, net, m);
  write_edges_tsv(out_path(a, "edges.tsv"), genes, list.kept);
  write_targets_per_tf(out_path(a, "targets_per_tf.tsv"), genes, list, a.read.thresholds);
  if (a.graphml) write_graphml(out_path(a, "network.graphml"), genes, list.is_tf, net, m);
  spdlog::info("outputs written in {:.1f}s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::size_t tfs = 0;
  for (std::size_t i = 0; i < net.genes.size(); ++i) tfs += m.out_degree[i] > 0;
  nlohmann::json j = {{"tool", "drim-network"}, {"version", kVersion}, {"input", input}, {"format", list.format},
                      {"edges_read", list.n_edges}, {"edges_kept", list.kept.size()}, {"genes", net.genes.size()},
                      {"tfs_with_targets", tfs}, {"options", selection_json(a)}};
  write_json(out_path(a, "summary.json"), j);
  cli::emit_summary(run, j);
  spdlog::info("wrote {}/{{nodes.tsv, edges.tsv, targets_per_tf.tsv{}, summary.json}}", a.out, a.graphml ? ", network.graphml" : "");
}

std::vector<std::string> read_gene_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read " + quote(path));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] != '#') out.push_back(line.substr(0, line.find_first_of("\t,")));
  }
  return out;
}

nlohmann::json number_or_null(double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); }

nlohmann::json test_json(const TfSetTest& t) {
  return {{"test", "Wilcoxon signed-rank, two-sided, targets per TF in B vs A paired by TF"},
          {"tfs", t.n_tfs}, {"median_targets_a", t.median_a}, {"median_targets_b", t.median_b},
          {"tfs_more_in_a", t.more_in_a}, {"tfs_more_in_b", t.more_in_b}, {"p", number_or_null(t.p)},
          {"vs_other_tfs", {{"test", "Wilcoxon rank-sum (Mann-Whitney), two-sided, change in targets (B - A) of these TFs vs all other TFs"},
                            {"median_change", number_or_null(t.median_change)},
                            {"median_change_other", number_or_null(t.median_change_other)},
                            {"p", number_or_null(t.p_vs_other)}}}};
}

void run_compare(const std::string& in_a, const std::string& in_b, const std::vector<std::string>& names,
                 const std::string& tfs_file, NetworkArgs a, const cli::RunArgs& run) {
  const std::string rnk_a = "pagerank_" + names[0] + ".rnk", rnk_b = "pagerank_" + names[1] + ".rnk";
  const std::string rnk_d = "pagerank_" + names[1] + "_vs_" + names[0] + ".rnk";
  const std::string tpt_a = "targets_per_tf_" + names[0] + ".tsv", tpt_b = "targets_per_tf_" + names[1] + ".tsv";
  prepare_out(a, {"edges.tsv", "nodes.tsv", "tf_targets.tsv", rnk_a, rnk_b, rnk_d, tpt_a, tpt_b, "summary.json"}, {in_a, in_b, tfs_file});
  a.read.keep_all = true;
  GeneDictionary genes;
  EdgeList la = read_logged(in_a, a.read, genes);
  EdgeList lb = read_logged(in_b, a.read, genes);
  NetworkComparison cmp = compare_networks(la, lb, a.metrics);
  std::vector<char> is_tf(genes.size(), 0);
  for (std::size_t g = 0; g < genes.size(); ++g) is_tf[g] = (g < la.is_tf.size() && la.is_tf[g]) || (g < lb.is_tf.size() && lb.is_tf[g]);
  write_compared_edges(out_path(a, "edges.tsv"), genes, cmp);
  write_compared_nodes(out_path(a, "nodes.tsv"), genes, is_tf, cmp);
  write_tf_changes(out_path(a, "tf_targets.tsv"), genes, cmp);
  std::vector<double> delta(cmp.a.genes.size());
  for (std::size_t i = 0; i < delta.size(); ++i) delta[i] = cmp.metrics_b.pagerank[i] - cmp.metrics_a.pagerank[i];
  write_rnk(out_path(a, rnk_a), genes, cmp.a.genes, cmp.metrics_a.pagerank);
  write_rnk(out_path(a, rnk_b), genes, cmp.b.genes, cmp.metrics_b.pagerank);
  write_rnk(out_path(a, rnk_d), genes, cmp.a.genes, delta);
  write_targets_per_tf(out_path(a, tpt_a), genes, la, a.read.thresholds);
  write_targets_per_tf(out_path(a, tpt_b), genes, lb, a.read.thresholds);

  std::size_t both = 0, only_a = 0, only_b = 0, genes_a = 0, genes_b = 0, genes_both = 0;
  for (const auto& e : cmp.edges) (e.in_a && e.in_b ? both : e.in_a ? only_a : only_b)++;
  for (std::size_t i = 0; i < cmp.a.genes.size(); ++i) {
    const bool ia = cmp.metrics_a.in_degree[i] + cmp.metrics_a.out_degree[i] > 0;
    const bool ib = cmp.metrics_b.in_degree[i] + cmp.metrics_b.out_degree[i] > 0;
    (ia && ib ? genes_both : ia ? genes_a : genes_b)++;
  }
  std::vector<std::int32_t> all_tfs;
  for (const auto& t : cmp.tfs) all_tfs.push_back(t.tf);
  nlohmann::json j = {{"tool", "drim-network compare"}, {"version", kVersion}, {"a", {{"name", names[0]}, {"input", in_a}}},
                      {"b", {{"name", names[1]}, {"input", in_b}}}, {"options", selection_json(a)},
                      {"edges", {{"a", la.kept.size()}, {"b", lb.kept.size()}, {"both", both}, {"only_a", only_a}, {"only_b", only_b}}},
                      {"genes", {{"both", genes_both}, {"only_a", genes_a}, {"only_b", genes_b}}},
                      {"all_tfs", test_json(test_tf_targets(cmp, all_tfs))}};
  if (!tfs_file.empty()) {
    std::vector<std::int32_t> set;
    std::vector<std::string> missing;
    for (const auto& name : read_gene_list(tfs_file)) {
      const std::int32_t id = genes.find(name);
      if (id >= 0 && is_tf[id]) set.push_back(id);
      else missing.push_back(name);
    }
    if (!missing.empty())
      spdlog::warn("{} of the TFs in {} regulate nothing in either list and are left out (first: {})", missing.size(), tfs_file, missing[0]);
    if (set.empty()) throw Error("none of the TFs in " + quote(tfs_file) + " is a TF of either edge list");
    j["tfs_of_interest"] = test_json(test_tf_targets(cmp, set));
    j["tfs_of_interest"]["file"] = tfs_file;
  }
  write_json(out_path(a, "summary.json"), j);
  cli::emit_summary(run, j);
  spdlog::info("edges: {} in both, {} only in {}, {} only in {}; genes: {} only in {}, {} only in {}", both, only_a, names[0],
               only_b, names[1], genes_a, names[0], genes_b, names[1]);
  if (j.contains("tfs_of_interest"))
    spdlog::info("TFs of interest: median targets {} in {} vs {} in {} (signed-rank p = {}); change {} vs {} for the other TFs "
                 "(rank-sum p = {})",
                 j["tfs_of_interest"]["median_targets_a"].dump(), names[0], j["tfs_of_interest"]["median_targets_b"].dump(), names[1],
                 j["tfs_of_interest"]["p"].dump(), j["tfs_of_interest"]["vs_other_tfs"]["median_change"].dump(),
                 j["tfs_of_interest"]["vs_other_tfs"]["median_change_other"].dump(), j["tfs_of_interest"]["vs_other_tfs"]["p"].dump());
  spdlog::info("wrote {}/{{edges.tsv, nodes.tsv, tf_targets.tsv, *.rnk, targets_per_tf_*.tsv, summary.json}}", a.out);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Turn a scored edge list (drim-predict TSV, BEELINE rankedEdges, pySCENIC adjacencies) into a network:\n"
               "per-gene degree, weighted degree, PageRank and betweenness (igraph), GraphML, targets per TF.\n"
               "'compare A B' contrasts two conditions scored by the same model.\n\n"
               "Examples:\n  drim-network predictions.tsv --top-per-tf 100 --out net/\n"
               "  drim-network compare mild.tsv severe.tsv --names mild,severe --tfs-of-interest de_tfs.txt --out cmp/"};
  drim::cli::RunArgs run;
  drim::cli::add_run_options(app, run);
  NetworkArgs single;
  std::string input;
  app.add_option("edges", input, "Scored edge list (plain or .gz)")->check(CLI::ExistingFile);
  add_network_options(app, single);
  auto* cmp = app.add_subcommand("compare", "Compare two conditions' edge lists: changed edges and genes, per-TF target gains and "
                                            "losses, a test for a TF set, PageRank changes and .rnk files for GSEA");
  NetworkArgs pair;
  std::vector<std::string> inputs, names = {"A", "B"};
  std::string tfs_file;
  cmp->add_option("edges", inputs, "Edge lists of condition A and condition B")->required()->expected(2)->check(CLI::ExistingFile);
  cmp->add_option("--names", names, "Names of the two conditions (file names and summary)")->delimiter(',')->expected(2)->capture_default_str();
  cmp->add_option("--tfs-of-interest", tfs_file, "TFs to test (e.g. differentially expressed), one per line")->check(CLI::ExistingFile);
  add_network_options(*cmp, pair);
  app.get_option("--out")->required(false);
  return drim::cli::run_app(app, argc, argv, [&] {
    drim::cli::apply_run_options(run);
    if (cmp->parsed()) {
      if (names[0] == names[1] || names[0].find('/') != std::string::npos || names[1].find('/') != std::string::npos)
        throw CLI::ValidationError("--names", "needs two different names without '/', got " + drim::quote(names[0] + "," + names[1]));
      run_compare(inputs[0], inputs[1], names, tfs_file, pair, run);
    } else {
      if (input.empty() || single.out.empty()) throw CLI::RequiredError("an edge list and --out (or the subcommand 'compare')");
      run_single(input, single, run);
    }
  });
}
