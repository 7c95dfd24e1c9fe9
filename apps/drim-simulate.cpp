// drim-simulate: synthetic single-cell data with a known regulatory network.
#include <filesystem>

#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/simulate_grn.hpp"
#include "drim/training_pairs.hpp"

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Simulate single-cell expression with a known gene regulatory network.\n\n"
               "Example:\n  drim-simulate grn --genes 300 --tfs 30 --cells 400 --seed 1 --out data/demo"};
  app.require_subcommand(1);
  app.fallthrough();
  cli::RunArgs run;
  cli::add_run_options(app, run);
  GrnSimOptions grn;
  std::string out_dir;
  std::string negatives = "uniform";
  auto* g = app.add_subcommand("grn", "Counts from a random scale-free TF network (writes expression.h5ad, network.csv, tfs.txt, pairs.tsv)");
  g->add_option("--genes", grn.genes, "Genes, TFs included")->capture_default_str();
  g->add_option("--tfs", grn.tfs, "Transcription factors")->capture_default_str();
  g->add_option("--cells", grn.cells, "Cells")->capture_default_str();
  g->add_option("--states", grn.states, "Cell states")->capture_default_str();
  g->add_option("--max-regulators", grn.max_regulators, "Regulators per regulated gene (1..max)")->capture_default_str();
  g->add_option("--nb-size", grn.nb_size, "Negative-binomial size")->capture_default_str();
  g->add_option("--dropout", grn.dropout, "Zero-inflation strength")->capture_default_str();
  g->add_option("--negatives", negatives, "Negatives in pairs.tsv: uniform or degree")->capture_default_str();
  g->add_option("--out,-o", out_dir, "Output folder")->required();

  return cli::run_app(app, argc, argv, [&] {
    cli::apply_run_options(run);
    grn.seed = run.seed;
    GrnSimResult sim = simulate_grn(grn);
    const auto& genes = sim.expr.genes;
    std::filesystem::create_directories(out_dir);
    write_h5ad(sim.expr, out_dir + "/expression.h5ad");

    cli::TextOutput net(out_dir + "/network.csv");
    net.stream() << "Gene1,Gene2,Type\n";
    std::vector<std::pair<int, int>> edges;
    for (const auto& e : sim.edges) {
      net.stream() << genes[e.tf] << ',' << genes[e.target] << ',' << (e.sign > 0 ? '+' : '-') << '\n';
      edges.emplace_back(e.tf, e.target);
    }
    net.commit();
    cli::TextOutput tfs(out_dir + "/tfs.txt");
    for (int t : sim.tfs) tfs.stream() << genes[t] << '\n';
    tfs.commit();
    cli::TextOutput pairs(out_dir + "/pairs.tsv");
    pairs.stream() << "# tf\ttarget\tlabel (positives: network edges; negatives: " << negatives << ", seed " << run.seed << ")\n";
    for (const auto& p : make_training_pairs(edges, sim.tfs, genes.size(), parse_negative_recipe(negatives), run.seed))
      pairs.stream() << genes[p.tf] << '\t' << genes[p.target] << '\t' << p.label << '\n';
    pairs.commit();
    spdlog::info("wrote {}: {} genes x {} cells, {} TFs, {} edges", out_dir, genes.size(), sim.expr.n_cells(), sim.tfs.size(), sim.edges.size());
  });
}
