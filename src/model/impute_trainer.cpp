#include "drim/model/impute_trainer.hpp"

#include <chrono>
#include <filesystem>

#include "drim/error.hpp"
#include "drim/progress.hpp"
#include "drim/temp_path.hpp"

namespace drim::model {

nlohmann::json to_json(const ImputeEpoch& e) {
  return {{"epoch", e.epoch}, {"loss", e.loss}, {"pixel_l1", e.pixel_l1}, {"fft_l1", e.fft_l1}, {"lr", e.lr}, {"seconds", e.seconds}};
}

ImputeEpoch impute_epoch_from_json(const nlohmann::json& j) {
  return {j.at("epoch"), j.at("loss"), j.at("pixel_l1"), j.at("fft_l1"), j.at("lr"), j.at("seconds")};
}

std::pair<torch::Tensor, torch::Tensor> mask_genomaps(const torch::Tensor& images, const torch::Tensor& ratios, float placeholder,
                                                      const torch::Tensor& candidates) {
  const auto B = images.size(0);
  const auto flat = images.reshape({B, -1});
  const auto nonzero = candidates.defined() ? candidates.reshape({1, -1}).to(flat.device()).expand_as(flat) : flat > 0;
  // Random keys, non-zero pixels first (keys in [0, 1)), the rest last (key 2): the k smallest
  // keys of an image are k of its non-zero pixels drawn uniformly.
  const auto keys = torch::where(nonzero, torch::rand(flat.sizes(), flat.options()), torch::full_like(flat, 2.0));
  const auto rank = keys.argsort(/*dim=*/1, /*descending=*/false).argsort(1, false);
  const auto count = torch::floor(ratios.to(torch::kDouble) * nonzero.sum(1).to(torch::kDouble) + 0.5).to(torch::kLong);
  const auto mask = (rank < count.unsqueeze(1)) & nonzero;
  const auto masked = torch::where(mask, torch::full_like(flat, placeholder), flat);
  return {masked.view(images.sizes()), mask.view(images.sizes())};
}

torch::Tensor fft_l1(const torch::Tensor& a, const torch::Tensor& b) {
  return torch::abs(torch::fft::fft2(a - b, c10::nullopt, {-2, -1}, "ortho")).mean();
}

std::vector<ImputeEpoch> train_er_net(ErNet& net, const torch::Tensor& images, const torch::Tensor& gene_pixels,
                                      const ImputeTrainOptions& opts, torch::Device device,
                                      const std::function<void(const ImputeEpoch&)>& on_epoch) {
  if (images.dim() != 4 || images.size(1) != 1) throw Error("ER-Net training: images must be [cells, 1, rows, cols]");
  if (!(opts.mask_min >= 0 && opts.mask_min <= opts.mask_max && opts.mask_max <= 1))
    throw Error("mask ratios must satisfy 0 <= min <= max <= 1, got " + std::to_string(opts.mask_min) + " and " +
                std::to_string(opts.mask_max));
  if (opts.batch < 1 || opts.epochs < 1) throw Error("ER-Net training: --batch and --epochs must be >= 1");
  net->to(device);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(opts.lr));
  std::vector<ImputeEpoch> history;
  int first = 1;
  if (opts.resume) {
    if (opts.checkpoint.empty() || !std::filesystem::exists(opts.checkpoint))
      throw Error("--resume needs an existing checkpoint, " + quote(opts.checkpoint) + " is missing");
    torch::serialize::InputArchive ar, model_ar, opt_ar;
    ar.load_from(opts.checkpoint, device);
    ar.read("model", model_ar);
    net->load(model_ar);
    ar.read("optimizer", opt_ar);
    optimizer.load(opt_ar);
    c10::IValue state;
    ar.read("state", state);
    const auto saved = nlohmann::json::parse(state.toStringRef());
    for (const auto& e : saved.at("history")) history.push_back(impute_epoch_from_json(e));
    first = static_cast<int>(history.size()) + 1;
  }
  const long N = images.size(0);
  for (int epoch = first; epoch <= opts.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    torch::manual_seed(opts.seed * 1000003ULL + epoch);
    const double lr = opts.lr * std::pow(0.5, opts.halve_every > 0 ? (epoch - 1) / opts.halve_every : 0);
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    const auto order = torch::randperm(N, torch::kLong);
    net->train();
    Progress bar(static_cast<std::size_t>(N), "epoch " + std::to_string(epoch), opts.progress, "cells");
    double pix_sum = 0, fft_sum = 0;
    for (long start = 0; start < N; start += opts.batch) {
      const long count = std::min<long>(opts.batch, N - start);
      const auto target = images.index_select(0, order.narrow(0, start, count)).to(device);
      const auto ratios = torch::rand({count}, target.options()) * (opts.mask_max - opts.mask_min) + opts.mask_min;
      const auto input = mask_genomaps(target, ratios, opts.placeholder, opts.mask_zeros ? gene_pixels : torch::Tensor()).first;
      optimizer.zero_grad();
      const auto pred = net->forward(input);
      const auto pix = opts.squared ? torch::mse_loss(pred, target) : torch::l1_loss(pred, target);
      const auto freq = fft_l1(pred, target);
      (pix + opts.fft_weight * freq).backward();
      optimizer.step();
      pix_sum += pix.item<double>() * count;
      fft_sum += freq.item<double>() * count;
      bar.update(static_cast<std::size_t>(start + count));
    }
    bar.finish();
    ImputeEpoch rec;
    rec.epoch = epoch;
    rec.pixel_l1 = pix_sum / N;
    rec.fft_l1 = fft_sum / N;
    rec.loss = rec.pixel_l1 + opts.fft_weight * rec.fft_l1;
    rec.lr = lr;
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    history.push_back(rec);
    if (on_epoch) on_epoch(rec);
    if (!opts.checkpoint.empty()) {
      torch::serialize::OutputArchive ar, model_ar, opt_ar;
      net->save(model_ar);
      optimizer.save(opt_ar);
      ar.write("model", model_ar);
      ar.write("optimizer", opt_ar);
      nlohmann::json h = nlohmann::json::array();
      for (const auto& e : history) h.push_back(to_json(e));
      ar.write("state", c10::IValue(nlohmann::json{{"history", h}}.dump()));
      TempPath tmp(opts.checkpoint);
      ar.save_to(tmp.path());
      tmp.commit();
    }
  }
  net->eval();
  return history;
}

torch::Tensor restore_genomaps(ErNet& net, const torch::Tensor& images, const torch::Tensor& gene_pixels, const RestoreOptions& opts,
                               torch::Device device) {
  if (opts.groups < 1 || opts.rounds < 1) throw Error("restoration needs groups and rounds >= 1");
  torch::NoGradGuard guard;
  net->eval();
  net->to(device);
  torch::manual_seed(opts.seed);
  const auto genes = gene_pixels.view({1, 1, images.size(2), images.size(3)}).to(device);
  std::vector<torch::Tensor> parts;
  for (long start = 0; start < images.size(0); start += opts.batch) {
    const auto x = images.narrow(0, start, std::min<long>(opts.batch, images.size(0) - start)).to(device);
    auto sum = torch::zeros_like(x);
    for (int r = 0; r < opts.rounds; ++r) {
      const auto group = torch::randint(opts.groups, x.sizes(), torch::TensorOptions().dtype(torch::kLong).device(device));
      for (int k = 0; k < opts.groups; ++k) {
        const auto m = genes & (group == k);
        const auto pred = net->forward(torch::where(m, torch::full_like(x, opts.placeholder), x)).clamp(0, 1);
        sum += torch::where(m, pred, torch::zeros_like(pred));
      }
    }
    parts.push_back((sum / opts.rounds).to(torch::kCPU));
  }
  return torch::cat(parts, 0);
}

}  // namespace drim::model
