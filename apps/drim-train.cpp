// drim-train: train DeepDRIM (or CNNC) on labelled TF-target pairs.
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "gene_image_args.hpp"
#include "train_args.hpp"
#include "drim/error.hpp"
#include "drim/model/allocator.hpp"
#include "drim/model/collectives.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/preset.hpp"
#include "drim/model/fit.hpp"
#include "drim/model/trainer.hpp"
#include "drim/pair_images.hpp"
#include "drim/pairs.hpp"
#include "drim/version.hpp"

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Train DeepDRIM on labelled TF-target pairs; images are built on the fly.\n\n"
               "Examples:\n"
               "  drim-train --expr data/demo/expression.h5ad --pairs data/demo/pairs.tsv --out model.pt\n"
               "  drim-train --expr ExpressionData.csv.gz --network refNetwork.csv.gz --tfs TFs.txt.gz --out model.pt\n"
               "  drim-train --images images.h5 --out model.pt\n"
               "  drim-train --model fusion --expr tissue.h5ad --spatial tissue.h5ad --network network.csv --tfs tfs.txt --out fusion.pt"};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  ImageOptions img;
  cli::TrainArgs targs;
  model::TrainOptions& topt = targs.opts;
  std::string pairs_path, network_path, tfs_path, images_path, out;
  cli::NeighborArgs neighbor;
  bool skip_missing = false;
  cli::add_expr_options(app, expr_args, /*required=*/false);
  app.add_option("--images", images_path, "Train on a drim-images file (labelled) instead of --expr and pairs");
  app.add_option("--pairs", pairs_path, "Labelled pairs: 'tf target label' lines (label 0 or 1)");
  app.add_option("--network", network_path, "Positives: BEELINE Gene1,Gene2 CSV or a TSV edge list (needs --tfs)");
  app.add_option("--tfs", tfs_path, "TF names, one per line (with --network)");
  app.add_option("--out,-o", out, "Model file to write")->required();
  cli::add_train_options(app, targs);
  app.add_option("--checkpoint", topt.checkpoint, "Checkpoint written every epoch (default: <out>.ckpt)");
  app.add_flag("--resume", topt.resume, "Continue from the checkpoint after an interruption");
  app.add_flag("--skip-missing", skip_missing, "Drop labelled pairs whose genes are not in the matrix");
  cli::add_image_options(app, img, neighbor);
  cli::GeneImageArgs gene_args;
  cli::add_gene_image_options(app, gene_args);
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    cli::apply_run_options(run);
    cli::resolve_train_args(app, targs);
    const int local_rank = cli::start_data_parallel(targs);
    const bool writer = model::process_rank() == 0;  // rank 0 alone writes the log, the model and the summary
    model::configure_threads(run.threads);
    model::keep_freed_memory();
    if (topt.checkpoint.empty()) topt.checkpoint = out + ".ckpt";
    for (const auto& o : {out, topt.checkpoint})
      cli::check_output(o, {expr_args.path, pairs_path, network_path, tfs_path, images_path, neighbor.groups, targs.log}, false);
    topt.seed = run.seed;
    topt.progress = !run.quiet;
    auto dev = model::resolve_device(targs.device);
    if (dev.is_cuda()) dev = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(local_rank % torch::cuda::device_count()));
    model::DeepDrimOptions mopt = model::model_options(topt, model::parse_model_kind(targs.kind), img.neighbors);
    const bool image_only = mopt.kind == model::ModelKind::ImageOnly;
    const bool with_gene_images = image_only || mopt.kind == model::ModelKind::Fusion;
    if (with_gene_images != gene_args.given())
      throw UsageError(with_gene_images ? "--model " + targs.kind + " needs the genes' images: give --gene-images or --spatial"
                                        : "--gene-images and --spatial feed --model fusion or image-only, not " + targs.kind);
    img.primary_only = mopt.kind == model::ModelKind::Cnnc || image_only;
    if (image_only && img.conditional > 0) throw UsageError("--conditional adds an expression image; --model image-only reads none");

    Expression expr;
    std::unique_ptr<ImageContext> ctx;
    std::unique_ptr<PairImageSource> source;
    std::vector<std::string> genes;
    if (!images_path.empty()) {
      if (!expr_args.path.empty() || !pairs_path.empty() || !network_path.empty())
        throw UsageError("--images replaces --expr and --pairs/--network; give one or the other");
      if (!neighbor.groups.empty() || neighbor.departs_from_paper() || img.conditional > 0)
        throw UsageError("--neighbor-groups, --neighbor-pool, --neighbor-rank and --conditional apply when images are built from --expr; the images in --images are fixed");
      if (topt.resample_cells) {
        if (app.get_option("--resample-cells")->count() > 0)
          throw UsageError("--resample-cells rebuilds the images from a resample of the cells; the images in --images are fixed");
        topt.resample_cells = false;
        spdlog::info("{}: training on the file's fixed images (no --resample-cells)", images_path);
      }
      if (topt.pretrain_pairs > 0) {
        if (app.get_option("--pretrain-pairs")->count() > 0)
          throw UsageError("--pretrain-pairs pretrains on random gene pairs of an expression matrix; --images has none (use --expr)");
        topt.pretrain_pairs = 0;
        spdlog::info("{}: no expression matrix to pretrain the towers on (no --pretrain-pairs)", images_path);
      }
      auto file = std::make_unique<FilePairImages>(images_path);
      const int k = file->images_per_pair();
      if (image_only) {
        spdlog::info("image-only uses none of the expression images in {}, only its pairs", images_path);
      } else if (mopt.kind == model::ModelKind::Cnnc) {
        if (k != 1) spdlog::info("cnnc uses only the primary image of the {} in {}", k, images_path);
      } else {
        if (k < 3 || k % 2 == 0) throw Error(images_path + " has " + std::to_string(k) + " image(s) per pair; DeepDRIM needs 2n + 3 (use --model cnnc for primary-only images)");
        mopt.neighbors = (k - 3) / 2;
      }
      img.exclude_self = file->attribute("exclude_self", 0) != 0;
      genes = file->names();
      source = std::move(file);
      spdlog::info("{}: {} labelled pairs, {} images each", images_path, source->size(), k);
    } else {
      if (expr_args.path.empty()) throw UsageError("give --expr (with --pairs, or --network and --tfs), or --images");
      expr = cli::load_expression(expr_args);
      GeneIndex index(expr.genes, expr_args.ignore_case);
      auto pairs = cli::load_labelled_pairs(pairs_path, network_path, tfs_path, targs, run.seed, index, skip_missing);
      std::vector<int> tf_rows;
      for (const auto& p : pairs) tf_rows.push_back(p.tf);
      cli::apply_neighbor_args(neighbor, expr.genes, index, tf_rows, img);
      ctx = std::make_unique<ImageContext>(expr, img, run.threads);
      source = std::make_unique<ContextPairImages>(*ctx, std::move(pairs));
      genes = expr.genes;
    }
    img.neighbors = mopt.neighbors;
    std::unique_ptr<spatial::AlignedGeneMaps> gene_images;
    std::unique_ptr<PairImageSource> base;
    model::FitOptions fit;
    if (with_gene_images) {
      gene_images = cli::load_gene_images(gene_args, genes, cli::genes_of(source->pairs()), images_path.empty() ? &expr : nullptr, expr_args.path);
      base = std::move(source);
      source = std::make_unique<GeneImagePairs>(*base, *gene_images, image_only);
      fit.gene_image_channels = gene_images->channels();
      fit.missing_image_embedding = gene_args.allow_missing;
      fit.gene_images = gene_args.meta();
    }
    fit.train = topt;
    fit.preset = targs.preset;
    fit.kind = targs.kind;
    fit.val_fraction = targs.val_fraction;
    fit.expression = images_path.empty() ? expr_args.path : images_path;
    fit.recorded = {{"negatives", targs.negatives}, {"negative_ratio", targs.negative_ratio}, {"max_positives", targs.max_positives}};
    const PairSplit split = model::fit_split(*source, fit);
    spdlog::info("{} pairs: {} training, {} validation (whole TFs held out)", source->size(), split.train.size(), split.validation.size());
    if (split.validation.empty() && targs.val_fraction > 0) spdlog::warn("only one TF: no validation set, no early stopping");
    const bool validated = !split.validation.empty();
    spdlog::info("{}{} model, device {}, preset {}{}{}", targs.kind == "fusion" ? topt.fusion + " " : "", targs.kind, dev.str(), targs.preset,
                 img.conditional > 0 ? fmt::format(", conditional image on {} gene(s)", img.conditional) : std::string(),
                 topt.precision == "fp32" ? std::string() : ", " + topt.precision + (topt.precision == "bf16" ? " autocast" : " arithmetic"));
    std::ofstream log = cli::open_epoch_log(writer ? targs.log : std::string(), topt.resume);
    auto fitted = model::fit_model(*source, split, genes, expr.n_cells(), img, fit, dev, [&](const model::EpochRecord& r) {
      if (validated)
        spdlog::info("epoch {:3d}  loss {:.4f}  acc {:.3f}  val_loss {:.4f}  val_acc {:.3f}  val_auroc {:.3f}  val_auprc {:.3f}  {:.1f}s  {:.1f} pairs/s",
                     r.epoch, r.loss, r.accuracy, r.val_loss, r.val_accuracy, r.val_auroc, r.val_auprc, r.seconds, r.pairs_per_s);
      else  // no validation set: print no validation metric that was never computed
        spdlog::info("epoch {:3d}  loss {:.4f}  acc {:.3f}  {:.1f}s  {:.1f} pairs/s", r.epoch, r.loss, r.accuracy, r.seconds, r.pairs_per_s);
      if (log.is_open())
        log << nlohmann::json(r).dump() << std::endl;
    });
    const auto& result = fitted.result;
    spdlog::info("trained a {} model of {} parameters", targs.kind, fitted.meta.at("parameters").get<std::int64_t>());
    const auto& best = result.history.at(result.best_epoch - 1);
    if (const auto& p = result.pretrain; p.pairs > 0)
      spdlog::info("before epoch 1, pretrained the towers on {} random gene pairs in {:.0f} s: correlation read-out error {:.4f} -> "
                   "{:.4f} per tower (a constant scores {:.4f})", p.pairs, p.seconds, p.first_loss, p.last_loss, p.target_variance);
    if (const auto& p = result.image_pretrain; p.pairs > 0)
      spdlog::info("before epoch 1, pretrained the image branch on {} random pairs of gene images in {:.0f} s: correlation read-out "
                   "error {:.4f} -> {:.4f} (a constant scores {:.4f})", p.pairs, p.seconds, p.first_loss, p.last_loss, p.target_variance);
    if (topt.balance == "target")
      spdlog::info("balance target: the loss used {} of the {} training pairs (those whose target has both classes)",
                   result.trained_pairs, split.train.size());
    if (const auto& c = result.prior_calibration; c.applied)
      spdlog::info("output layer refit on {} validation pairs: images x {:.3f}{}, prior weight {:.3f}, bias {:.3f}", c.pairs,
                   c.image_scale, c.image_scale == 0 ? " (the images ranked held-out TFs against their labels: the prior alone)" : "",
                   c.prior_weight, c.bias);
    if (fitted.on_plateau && writer) spdlog::warn("{}", model::plateau_advice(topt, result));
    model::DeepDrim& net = fitted.net;
    const nlohmann::json& meta = fitted.meta;
    if (!writer) return;
    model::save_model(out, net, meta);
    std::error_code ec;
    std::filesystem::remove(topt.checkpoint, ec);
    double secs = 0, trained_pairs = 0;
    for (const auto& h : result.history) {
      secs += h.seconds;
      trained_pairs += h.pairs_per_s * h.seconds;
    }
    cli::emit_summary(run, nlohmann::json{{"tool", "drim-train"}, {"model", out}, {"epochs", result.history.size()},
                                {"best_epoch", result.best_epoch},
                                {"val_auroc", validated ? nlohmann::json(best.val_auroc) : nlohmann::json()},
                                {"val_auprc", validated ? nlohmann::json(best.val_auprc) : nlohmann::json()},
                                {"train_seconds", secs}, {"train_pairs_per_s", secs > 0 ? trained_pairs / secs : 0.0}});
  });
}
