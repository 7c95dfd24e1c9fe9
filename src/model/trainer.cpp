#include "drim/model/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <numeric>
#include <random>

#include <nlohmann/json.hpp>

#include "drim/error.hpp"
#include "drim/metrics.hpp"
#include "drim/progress.hpp"
#include "drim/temp_path.hpp"

namespace drim::model {

torch::Tensor batch_images(const PairImageSource& source, const std::vector<std::size_t>& rows, std::size_t first,
                           std::size_t count) {
  const int k = source.images_per_pair();
  torch::Tensor t = torch::empty({static_cast<long>(count), k, 32, 32}, torch::kFloat32);
  float* data = t.data_ptr<float>();
  const std::size_t per = static_cast<std::size_t>(k) * kImagePixels;
#pragma omp parallel for schedule(dynamic, 4)
  for (long i = 0; i < static_cast<long>(count); ++i) source.images(rows[first + i], data + i * per);
  return t;
}

namespace {

/// Loss, accuracy, AUROC and AUPRC of `net` on the rows, in eval mode.
void evaluate(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows, torch::Device device,
              EpochRecord& rec) {
  if (rows.empty()) return;
  auto probs = predict_rows(net, source, rows, device);
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

/// Copies of every parameter and buffer, to restore the best epoch.
std::vector<torch::Tensor> snapshot(DeepDrim& net) {
  std::vector<torch::Tensor> s;
  for (auto& p : net->parameters()) s.push_back(p.detach().clone());
  return s;
}

void restore(DeepDrim& net, const std::vector<torch::Tensor>& s) {
  torch::NoGradGuard g;
  auto params = net->parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(s[i]);
}

}  // namespace

double constant_output_loss(double positive_fraction) {
  const double p = positive_fraction;
  if (p <= 0.0 || p >= 1.0) return 0.0;
  return -p * std::log(p) - (1.0 - p) * std::log(1.0 - p);
}

bool stayed_on_plateau(const TrainResult& result, double tolerance, double min_val_auroc) {
  if (result.history.empty()) return false;
  const double flat = constant_output_loss(result.positive_fraction);
  if (std::abs(result.history.back().loss - flat) > tolerance) return false;
  for (const auto& r : result.history) {
    if (r.val_loss > 0 && r.val_auroc >= min_val_auroc) return false;
  }
  return true;
}

std::string plateau_advice(const TrainOptions& opts, const TrainResult& result) {
  std::string tries = "more --epochs" + std::string(opts.patience > 0 ? " (with --patience 0 or a larger one)" : "");
  if (opts.optimizer != "adam") tries += ", --optimizer adam --lr 0.0003";
  else if (opts.lr > 0.0003) tries += ", a smaller --lr (0.0003)";
  if (opts.tower_dropout > 0 || opts.head_dropout > 0) tries += ", --tower-dropout 0 --head-dropout 0";
  if (opts.monitor != "val_auroc") tries += ", --monitor val_auroc";
  char loss[160];
  std::snprintf(loss, sizeof loss, "%.3f, the loss of a constant output for %.0f %% positives,",
                constant_output_loss(result.positive_fraction), 100.0 * result.positive_fraction);
  return std::string("the training loss ended at ") + loss +
         " and no epoch ranked the validation pairs well: the network has not left its initial plateau, or collapsed "
         "onto it, and scores close to chance. Try " + tries + " (README, drim-simulate section: 'Dropout makes the plateau longer')";
}

std::vector<double> predict_rows(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                                 torch::Device device, int batch) {
  torch::NoGradGuard guard;
  const bool was_training = net->is_training();
  net->eval();
  std::vector<double> out;
  out.reserve(rows.size());
  for (std::size_t first = 0; first < rows.size(); first += batch) {
    const std::size_t count = std::min<std::size_t>(batch, rows.size() - first);
    auto p = torch::sigmoid(net->forward(batch_images(source, rows, first, count).to(device))).to(torch::kCPU).to(torch::kFloat64);
    out.insert(out.end(), p.data_ptr<double>(), p.data_ptr<double>() + count);
  }
  net->train(was_training);
  return out;
}

std::vector<double> predict_naive(DeepDrim& net, const ImageContext& ctx, const std::vector<int>& tf,
                                  const std::vector<int>& target, torch::Device device, int batch) {
  std::vector<LabelledPair> pairs;
  for (std::size_t i = 0; i < tf.size(); ++i) pairs.push_back({tf[i], target[i], 0});
  std::vector<std::size_t> rows(pairs.size());
  std::iota(rows.begin(), rows.end(), 0);
  return predict_rows(net, ContextPairImages(ctx, std::move(pairs)), rows, device, batch);
}

TrainResult train(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& train_rows,
                  const std::vector<std::size_t>& validation_rows, const TrainOptions& opts, torch::Device device,
                  const EpochCallback& on_epoch) {
  if (train_rows.empty()) throw Error("no training pairs");
  if (opts.monitor != "val_accuracy" && opts.monitor != "val_auroc" && opts.monitor != "val_loss")
    throw Error("unknown monitor " + quote(opts.monitor) + " (expected val_accuracy, val_auroc or val_loss)");
  if (net->images_per_pair() != source.images_per_pair())
    throw Error("the model takes " + std::to_string(net->images_per_pair()) + " images per pair but the images have " +
                std::to_string(source.images_per_pair()));
  net->to(device);
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  if (opts.optimizer == "sgd")
    optimizer = std::make_unique<torch::optim::SGD>(
        net->parameters(), torch::optim::SGDOptions(opts.lr).momentum(opts.momentum).nesterov(opts.nesterov));
  else if (opts.optimizer == "adam")
    optimizer = std::make_unique<torch::optim::Adam>(net->parameters(), torch::optim::AdamOptions(opts.lr));
  else
    throw Error("unknown optimizer " + quote(opts.optimizer) + " (expected sgd or adam)");
  TrainResult result;
  std::size_t positives = 0;
  for (std::size_t row : train_rows) positives += source.pair(row).label > 0 ? 1 : 0;
  result.positive_fraction = static_cast<double>(positives) / train_rows.size();
  std::vector<torch::Tensor> best;
  double best_acc = -std::numeric_limits<double>::infinity();
  int first_epoch = 1;
  long step = 0;

  if (opts.resume) {
    if (opts.checkpoint.empty() || !std::filesystem::exists(opts.checkpoint))
      throw Error("--resume needs an existing checkpoint, " + quote(opts.checkpoint) + " is missing");
    torch::serialize::InputArchive ar, model_ar, opt_ar, best_ar;
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

  std::vector<std::size_t> order(train_rows.size());
  const std::size_t n = train_rows.size();
  const bool has_val = !validation_rows.empty();
  for (int epoch = first_epoch; epoch <= opts.epochs; ++epoch) {
    if (opts.patience > 0 && has_val && epoch - result.best_epoch > opts.patience && result.best_epoch > 0) {
      result.stopped_early = true;
      break;
    }
    torch::manual_seed(opts.seed * 1000003ULL + epoch);
    order = train_rows;
    std::mt19937_64 rng(opts.seed * 7919ULL + epoch);
    std::shuffle(order.begin(), order.end(), rng);
    net->train();
    auto t0 = std::chrono::steady_clock::now();
    Progress bar(n, "epoch " + std::to_string(epoch), opts.progress);
    double loss_sum = 0.0;
    std::size_t correct = 0;
    for (std::size_t first = 0; first < n; first += opts.batch) {
      const std::size_t count = std::min<std::size_t>(opts.batch, n - first);
      std::vector<float> label(count);
      for (std::size_t i = 0; i < count; ++i) label[i] = static_cast<float>(source.pair(order[first + i]).label);
      torch::Tensor x = batch_images(source, order, first, count).to(device);
      torch::Tensor y = torch::from_blob(label.data(), {static_cast<long>(count)}, torch::kFloat32).clone().to(device);
      for (auto& group : optimizer->param_groups()) group.options().set_lr(opts.lr / (1.0 + opts.decay * step));
      optimizer->zero_grad();
      torch::Tensor logits = net->forward(x);
      torch::Tensor loss = torch::binary_cross_entropy_with_logits(logits, y);
      loss.backward();
      optimizer->step();
      ++step;
      loss_sum += loss.item<double>() * count;
      correct += ((logits >= 0) == (y > 0.5)).sum().item<long>();
      bar.update(first + count);
    }
    bar.finish();
    EpochRecord rec;
    rec.epoch = epoch;
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rec.pairs_per_s = n / rec.seconds;
    rec.loss = loss_sum / n;
    rec.accuracy = static_cast<double>(correct) / n;
    evaluate(net, source, validation_rows, device, rec);
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
    if (!opts.checkpoint.empty()) {
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
  net->eval();
  return result;
}

}  // namespace drim::model
