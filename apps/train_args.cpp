#include "train_args.hpp"

#include <map>

#include "cli_common.hpp"

#include <spdlog/spdlog.h>

#include "drim/distributed/gloo_collectives.hpp"
#include "drim/error.hpp"
#include "drim/model/collectives.hpp"
#include "drim/model/preset.hpp"
#include "drim/pairs.hpp"

namespace drim::cli {

void add_train_options(CLI::App& app, TrainArgs& a) {
  auto& t = a.opts;
  t = model::preset_options("drim");  // --help shows the default preset's values
  app.add_option("--preset", a.preset,
                 "Training recipe: drim (the measured best: BatchNorm towers, He init, AdamW with warm-up and cosine decay, auxiliary CNNC loss; "
                 "docs/training-recipe.md) or reference (the paper's: SGD 0.01 Nesterov, dropout 0.25/0.5, 200 epochs). "
                 "Options below override it")
      ->check(CLI::IsMember(model::preset_names()))->capture_default_str();
  app.add_option("--model", a.kind, "Network: deepdrim, cnnc (primary image only), fusion (DeepDRIM plus an image branch on the two "
                                    "genes' images: --gene-images or --spatial) or image-only (the image branch alone)")
      ->check(CLI::IsMember({"deepdrim", "cnnc", "fusion", "image-only"}))->capture_default_str();
  app.add_option("--optimizer", t.optimizer, "sgd (Nesterov momentum, the reference), adam or adamw")
      ->check(CLI::IsMember({"sgd", "adam", "adamw"}))->capture_default_str();
  app.add_option("--epochs", t.epochs, "Maximum epochs")->capture_default_str()->check(positive());
  app.add_option("--batch", t.batch, "Pairs per step")->capture_default_str()->check(positive());
  app.add_option("--lr", t.lr, "Peak learning rate")->capture_default_str()->check(positive());
  app.add_option("--momentum", t.momentum, "SGD momentum")->capture_default_str();
  app.add_flag("--no-nesterov", a.no_nesterov, "Plain momentum instead of Nesterov");
  app.add_option("--decay", t.decay, "With --schedule keras: lr / (1 + decay * step)")->capture_default_str();
  app.add_option("--weight-decay", t.weight_decay, "Weight decay (decoupled for adamw)")->capture_default_str()->check(non_negative());
  app.add_option("--schedule", t.schedule, "Learning rate after the warm-up: keras (the reference's decay) or cosine (to 0 at the last epoch)")
      ->check(CLI::IsMember({"keras", "cosine"}))->capture_default_str();
  app.add_option("--warmup", t.warmup_epochs, "Linear learning-rate warm-up, in epochs")->capture_default_str()->check(non_negative());
  app.add_option("--clip-norm", t.clip_norm, "Clip the gradients' global norm to this (0 = off)")->capture_default_str()->check(non_negative());
  app.add_option("--tower-dropout", t.tower_dropout, "Dropout after each conv block while training (reference 0.25)")
      ->capture_default_str()->check(CLI::Range(0.0, 0.99));
  app.add_option("--head-dropout", t.head_dropout, "Dropout in the MLP head while training (reference 0.5)")
      ->capture_default_str()->check(CLI::Range(0.0, 0.99));
  app.add_option("--norm", t.norm, "Normalisation after each tower convolution: none (reference), group or batch")
      ->check(CLI::IsMember({"none", "group", "batch"}))->capture_default_str();
  app.add_option("--init", t.init, "Weight initialisation: glorot (Keras, the reference) or he")
      ->check(CLI::IsMember({"glorot", "he"}))->capture_default_str();
  app.add_option("--aux-weight", t.aux_weight, "DeepDRIM: weight of an auxiliary CNNC loss on tower A (0 = none)")
      ->capture_default_str()->check(non_negative());
  app.add_option("--prior", t.prior,
                 "in-degree: the model also takes the target's in-degree in the training network (a leave-one-TF-out count; "
                 "stored in the model file, used by drim-predict); none (reference)")
      ->check(CLI::IsMember({"none", "in-degree"}))->capture_default_str();
  app.add_option("--prior-calibration", t.prior_calibration,
                 "With --prior: validation refits the output layer on the validation pairs (held-out TFs) after training, "
                 "weighing the images against the prior; none keeps the trained layer")
      ->check(CLI::IsMember({"validation", "none"}))->capture_default_str();
  app.add_option("--prior-training", t.prior_training,
                 "With --prior: feature (an input from the first step) or held (weight 0 while training, the images learn "
                 "alone; the refit on the validation TFs weighs the prior after)")
      ->check(CLI::IsMember({"feature", "held"}))->capture_default_str();
  app.add_option("--balance", t.balance,
                 "Loss weights: none (reference); target: each target's positive and negative pairs weigh the same, so the "
                 "images learn which TFs regulate a target, not how popular it is (with --prior, implies --prior-training held)")
      ->check(CLI::IsMember({"none", "target"}))->capture_default_str();
  app.add_option("--batch-order", t.batch_order,
                 "Batches: random (reference), balanced (each batch at the overall positive share), target or tf (pairs of a gene together)")
      ->check(CLI::IsMember({"random", "balanced", "target", "tf"}))->capture_default_str();
  app.add_flag("--shared-genes,!--no-shared-genes", t.shared_genes,
               "Run each distinct gene's neighbour images through tower B once per batch (exact with tower dropout 0)")
      ->capture_default_str();
  app.add_flag("--prefetch,!--no-prefetch", t.prefetch, "Build the next batch's images while the current one trains")->capture_default_str();
  app.add_flag("--resample-cells,!--no-resample-cells", t.resample_cells,
               "Build each epoch's training images from a bootstrap replicate of the cells (augmentation; validation and "
               "prediction use every cell); needs --expr, not --images")
      ->capture_default_str();
  app.add_option("--precision", t.precision,
                 "Training arithmetic: fp32, or bf16 (autocast: convolutions in bfloat16, weights and optimiser in float32; "
                 "CPUs with AVX-512 BF16 or AMX, or CUDA), or fp64 (float64 throughout training, several times slower: for exactness "
                 "checks; the model is kept in float32). Validation and prediction stay fp32")
      ->check(CLI::IsMember({"fp32", "bf16", "fp64"}))->capture_default_str();
  app.add_option("--pretrain-pairs", t.pretrain_pairs,
                 "Label-free pretraining: before training, the towers learn to read the correlation of this many random gene "
                 "pairs' images (the expression towers from --expr, not --images; with --conditional also the conditional image's; "
                 "the image branch, see --pretrain-image-branch, that of two genes' images or maps). 0 = off, the reference")
      ->capture_default_str();
  app.add_option("--pretrain-image-branch", t.pretrain_image_branch,
                 "Whose image branch --pretrain-pairs also pretrains on pairs of gene images: image-only (models of that kind; "
                 "fusion's stays as initialised, measured better), all, or none")
      ->check(CLI::IsMember({"image-only", "all", "none"}))->capture_default_str();
  app.add_option("--fusion", t.fusion,
                 "Fusion models: early (the image branch's embedding joins DeepDRIM's head, SDINet's arrangement) or late "
                 "(the branch has its own head, the two logits are added, and with --aux-weight each is also trained alone)")
      ->check(CLI::IsMember({"early", "late"}))->capture_default_str();
  app.add_option("--max-batches", t.max_batches, "End each epoch after this many batches (0 = all); for benchmarks")
      ->capture_default_str();
  app.add_option("--patience", t.patience, "Early stopping: epochs without a better --monitor value (0 = off)")->capture_default_str();
  app.add_option("--monitor", t.monitor,
                 "What picks the kept epoch and drives early stopping: val_accuracy (the reference), val_auroc or val_loss")
      ->check(CLI::IsMember({"val_accuracy", "val_auroc", "val_loss"}))->capture_default_str();
  app.add_option("--val-fraction", a.val_fraction, "Fraction of training pairs held out for validation, as whole TFs")->capture_default_str();
  app.add_option("--negatives", a.negatives, "With --network: negatives per TF drawn 'uniform' or by in-'degree'")
      ->check(CLI::IsMember({"uniform", "degree"}))->capture_default_str();
  app.add_option("--negative-ratio", a.negative_ratio, "With --network: negatives per positive, per TF (reference 1)")
      ->capture_default_str()->check(CLI::Range(0.01, 1000.0));
  app.add_option("--max-positives", a.max_positives,
                 "With --network: at most N positives per TF, drawn at random (seeded); its other targets are never drawn as "
                 "negatives (0 = all)")->capture_default_str();
  app.add_option("--device", a.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}))->capture_default_str();
  app.add_option("--log", a.log, "Write one JSON line per epoch to this file");
  auto* dist = "Data-parallel training (docs/distributed.md; without these, torchrun's or Slurm's variables are read)";
  app.add_option("--dist-url", a.dist.url, "tcp://host:port where rank 0 serves the rendezvous (with --rank and --world-size)")->group(dist);
  app.add_option("--rank", a.dist.rank, "This process's rank, 0..world-size-1")->group(dist)->check(CLI::NonNegativeNumber);
  app.add_option("--world-size", a.dist.world_size, "Processes training together; each takes its share of every batch")
      ->group(dist)->check(CLI::PositiveNumber);
  app.add_option("--dist-timeout", a.dist.timeout_s,
                 "Seconds the rendezvous and each collective wait for the other ranks before every rank exits with an error")
      ->group(dist)->capture_default_str()->check(CLI::PositiveNumber);
}

int start_data_parallel(const TrainArgs& args) {
  const auto setup = distributed::resolve_dist(args.dist);
  if (!setup) return 0;
  spdlog::info("data parallel: rank {} of {} ({}), rendezvous at {}:{}", setup->rank, setup->world_size, setup->source, setup->host, setup->port);
  model::set_collectives(distributed::connect(*setup));
  spdlog::set_pattern("[%H:%M:%S] rank " + std::to_string(setup->rank) + " %^%l%$ %v");
  if (setup->rank != 0) spdlog::set_level(spdlog::level::warn);
  return setup->local_rank;
}

void resolve_train_args(const CLI::App& app, TrainArgs& a) {
  if (a.no_nesterov) a.opts.nesterov = false;
  model::apply_preset(a.opts, a.preset, [&](const std::string& option) {
    const CLI::Option* o = app.get_option_no_throw(option);
    return o != nullptr && o->count() > 0;
  });
  try {
    model::validate(a.opts);
  } catch (const Error& e) {
    throw UsageError(e.what());  // a combination of options the user gave: exit 2
  }
}

std::vector<LabelledPair> load_labelled_pairs(const std::string& pairs_path, const std::string& network_path,
                                              const std::string& tfs_path, const TrainArgs& args,
                                              std::uint64_t seed, const GeneIndex& index, bool skip_missing) {
  std::vector<LabelledPair> out;
  if (!pairs_path.empty()) {
    PairList list = read_pairs(pairs_path);
    if (!list.has_labels) throw Error(pairs_path + ": training pairs need a label on every line ('tf target 0|1'); or give --network and --tfs");
    ResolvedPairs r = resolve_pairs(list, index, skip_missing, pairs_path);
    if (r.dropped) spdlog::warn("{}: dropped {} pair(s) with genes not in the matrix", pairs_path, r.dropped);
    return labelled_pairs(r, pairs_path);
  }
  if (network_path.empty() || tfs_path.empty()) throw UsageError("give --pairs (labelled), or --network together with --tfs");
  PairList net = read_pairs(network_path);
  ResolvedPairs r = resolve_pairs(net, index, /*skip_missing=*/true, network_path);
  if (r.dropped) spdlog::warn("{}: {} of {} edges name genes not in the matrix; using the other {}", network_path, r.dropped, net.pairs.size(), r.size());
  std::vector<std::pair<int, int>> edges;
  for (std::size_t i = 0; i < r.size(); ++i) edges.emplace_back(r.tf[i], r.target[i]);
  std::vector<int> tfs;
  std::size_t unknown = 0;
  for (const auto& name : read_name_list(tfs_path)) {
    if (auto row = index.find(name)) tfs.push_back(*row);
    else ++unknown;
  }
  if (unknown) spdlog::warn("{}: {} TF(s) not in the matrix, ignored", tfs_path, unknown);
  if (tfs.empty()) throw Error(tfs_path + ": none of its TFs are genes of the expression matrix");
  out = make_training_pairs(edges, tfs, index.size(), {parse_negative_recipe(args.negatives), args.negative_ratio, args.max_positives}, seed);
  if (out.empty()) throw Error(network_path + ": no edge starts at a TF of " + quote(tfs_path));
  return out;
}

std::ofstream open_epoch_log(const std::string& path, bool append) {
  std::ofstream log;
  if (path.empty()) return log;
  log.open(path, append ? std::ios::app : std::ios::trunc);
  if (!log) throw Error("cannot write the epoch log " + quote(path));
  return log;
}


}  // namespace drim::cli
