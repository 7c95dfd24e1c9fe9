// drim-impute: expression recovery (TCER: GenoMap + ER-Net; or the kNN / MAGIC-style baselines)
// into an .h5ad that keeps the observed matrix beside the imputed one.
#include <algorithm>
#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/error.hpp"
#include "drim/impute/layout_file.hpp"
#include "drim/impute/smoothing.hpp"
#include "drim/model/allocator.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/tcer.hpp"

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Impute dropouts: TCER (GenoMap layout + ER-Net trained self-supervised on the cells), or the kNN and\n"
               "MAGIC-style smoothing baselines. Writes an .h5ad with the observed matrix in X and the imputed one in\n"
               "layers/imputed (or the other way round with --replace); every drim tool reads it with --layer.\n\n"
               "Examples:\n"
               "  drim-impute --expr cells.h5ad --out imputed.h5ad --save-model tcer.pt\n"
               "  drim-impute --expr new_cells.h5ad --model tcer.pt --out new_imputed.h5ad\n"
               "  drim-cv --expr imputed.h5ad --layer imputed --network net.csv --tfs tfs.txt --out cv/"};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  std::string out, method = "tcer", layer_name = "imputed", layout_in, layout_out, model_in, model_out, device = "auto";
  bool replace = false, keep_observed = true;
  model::TcerOptions tcer;
  model::RestoreOptions restore;
  impute::SmoothingOptions smooth;
  cli::add_expr_options(app, expr_args);
  app.add_option("--out,-o", out, "Output .h5ad")->required();
  app.add_option("--method", method, "tcer (GenoMap + ER-Net), knn (mean of each cell's --k nearest cells) or magic "
                                     "(diffusion over a kNN cell graph)")
      ->check(CLI::IsMember({"tcer", "knn", "magic"}))->capture_default_str();
  app.add_option("--layer-name", layer_name, "Name of the imputed layer")->capture_default_str();
  app.add_flag("--replace", replace, "Imputed values in X, the observed ones in layers/observed");
  std::string posterior = "auto";
  impute::PosteriorOptions posterior_opts;
  auto* posterior_opt = app.add_option("--posterior", posterior,
                 "tcer: gamma-poisson (each value the posterior mean of its level given ER-Net's blind-spot restoration "
                 "as prior mean and the observed count: needs counts; docs/imputation.md), none (ER-Net's restoration "
                 "as it is, see --keep-observed) or auto (gamma-poisson when the values are counts, else none; preset "
                 "paper: none)")
      ->check(CLI::IsMember({"auto", "gamma-poisson", "none"}))->capture_default_str();
  auto* keep_opt = app.add_flag("--keep-observed,!--no-keep-observed", keep_observed,
               "tcer with --posterior none: replace only the zeros (observed non-zero values are kept); off: every "
               "value of a layout gene is ER-Net's restoration")->capture_default_str();
  auto* g = app.add_option_group("GenoMap", "Gene layout (tcer)");
  g->add_option("--layout", layout_in, "Reuse this layout (from --save-layout) instead of fitting one");
  g->add_option("--save-layout", layout_out, "Write the fitted layout here (gene, row, col)");
  g->add_option("--grid-rows", tcer.genomap.rows, "Grid rows (0: the smallest square that holds every gene)")->capture_default_str();
  g->add_option("--grid-cols", tcer.genomap.cols, "Grid columns (0: fit to the rows)")->capture_default_str();
  g->add_option("--epsilon", tcer.genomap.epsilon, "Entropic regularisation of the Gromov-Wasserstein transport")
      ->capture_default_str()->check(cli::positive());
  g->add_option("--gw-iterations", tcer.genomap.max_iterations, "Gromov-Wasserstein iterations at most")->capture_default_str();
  auto* t = app.add_option_group("ER-Net", "Network and self-supervised training (tcer)");
  t->add_option("--model,-m", model_in, "Reuse a trained model (from --save-model): no layout fit, no training");
  t->add_option("--save-model", model_out, "Save the layout, scale and trained ER-Net here");
  t->add_option("--channels", tcer.net.channels, "Channels of the first level (doubled twice)")->capture_default_str()->check(CLI::PositiveNumber);
  t->add_option("--dfa-blocks", tcer.net.dfa_blocks, "Cascaded DFA blocks")->capture_default_str()->check(CLI::NonNegativeNumber);
  t->add_option("--epochs", tcer.train.epochs, "Training epochs")->capture_default_str()->check(CLI::PositiveNumber);
  t->add_option("--batch", tcer.train.batch, "GenoMaps per step")->capture_default_str()->check(CLI::PositiveNumber);
  t->add_option("--lr", tcer.train.lr, "Adam learning rate")->capture_default_str()->check(cli::positive());
  t->add_option("--halve-every", tcer.train.halve_every, "Halve the learning rate every N epochs (0 = never)")->capture_default_str();
  t->add_option("--mask-min", tcer.train.mask_min, "Smallest masked share of a GenoMap's candidates (non-zero pixels; every gene pixel with --mask-zeros)")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  t->add_option("--mask-max", tcer.train.mask_max, "Largest masked share")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  t->add_option("--placeholder", tcer.train.placeholder, "Value of a masked pixel")->capture_default_str();
  std::string preset = "drim";
  t->add_option("--preset", preset, "drim (masks zero and non-zero pixels, squared error: measured better, docs/imputation.md) or "
                                    "paper (TCER as published: non-zero pixels masked, L1)")
      ->check(CLI::IsMember({"drim", "paper"}))->capture_default_str();
  auto* mask_zeros = t->add_flag("--mask-zeros,!--no-mask-zeros", tcer.train.mask_zeros,
                                 "Mask a share of every gene pixel in training, zero or not (preset drim: on; paper: off)");
  auto* squared = t->add_flag("--squared-loss,!--l1-loss", tcer.train.squared,
                              "Squared error on pixels instead of L1 (preset drim: on; paper: off)");
  t->add_option("--restore-groups", restore.groups, "Restoration: each cell's gene pixels masked in this many groups in turn")
      ->capture_default_str()->check(CLI::PositiveNumber);
  t->add_option("--restore-rounds", restore.rounds, "Restoration: rounds of masking, averaged")->capture_default_str()->check(CLI::PositiveNumber);
  t->add_option("--fft-weight", tcer.train.fft_weight, "Lambda: loss = pixel loss + lambda * FFT L1")->capture_default_str()->check(cli::non_negative());
  t->add_option("--checkpoint", tcer.train.checkpoint, "Write a checkpoint after every epoch");
  t->add_flag("--resume", tcer.train.resume, "Continue from --checkpoint");
  t->add_option("--device", device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}))->capture_default_str();
  auto* s = app.add_option_group("Baselines", "knn and magic");
  s->add_option("--k", smooth.k, "knn: cells averaged (the cell included)")->capture_default_str()->check(CLI::PositiveNumber);
  s->add_option("--pcs", smooth.pcs, "Principal components for cell distances")->capture_default_str()->check(CLI::PositiveNumber);
  s->add_option("--magic-k", smooth.magic_k, "magic: neighbour that sets the kernel width")->capture_default_str()->check(CLI::PositiveNumber);
  s->add_option("--magic-t", smooth.magic_t, "magic: diffusion steps")->capture_default_str()->check(CLI::NonNegativeNumber);
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    if (method != "tcer" && (!model_in.empty() || !model_out.empty() || !layout_in.empty() || !layout_out.empty()))
      throw UsageError("--model, --save-model, --layout and --save-layout need --method tcer");
    if (method != "tcer" && posterior_opt->count() > 0) throw UsageError("--posterior needs --method tcer");
    if (!model_in.empty() && !layout_in.empty()) throw UsageError("--model holds its layout; drop --layout");
    if (tcer.train.resume && tcer.train.checkpoint.empty()) throw UsageError("--resume needs --checkpoint");
    if (tcer.train.mask_min > tcer.train.mask_max)
      throw UsageError("--mask-min (" + std::to_string(tcer.train.mask_min) + ") is above --mask-max (" + std::to_string(tcer.train.mask_max) + ")");
    if (replace && layer_name == "observed") throw UsageError("--layer-name 'observed' is taken by --replace");
    if (mask_zeros->count() == 0) tcer.train.mask_zeros = preset == "drim";
    if (squared->count() == 0) tcer.train.squared = preset == "drim";
    if (posterior_opt->count() == 0 && preset == "paper") posterior = "none";
    cli::apply_run_options(run);
    const std::vector<std::string> inputs = {expr_args.path, layout_in, model_in};
    cli::check_output(out, inputs, false);
    for (const auto& o : {model_out, tcer.train.checkpoint})
      if (!o.empty()) cli::check_output(o, inputs, false);
    if (!layout_out.empty()) cli::check_output(layout_out, inputs, true);
    tcer.genomap.seed = run.seed;
    tcer.train.seed = run.seed;
    restore.seed = run.seed;
    tcer.train.progress = !run.quiet;
    model::configure_threads(run.threads);

    const Expression expr = cli::load_expression(expr_args);
    if (method == "tcer" && posterior != "none" && !look_at(expr).all_integers) {
      if (posterior == "gamma-poisson")
        throw UsageError(quote(expr_args.path) + ": --posterior gamma-poisson needs counts (non-negative whole numbers); these values "
                         "are not (log-transformed or normalised?): give raw counts or --posterior none");
      spdlog::info("{}: the values are not all whole numbers (not counts): no gamma-Poisson posterior (--posterior none)", expr_args.path);
      posterior = "none";
    } else if (posterior == "auto") {
      posterior = method == "tcer" ? "gamma-poisson" : "none";
    }
    const auto t0 = std::chrono::steady_clock::now();
    nlohmann::json summary = {{"tool", "drim-impute"}, {"method", method}, {"preset", preset},
                              {"mask_zeros", tcer.train.mask_zeros}, {"squared_loss", tcer.train.squared}, {"genes", expr.n_genes()}, {"cells", expr.n_cells()}};
    Expression imputed;
    if (method == "knn") {
      imputed = impute::knn_smooth(expr, smooth);
    } else if (method == "magic") {
      imputed = impute::magic_diffuse(expr, smooth);
    } else {
      const auto dev = model::resolve_device(device);
      model::TcerModel m;
      if (!model_in.empty()) {
        m = model::load_tcer(model_in);
        spdlog::info("model {}: {} genes on a {} x {} grid", model_in, m.layout.genes.size(), m.layout.rows, m.layout.cols);
      } else {
        impute::GenomapLayout given;
        if (!layout_in.empty()) given = impute::read_layout(layout_in);
        m = model::fit_tcer(expr, tcer, layout_in.empty() ? nullptr : &given, dev, [](const std::string& msg) { spdlog::info("{}", msg); },
                            [&](const model::ImputeEpoch& e) {
                              spdlog::info("epoch {}/{}: loss {:.5f} (pixels {:.5f}, FFT {:.5f}), lr {:.2g}, {:.1f} s", e.epoch,
                                           tcer.train.epochs, e.loss, e.pixel_l1, e.fft_l1, e.lr, e.seconds);
                            });
        if (!m.meta["history"].empty()) summary["final_loss"] = m.meta["history"].back()["loss"];
      }
      summary["posterior"] = posterior;
      if (posterior == "gamma-poisson") {
        if (keep_opt->count() > 0) spdlog::warn("--keep-observed applies with --posterior none only; ignored");
        posterior_opts.threads = run.threads;
        impute::PosteriorFit fit;
        imputed = model::apply_tcer_posterior(m, expr, dev, restore, posterior_opts, &fit);
        std::vector<double> shapes;
        for (double a : fit.shape)
          if (a > 0) shapes.push_back(a);
        if (!shapes.empty()) {
          std::nth_element(shapes.begin(), shapes.begin() + shapes.size() / 2, shapes.end());
          summary["posterior_median_shape"] = shapes[shapes.size() / 2];
          spdlog::info("gamma-Poisson posterior over {} genes: median prior shape {:.3g} (large: the restoration explains the counts; "
                       "small: the observed values dominate)", shapes.size(), shapes[shapes.size() / 2]);
        }
      } else {
        imputed = model::apply_tcer(m, expr, keep_observed, dev, restore);
      }
      summary["grid"] = {m.layout.rows, m.layout.cols};
      if (!layout_out.empty()) impute::write_layout(m.layout, layout_out);
      if (!model_out.empty()) model::save_tcer(model_out, m);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (replace) write_h5ad(imputed, out, {{"observed", &expr}});
    else write_h5ad(expr, out, {{layer_name, &imputed}});
    spdlog::info("{}: {} genes x {} cells imputed by {} in {:.1f} s; wrote {}", expr_args.path, expr.n_genes(), expr.n_cells(), method, secs, out);
    summary["seconds"] = secs;
    summary["out"] = out;
    cli::emit_summary(run, summary);
  });
}
