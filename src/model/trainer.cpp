#include "drim/model/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <future>
#include <limits>
#include <memory>
#include <numeric>
#include <random>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include "drim/baselines.hpp"
#include "drim/batch_order.hpp"
#include "drim/error.hpp"
#include "drim/metrics.hpp"
#include "drim/progress.hpp"
#include "drim/target_balance.hpp"
#include "drim/temp_path.hpp"
#include "drim/model/bf16_autocast.hpp"
#include "drim/model/collectives.hpp"
#include "drim/model/frozen_tower.hpp"
#include "drim/model/lr_schedule.hpp"
#include "drim/model/preset.hpp"

namespace drim::model {

torch::Tensor batch_images(const PairImageSource& source, const std::vector<std::size_t>& rows, std::size_t first,
                           std::size_t count, bool parallel, const CellSample* cells) {
  const int k = source.images_per_pair();
  torch::Tensor t = torch::empty({static_cast<long>(count), k, 32, 32}, torch::kFloat32);
  float* data = t.data_ptr<float>();
  const std::size_t per = static_cast<std::size_t>(k) * kImagePixels;
  auto fill = [&](long begin, long end) {
    for (long i = begin; i < end; ++i) {
      if (cells) source.resampled_images(rows[first + i], data + i * per, *cells);
      else source.images(rows[first + i], data + i * per);
    }
  };
  // LibTorch's thread pool, not a second OpenMP runtime (see PairScorer::context_terms).
  if (parallel) at::parallel_for(0, static_cast<long>(count), 4, fill);
  else fill(0, static_cast<long>(count));
  return t;
}

namespace {

/// Probabilities for `rows`, each rank of `group` scoring its share and the shares gathered.
std::vector<double> predict_shared(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                                   torch::Device device, Collectives* group) {
  if (!group) return predict_rows(net, source, rows, device);
  const long total = static_cast<long>(rows.size());
  const RowShare mine = share_rows(total, group->rank(), group->size());
  const std::vector<std::size_t> part(rows.begin() + mine.first, rows.begin() + mine.first + mine.count);
  std::vector<double> padded = predict_rows(net, source, part, device);
  padded.resize(share_rows(total, 0, group->size()).count);  // rank 0's share is the largest
  torch::Tensor all = group->all_gather(torch::tensor(padded, torch::kFloat64)).contiguous();
  std::vector<double> out;
  for (int r = 0; r < group->size(); ++r) {
    const double* row = all[r].data_ptr<double>();
    out.insert(out.end(), row, row + share_rows(total, r, group->size()).count);
  }
  return out;
}

/// Loss, accuracy, AUROC and AUPRC of `net` on the rows, in eval mode.
void evaluate(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows, torch::Device device,
              EpochRecord& rec, Collectives* group) {
  if (rows.empty()) return;
  auto probs = predict_shared(net, source, rows, device, group);
  std::vector<int> labels;
  double loss = 0.0;
  for (std::size_t i = 0; i < probs.size(); ++i) {
    labels.push_back(source.pair(rows[i]).label);
    double p = std::clamp(probs[i], 1e-7, 1.0 - 1e-7);
    loss -= labels.back() ? std::log(p) : std::log(1.0 - p);
  }
  rec.val_loss = loss / probs.size();
  rec.val_accuracy = accuracy(probs, labels);
  rec.val_auroc = auroc(probs, labels);
  rec.val_auprc = auprc(probs, labels);
}

/// Converts the floating-point parameters and buffers of `net` to `type` (Module::to would convert
/// the batch-norm step counters too).
void to_type(DeepDrim& net, torch::ScalarType type) {
  torch::NoGradGuard g;
  for (auto& p : net->parameters()) p.set_data(p.to(type));
  for (auto& b : net->buffers())
    if (b.is_floating_point()) b.set_data(b.to(type));
}

/// Copies of every parameter and buffer (batch-norm statistics), to restore the best epoch.
std::vector<torch::Tensor> snapshot(DeepDrim& net) {
  std::vector<torch::Tensor> s;
  for (auto& p : net->parameters()) s.push_back(p.detach().clone());
  for (auto& b : net->buffers()) s.push_back(b.detach().clone());
  return s;
}

void restore(DeepDrim& net, const std::vector<torch::Tensor>& s) {
  torch::NoGradGuard g;
  auto params = net->parameters();
  auto buffers = net->buffers();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(s[i]);
  for (std::size_t i = 0; i < buffers.size(); ++i) buffers[i].copy_(s[params.size() + i]);
}

}  // namespace

torch::Tensor logits_rows(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                          torch::Device device, int batch) {
  torch::NoGradGuard guard;
  net->to(device);
  const bool was_training = net->is_training();
  net->eval();
  std::vector<torch::Tensor> out;
  const std::vector<LabelledPair> pairs = net->opts.prior_features > 0 ? source.pairs() : std::vector<LabelledPair>{};
  for (std::size_t first = 0; first < rows.size(); first += batch) {
    const std::size_t count = std::min<std::size_t>(batch, rows.size() - first);
    torch::Tensor prior;
    if (net->opts.prior_features > 0) {
      std::vector<int> tf(count), target(count);
      for (std::size_t i = 0; i < count; ++i) {
        const auto& p = pairs[rows[first + i]];
        tf[i] = p.tf;
        target[i] = p.target;
      }
      prior = net->prior_input(tf, target);
    }
    out.push_back(net->forward(batch_images(source, rows, first, count).to(device), prior).to(torch::kCPU));
  }
  net->train(was_training);
  return out.empty() ? torch::empty({0}) : torch::cat(out);
}

std::vector<double> predict_rows(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                                 torch::Device device, int batch) {
  const torch::Tensor p = torch::sigmoid(logits_rows(net, source, rows, device, batch)).to(torch::kFloat64).contiguous();
  return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
}

std::vector<double> predict_naive(DeepDrim& net, const ImageContext& ctx, const std::vector<int>& tf,
                                  const std::vector<int>& target, torch::Device device, int batch, const GeneImageLookup* genes) {
  std::vector<LabelledPair> pairs;
  for (std::size_t i = 0; i < tf.size(); ++i) pairs.push_back({tf[i], target[i], 0});
  std::vector<std::size_t> rows(pairs.size());
  std::iota(rows.begin(), rows.end(), 0);
  ContextPairImages base(ctx, std::move(pairs));
  if (!net->uses_gene_images()) return predict_rows(net, base, rows, device, batch);
  if (!genes) throw Error("a " + to_string(net->opts.kind) + " model scores pairs with the genes' images; none given");
  return predict_rows(net, GeneImagePairs(base, *genes, net->opts.kind == ModelKind::ImageOnly), rows, device, batch);
}

namespace {

/// The output layer's prior weight and bias set to the logistic regression of the training
/// labels on the prior feature alone: training starts from the prior's ranking (the image part
/// of a zero-initialised output layer adds nothing yet) and the images refine it. Without this,
/// one weight that starts at 0 moves too slowly at the recipe's learning rate to carry the prior.
void start_from_prior(DeepDrim& net, const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows) {
  std::vector<int> tf, target, labels;
  for (std::size_t r : rows) {
    tf.push_back(pairs[r].tf);
    target.push_back(pairs[r].target);
    labels.push_back(pairs[r].label > 0 ? 1 : 0);
  }
  const auto f = net->in_degree.features(tf, target);
  const auto w = fit_logistic({std::vector<double>(f.begin(), f.end())}, labels);
  torch::NoGradGuard guard;
  net->out->weight.select(1, net->out->weight.size(1) - 1).fill_(w[1]);  // the prior's column is the last
  net->out->bias.fill_(w[0]);
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(DeepDrim& net, const TrainOptions& o) {
  if (o.optimizer == "sgd")
    return std::make_unique<torch::optim::SGD>(
        net->parameters(), torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.nesterov).weight_decay(o.weight_decay));
  if (o.optimizer == "adam")
    return std::make_unique<torch::optim::Adam>(net->parameters(), torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
  return std::make_unique<torch::optim::AdamW>(net->parameters(), torch::optim::AdamWOptions(o.lr).weight_decay(o.weight_decay));
}

/// This process's part of a global batch: the source rows whose images it builds, the pairs it
/// trains on (their labels and genes), and with the shared-gene step the batch's SharedGenes.
struct BatchPlan {
  std::vector<std::size_t> image_rows;
  std::vector<float> labels;
  std::vector<float> weights;  ///< loss weights; empty: every pair weighs 1
  std::vector<int> tf, target;
  BatchSlice slice;
  bool shared = false;
  SharedGenes genes;
};

BatchPlan plan_batch(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& batch, bool shared, Collectives* group,
                     torch::Device device, const std::vector<float>& row_weight) {
  BatchPlan plan;
  plan.shared = shared;
  const long total = static_cast<long>(batch.size());
  const int rank = group ? group->rank() : 0, size = group ? group->size() : 1;
  const RowShare mine = share_rows(total, rank, size);
  for (long i = mine.first; i < mine.first + mine.count; ++i) {
    const auto& p = pairs[batch[i]];
    plan.labels.push_back(static_cast<float>(p.label));
    if (!row_weight.empty()) plan.weights.push_back(row_weight[batch[i]]);
    plan.tf.push_back(p.tf);
    plan.target.push_back(p.target);
  }
  if (group) plan.slice = {mine.first, total};
  if (shared) {
    std::vector<int> tf, target;
    for (std::size_t r : batch) {
      tf.push_back(pairs[r].tf);
      target.push_back(pairs[r].target);
    }
    plan.genes = group ? share_genes(tf, target, device, rank, size) : share_genes(tf, target, device);
    if (group)
      for (long position : plan.genes.rows) plan.image_rows.push_back(batch[position]);
    else
      plan.image_rows = batch;
  } else {
    plan.image_rows.assign(batch.begin() + mine.first, batch.begin() + mine.first + mine.count);
  }
  return plan;
}

/// Builds a batch's images; `parallel` false on the prefetch thread, which must not start an
/// OpenMP team of its own beside LibTorch's.
torch::Tensor build_images(const PairImageSource& source, const std::vector<std::size_t>& rows, bool parallel, const CellSample* cells) {
  return batch_images(source, rows, 0, rows.size(), parallel, cells);
}

/// FNV-1a of `bytes`, as 16 hex digits: what the ranks compare before they train.
std::string digest(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

/// Clears the towers' Collectives when training ends, however it ends.
struct SyncGuard {
  DeepDrim& net;
  SyncGuard(DeepDrim& n, Collectives* group) : net(n) { net->set_sync(group); }
  ~SyncGuard() { net->set_sync(nullptr); }
};

}  // namespace

DeepDrimOptions model_options(const TrainOptions& opts, ModelKind kind, int neighbors) {
  DeepDrimOptions m;
  m.kind = kind;
  m.neighbors = neighbors;
  m.tower_dropout = opts.tower_dropout;
  m.head_dropout = opts.head_dropout;
  m.norm = parse_norm(opts.norm);
  m.he_init = opts.init == "he";
  m.aux_head = (kind == ModelKind::DeepDrim || kind == ModelKind::Fusion) && opts.aux_weight > 0;
  m.prior_features = opts.prior == "in-degree" ? 1 : 0;
  m.late_fusion = kind == ModelKind::Fusion && opts.fusion == "late";
  return m;
}

bool shared_gene_step_exact(const TrainOptions& opts) { return opts.tower_dropout == 0.0 && opts.norm != "batch"; }

TrainResult train(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& train_rows,
                  const std::vector<std::size_t>& validation_rows, const TrainOptions& opts, torch::Device device,
                  const EpochCallback& on_epoch) {
  if (train_rows.empty()) throw Error("no training pairs");
  validate(opts);
  if (net->images_per_pair() != source.images_per_pair())
    throw Error("the model takes " + std::to_string(net->images_per_pair()) + " images per pair but the images have " +
                std::to_string(source.images_per_pair()));
  if (opts.aux_weight > 0 && !net->aux_fc1 && net->has_neighbors())
    throw Error("an auxiliary loss weight " + quote(std::to_string(opts.aux_weight)) + " needs a model built with the auxiliary head");
  if (opts.resample_cells && source.cell_count() == 0)
    throw Error("--resample-cells rebuilds the training images from a resample of the cells, but these images were read from a "
                "file; train from the expression matrix (--expr) or without --resample-cells (--no-resample-cells)");
  const bool bf16 = opts.precision == "bf16";
  if (bf16 && device.is_cpu() && !bf16_available())
    throw Error("--precision bf16 needs a CPU with AVX-512 BF16 or AMX (and oneDNN) or a CUDA device; this CPU has neither; use fp32");
  net->to(device);
  // fp64: float64 weights, images, loss and optimiser state in the supervised epochs (pretraining
  // stays float32); the weights return to float32 at the end, so the model file is the usual one.
  const torch::ScalarType dtype = opts.precision == "fp64" ? torch::kFloat64 : torch::kFloat32;
  auto optimizer = make_optimizer(net, opts);
  TrainResult result;
  const auto all_pairs = source.pairs();
  const LossRows trained = loss_rows(all_pairs, train_rows, opts.balance);
  const std::vector<std::size_t>& rows = trained.rows;
  const std::vector<float>& row_weight = trained.weight;
  const bool hold_prior = holds_prior(opts) && net->opts.prior_features > 0;
  if (hold_prior && validation_rows.empty())
    throw Error("prior training 'held' (implied by balance 'target') weighs the prior on the validation pairs after training, "
                "but there are no validation pairs (hold some TFs out, or use prior training 'feature' and balance 'none')");
  result.trained_pairs = rows.size();
  std::size_t positives = 0;
  for (std::size_t row : rows) positives += all_pairs[row].label > 0 ? 1 : 0;
  result.positive_fraction = row_weight.empty() ? static_cast<double>(positives) / rows.size() : 0.5;
  std::vector<torch::Tensor> best;
  double best_acc = -std::numeric_limits<double>::infinity();
  int first_epoch = 1;
  long step = 0;

  if (opts.resume) {
    if (opts.checkpoint.empty() || !std::filesystem::exists(opts.checkpoint))
      throw Error("--resume needs an existing checkpoint, " + quote(opts.checkpoint) + " is missing");
    torch::serialize::InputArchive ar, model_ar, opt_ar, best_ar;
    to_type(net, dtype);
    ar.load_from(opts.checkpoint, device);
    ar.read("model", model_ar);
    net->load(model_ar);
    ar.read("optimizer", opt_ar);
    optimizer->load(opt_ar);
    c10::IValue state;
    ar.read("state", state);
    auto j = nlohmann::json::parse(state.toStringRef());
    for (const auto& e : j.at("history")) result.history.push_back(e.get<EpochRecord>());
    result.best_epoch = j.at("best_epoch");
    best_acc = j.at("best_acc");
    step = j.at("step");
    first_epoch = static_cast<int>(result.history.size()) + 1;
    if (ar.try_read("best", best_ar)) {
      DeepDrim tmp(net->opts);
      tmp->load(best_ar);
      tmp->to(device);
      best = snapshot(tmp);
    }
  }

  if (!opts.resume) result.pretrain = pretrain_towers(net, source, opts, device);
  if (!opts.resume) result.image_pretrain = pretrain_image_tower(net, source, opts, device);

  to_type(net, dtype);
  if (!opts.resume && hold_prior) {
    torch::NoGradGuard guard;
    net->out->weight.select(1, net->out->weight.size(1) - 1).zero_();  // its input is 0 while training: it stays 0
  } else if (!opts.resume && net->opts.prior_features > 0) {
    start_from_prior(net, all_pairs, train_rows);
  }

  Collectives* group = collectives();
  const int rank = group ? group->rank() : 0;
  if (group) {
    std::string what = resolved_options_json(opts).dump() + " seed " + std::to_string(opts.seed) + " resume " + std::to_string(opts.resume);
    for (const auto* rows : {&train_rows, &validation_rows})
      for (std::size_t r : *rows)
        what += " " + std::to_string(r) + ":" + std::to_string(all_pairs[r].tf) + "," + std::to_string(all_pairs[r].target) + "," +
                std::to_string(all_pairs[r].label);
    group->check_same("training pairs and options", digest(what));
    torch::NoGradGuard no_grad;
    for (auto& t : net->parameters()) group->broadcast(t, 0);
    for (auto& t : net->buffers()) group->broadcast(t, 0);
  }
  SyncGuard sync_guard(net, group);

  const std::size_t n = rows.size();
  const bool has_val = !validation_rows.empty();
  // On GPUs too: the conv-bias gradient differences once seen there were ReLU's subgradient at
  // exact-zero ties under zero biases, which cuDNN's algorithms break differently (docs/cuda.md).
  const bool shared = opts.shared_genes && net->has_neighbors();
  const BatchOrder order = parse_batch_order(opts.batch_order);
  const long steps_per_epoch = static_cast<long>((n + opts.batch - 1) / opts.batch);
  for (int epoch = first_epoch; epoch <= opts.epochs; ++epoch) {
    if (opts.patience > 0 && has_val && epoch - result.best_epoch > opts.patience && result.best_epoch > 0) {
      result.stopped_early = true;
      break;
    }
    torch::manual_seed(opts.seed * 1000003ULL + epoch);
    const CellSample sample = opts.resample_cells ? bootstrap_cells(source.cell_count(), opts.seed * 2654435761ULL + epoch) : CellSample{};
    const CellSample* cells = opts.resample_cells ? &sample : nullptr;
    auto batches = make_batches(all_pairs, rows, opts.batch, order, opts.seed * 7919ULL + epoch);
    if (opts.max_batches > 0 && batches.size() > opts.max_batches) batches.resize(opts.max_batches);
    net->train();
    auto t0 = std::chrono::steady_clock::now();
    std::size_t epoch_pairs = 0;
    for (const auto& b : batches) epoch_pairs += b.size();
    Progress bar(epoch_pairs, "epoch " + std::to_string(epoch), opts.progress && rank == 0);
    std::vector<BatchPlan> plans;
    for (const auto& b : batches) plans.push_back(plan_batch(all_pairs, b, shared, group, device, row_weight));
    double loss_sum = 0.0, correct = 0.0, sync_seconds = 0.0;
    std::size_t done = 0;
    std::future<torch::Tensor> next;
    if (opts.prefetch) next = std::async(std::launch::async, build_images, std::cref(source), std::cref(plans[0].image_rows), false, cells);
    for (std::size_t bi = 0; bi < batches.size(); ++bi) {
      const BatchPlan& plan = plans[bi];
      torch::Tensor images = opts.prefetch ? next.get() : build_images(source, plan.image_rows, true, cells);
      if (opts.prefetch && bi + 1 < batches.size())
        next = std::async(std::launch::async, build_images, std::cref(source), std::cref(plans[bi + 1].image_rows), false, cells);
      const long count = static_cast<long>(batches[bi].size());
      torch::Tensor x = images.to(device, dtype), y = torch::tensor(plan.labels, torch::kFloat32).to(device, dtype);
      const torch::Tensor weight = plan.weights.empty() ? torch::Tensor() : torch::tensor(plan.weights, torch::kFloat32).to(device, dtype);
      torch::Tensor prior = net->prior_input(plan.tf, plan.target);
      if (hold_prior) prior = torch::zeros_like(prior);
      const double lr = learning_rate(opts, step, steps_per_epoch);
      for (auto& g : optimizer->param_groups()) g.options().set_lr(lr);
      optimizer->zero_grad();
      torch::Tensor logits, aux;
      {
        Bf16Autocast autocast(bf16, device);
        std::tie(logits, aux) = net->forward_train(x, plan.shared ? &plan.genes : nullptr, prior, plan.slice);
      }
      logits = logits.to(dtype);
      if (aux.defined()) aux = aux.to(dtype);
      // Sums over this process's pairs divided by the global batch: summed over the ranks, the batch
      // mean one process would take. Late fusion's auxiliary logits: a column (and loss) per branch.
      auto bce = [&](const torch::Tensor& z) {
        auto rows = [&](const torch::Tensor& t) { return t.defined() && z.dim() == 2 ? t.unsqueeze(1).expand_as(z) : t; };
        return torch::binary_cross_entropy_with_logits(z, rows(y), rows(weight), {}, at::Reduction::Sum) / static_cast<double>(count);
      };
      torch::Tensor loss = bce(logits);
      (aux.defined() && opts.aux_weight > 0 ? loss + opts.aux_weight * bce(aux) : loss).backward();
      if (group) {
        const auto s0 = std::chrono::steady_clock::now();
        all_reduce_gradients(*net, *group);
        sync_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
      }
      if (opts.clip_norm > 0) torch::nn::utils::clip_grad_norm_(net->parameters(), opts.clip_norm);
      optimizer->step();
      ++step;
      loss_sum += loss.item<double>() * count;
      correct += ((logits >= 0) == (y > 0.5)).sum().item<long>();
      done += count;
      bar.update(done);
    }
    bar.finish();
    if (group) {
      torch::Tensor sums = torch::tensor({loss_sum, correct}, torch::kFloat64);
      group->all_reduce_sum(sums);
      loss_sum = sums[0].item<double>();
      correct = sums[1].item<double>();
    }
    EpochRecord rec;
    rec.epoch = epoch;
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rec.pairs_per_s = done / rec.seconds;
    rec.loss = loss_sum / done;
    rec.accuracy = correct / done;
    rec.gradient_sync_seconds = sync_seconds;
    evaluate(net, source, validation_rows, device, rec, group);
    result.history.push_back(rec);
    const double score = !has_val                       ? -rec.loss
                         : opts.monitor == "val_auroc" ? rec.val_auroc
                         : opts.monitor == "val_loss"  ? -rec.val_loss
                                                       : rec.val_accuracy;
    if (score > best_acc) {
      best_acc = score;
      result.best_epoch = epoch;
      best = snapshot(net);
    }
    if (on_epoch) on_epoch(rec);
    if (!opts.checkpoint.empty() && rank == 0) {
      torch::serialize::OutputArchive ar, model_ar, opt_ar, best_ar;
      net->save(model_ar);
      optimizer->save(opt_ar);
      ar.write("model", model_ar);
      ar.write("optimizer", opt_ar);
      nlohmann::json state = {{"history", result.history}, {"best_epoch", result.best_epoch}, {"best_acc", best_acc}, {"step", step}};
      ar.write("state", c10::IValue(state.dump()));
      DeepDrim best_net(net->opts);
      best_net->to(device);
      restore(best_net, best);
      best_net->save(best_ar);
      ar.write("best", best_ar);
      TempPath tmp(opts.checkpoint);
      ar.save_to(tmp.path());
      tmp.commit();
    }
  }
  if (!best.empty()) restore(net, best);
  if (opts.prior_calibration == "validation")
    result.prior_calibration = calibrate_prior(net, source, validation_rows, device);
  to_type(net, torch::kFloat32);
  net->eval();
  return result;
}

}  // namespace drim::model
