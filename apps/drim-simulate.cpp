// drim-simulate: synthetic single-cell data with a known regulatory network.
#include <filesystem>
#include <map>

#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/impute/downsample.hpp"
#include "drim/simulate_ggm.hpp"
#include "drim/simulate_grn.hpp"
#include "drim/spatial/simulate_spatial.hpp"
#include "drim/training_pairs.hpp"

namespace {

using namespace drim;

/// One condition of drim-simulate grn: counts, network.csv (with signs), tfs.txt and labelled pairs.tsv.
/// With `xy` (cells x 2), expression.h5ad holds them as obsm['spatial'].
void write_grn(const GrnSimResult& sim, const std::string& out_dir, const std::string& negatives, std::uint64_t seed,
               const std::vector<double>* xy = nullptr) {
  const auto& genes = sim.expr.genes;
  std::filesystem::create_directories(out_dir);
  std::vector<H5adObsm> obsm;
  if (xy) obsm.push_back({"spatial", 2, xy});
  write_h5ad(sim.expr, out_dir + "/expression.h5ad", {}, obsm);
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
  pairs.stream() << "# tf\ttarget\tlabel (positives: network edges; negatives: " << negatives << ", seed " << seed << ")\n";
  for (const auto& p : make_training_pairs(edges, sim.tfs, genes.size(), {parse_negative_recipe(negatives)}, seed))
    pairs.stream() << genes[p.tf] << '\t' << genes[p.target] << '\t' << p.label << '\n';
  pairs.commit();
  spdlog::info("wrote {}: {} genes x {} cells, {} TFs, {} edges", out_dir, genes.size(), sim.expr.n_cells(), sim.tfs.size(), sim.edges.size());
}

/// drim-simulate grn: one condition in out_dir, or several in out_dir/A, out_dir/B, ... with
/// out_dir/differential.tsv listing every edge that is not in all of them.
void run_grn(const GrnSimOptions& grn, const std::string& out_dir, const std::string& negatives, std::uint64_t seed,
             int conditions, double rewire) {
  if (conditions == 1) {
    write_grn(simulate_grn(grn), out_dir, negatives, seed);
    return;
  }
  const auto sims = simulate_grn_conditions(grn, conditions, rewire);
  std::vector<std::string> names;
  for (int k = 0; k < conditions; ++k) {
    names.push_back(std::string(1, static_cast<char>('A' + k)));
    write_grn(sims[k], out_dir + "/" + names.back(), negatives, seed);
  }
  const auto& genes = sims[0].expr.genes;
  std::map<std::pair<int, int>, std::string> in;  // edge -> conditions that have it
  for (int k = 0; k < conditions; ++k)
    for (const auto& e : sims[k].edges) in[{e.tf, e.target}] += names[k];
  cli::TextOutput diff(out_dir + "/differential.tsv");
  diff.stream() << "tf\ttarget\tconditions\n";
  std::size_t n = 0;
  for (const auto& [edge, where] : in)
    if (static_cast<int>(where.size()) < conditions) {
      diff.stream() << genes[edge.first] << '\t' << genes[edge.second] << '\t' << where << '\n';
      ++n;
    }
  diff.commit();
  spdlog::info("wrote {}/differential.tsv: {} edges present in some conditions only", out_dir, n);
}

/// drim-simulate ggm: stacked datasets, every direct edge, labelled pairs and the negatives'
/// transitive flags.
void run_ggm(const GgmSimOptions& ggm, const std::string& out_dir) {
  GgmSimResult sim = simulate_ggm(ggm);
  const auto& genes = sim.expr.genes;
  std::filesystem::create_directories(out_dir);
  write_h5ad(sim.expr, out_dir + "/expression.h5ad");
  cli::TextOutput net(out_dir + "/network.csv");
  net.stream() << "Gene1,Gene2\n";
  for (auto [a, b] : sim.edges) net.stream() << genes[a] << ',' << genes[b] << '\n';
  net.commit();
  cli::TextOutput pairs(out_dir + "/pairs.tsv"), neg(out_dir + "/negatives.tsv");
  pairs.stream() << "# one direct (1) and one independent (0) pair per dataset\n";
  neg.stream() << "gene1\tgene2\ttransitive\n";
  for (std::size_t i = 0; i < sim.pairs.size(); ++i) {
    const auto& p = sim.pairs[i];
    pairs.stream() << genes[p.tf] << '\t' << genes[p.target] << '\t' << p.label << '\n';
    if (p.label == 0) neg.stream() << genes[p.tf] << '\t' << genes[p.target] << '\t' << sim.transitive[i] << '\n';
  }
  cli::TextOutput groups(out_dir + "/groups.tsv");
  groups.stream() << "# gene\tdataset: pass to --neighbor-groups so neighbours stay within a dataset\n";
  const std::size_t per = sim.datasets.empty() ? 0 : genes.size() / sim.datasets.size();
  for (std::size_t g = 0; g < genes.size(); ++g) groups.stream() << genes[g] << "\tD" << g / per + 1 << '\n';
  pairs.commit();
  neg.commit();
  groups.commit();
  spdlog::info("wrote {}: {} datasets, {} pairs, {} direct edges", out_dir, sim.datasets.size(), sim.pairs.size(), sim.edges.size());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Simulate single-cell expression with a known gene regulatory network, or perturb a matrix.\n\n"
               "Examples:\n  drim-simulate grn --genes 300 --tfs 30 --cells 400 --seed 1 --out data/demo\n"
               "  drim-simulate grn --conditions 2 --rewire 0.2 --out two/   # two/A, two/B, two/differential.tsv\n"
               "  drim-simulate ggm --datasets 2500 --out ggm/\n"
               "  drim-simulate spatial --cells 3000 --domains 4 --out tissue/   # obsm['spatial'] + domains.tsv\n"
               "  drim-simulate dropout --expr cells.h5ad --cutoff 0.5 --prob 0.3 --out dropped.h5ad\n"
               "  drim-simulate subsample --expr cells.h5ad --n-cells 200 --out small.h5ad\n"
               "  drim-simulate downsample --expr deep.h5ad --efficiency 0.1 --out shallow.h5ad"};
  app.require_subcommand(1);
  app.fallthrough();
  cli::RunArgs run;
  cli::add_run_options(app, run);
  GrnSimOptions grn;
  std::string out_dir;
  std::string negatives = "uniform";
  int conditions = 1;
  double rewire = 0.2;
  auto* g = app.add_subcommand("grn", "Counts from a random scale-free TF network (writes expression.h5ad, network.csv, tfs.txt, pairs.tsv)");
  g->add_option("--genes", grn.genes, "Genes, TFs included")->capture_default_str();
  g->add_option("--tfs", grn.tfs, "Transcription factors")->capture_default_str();
  g->add_option("--cells", grn.cells, "Cells")->capture_default_str();
  g->add_option("--states", grn.states, "Cell states")->capture_default_str();
  g->add_option("--max-regulators", grn.max_regulators, "Regulators per regulated gene (1..max)")->capture_default_str();
  g->add_option("--nb-size", grn.nb_size, "Negative-binomial size")->capture_default_str();
  g->add_option("--dropout", grn.dropout, "Zero-inflation strength")->capture_default_str();
  g->add_option("--negatives", negatives, "Negatives in pairs.tsv: uniform or degree")->capture_default_str();
  g->add_option("--conditions", conditions,
                "Conditions over the same genes (1..26); with more than one, each goes to OUT/A, OUT/B, ... and "
                "OUT/differential.tsv lists the edges not shared by all")->capture_default_str()->check(CLI::Range(1, 26));
  g->add_option("--rewire", rewire, "With --conditions: fraction of condition A's edges given another regulator in each further condition")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  g->add_option("--out,-o", out_dir, "Output folder")->required();

  spatial::SpatialSimOptions sp;
  std::string sp_out, sp_negatives = "uniform";
  sp.grn.cells = 3000;
  auto* spc = app.add_subcommand("spatial", "Cells on a 2-D tissue with spatial domains; master TFs follow the domains, so TFs and their "
                                           "targets share territory (writes expression.h5ad with obsm['spatial'], network.csv, "
                                           "tfs.txt, pairs.tsv, domains.tsv)");
  spc->add_option("--genes", sp.grn.genes, "Genes, TFs included")->capture_default_str();
  spc->add_option("--tfs", sp.grn.tfs, "Transcription factors")->capture_default_str();
  spc->add_option("--cells", sp.grn.cells, "Cells (spots)")->capture_default_str();
  spc->add_option("--domains", sp.domains, "Spatial domains (Voronoi cells of random centres)")->capture_default_str()->check(CLI::Range(1, 64));
  spc->add_option("--max-regulators", sp.grn.max_regulators, "Regulators per regulated gene (1..max)")->capture_default_str();
  spc->add_option("--nb-size", sp.grn.nb_size, "Negative-binomial size")->capture_default_str();
  spc->add_option("--dropout", sp.grn.dropout, "Zero-inflation strength")->capture_default_str();
  spc->add_option("--negatives", sp_negatives, "Negatives in pairs.tsv: uniform or degree")->capture_default_str();
  spc->add_option("--out,-o", sp_out, "Output folder")->required();

  GgmSimOptions ggm;
  std::string ggm_out;
  auto* gg = app.add_subcommand("ggm", "The paper's transitive-interaction test: small Gaussian graphical-model datasets "
                                       "(writes expression.h5ad, network.csv, pairs.tsv, negatives.tsv, groups.tsv)");
  gg->add_option("--datasets", ggm.datasets, "Datasets")->capture_default_str();
  gg->add_option("--genes", ggm.genes, "Genes per dataset")->capture_default_str();
  gg->add_option("--cells", ggm.cells, "Cells per dataset")->capture_default_str();
  gg->add_option("--edge-prob", ggm.edge_prob, "Probability of a non-zero precision entry")->capture_default_str();
  gg->add_flag("--reference-protocol", ggm.reference_protocol,
               "The public reference script's variant: abs(N(mu, Theta^-1)) with means U(10, 10^4), positives drawn from every "
               "non-zero entry of Theta including its diagonal (self pairs)");
  gg->add_option("--out,-o", ggm_out, "Output folder")->required();

  cli::ExprArgs in;
  std::string perturbed;
  double cutoff = 0.5, prob = 0.3;
  std::size_t keep = 0;
  auto* dr = app.add_subcommand("dropout", "BoolODE-style dropout: values in the bottom --cutoff quantile of each gene set to 0 with probability --prob");
  cli::add_expr_options(*dr, in);
  dr->add_option("--cutoff", cutoff, "Quantile below which values may drop")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  dr->add_option("--prob", prob, "Probability of dropping such a value")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  dr->add_option("--out,-o", perturbed, "Output .h5ad")->required();
  auto* ss = app.add_subcommand("subsample", "A random subset of cells");
  cli::add_expr_options(*ss, in);
  ss->add_option("--n-cells", keep, "Cells to keep")->required()->check(cli::positive());
  ss->add_option("--out,-o", perturbed, "Output .h5ad")->required();

  impute::DownsampleOptions down;
  auto* ds = app.add_subcommand("downsample", "SAVER-style capture: counts ~ Poisson(efficiency_c x value), the per-cell "
                                              "efficiency ~ Gamma(--shape) with mean --efficiency (an imputation benchmark's observations)");
  cli::add_expr_options(*ds, in);
  ds->add_option("--efficiency", down.efficiency, "Mean capture efficiency per cell, in (0, 1]")->capture_default_str()->check(CLI::Range(1e-9, 1.0));
  ds->add_option("--shape", down.shape, "Gamma shape of the per-cell efficiency (CV = 1/sqrt(shape))")->capture_default_str()->check(cli::positive());
  ds->add_option("--out,-o", perturbed, "Output .h5ad")->required();

  return cli::run_app(app, argc, argv, [&] {
    cli::apply_run_options(run);
    if (dr->parsed() || ss->parsed() || ds->parsed()) {
      cli::check_output(perturbed, {in.path}, false);
      Expression expr = cli::load_expression(in);
      if (dr->parsed()) {
        std::size_t n = apply_dropout(expr, cutoff, prob, run.seed);
        spdlog::info("dropped {} values ({:.1f}% of all)", n, 100.0 * n / expr.values.size());
      } else if (ds->parsed()) {
        down.seed = run.seed;
        expr = impute::downsample(expr, down);
      } else {
        expr = subsample_cells(expr, keep, run.seed);
      }
      write_h5ad(expr, perturbed);
      spdlog::info("wrote {}: {} genes x {} cells", perturbed, expr.n_genes(), expr.n_cells());
    } else if (gg->parsed()) {
      ggm.seed = run.seed;
      run_ggm(ggm, ggm_out);
    } else if (spc->parsed()) {
      sp.grn.seed = run.seed;
      const auto res = spatial::simulate_spatial(sp);
      write_grn(res.sim, sp_out, sp_negatives, run.seed, &res.xy);
      cli::TextOutput dom(sp_out + "/domains.tsv");
      dom.stream() << "cell\tx\ty\tdomain\n";
      for (std::size_t c = 0; c < res.domain.size(); ++c)
        dom.stream() << res.sim.expr.cells[c] << '\t' << res.xy[2 * c] << '\t' << res.xy[2 * c + 1] << '\t' << res.domain[c] + 1 << '\n';
      dom.commit();
    } else {
      grn.seed = run.seed;
      run_grn(grn, out_dir, negatives, run.seed, conditions, rewire);
    }
    cli::emit_summary(run, {{"tool", "drim-simulate"}, {"subcommand", app.get_subcommands().front()->get_name()}, {"seed", run.seed},
                       {"out", dr->parsed() || ss->parsed() || ds->parsed() ? perturbed : gg->parsed() ? ggm_out : spc->parsed() ? sp_out : out_dir}});
  });
}
