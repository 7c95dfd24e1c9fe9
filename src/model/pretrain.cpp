#include "drim/model/pretrain.hpp"

#include <chrono>
#include <numeric>
#include <string>
#include <vector>

#include <ATen/Parallel.h>

#include "drim/error.hpp"
#include "drim/pretrain_pairs.hpp"
#include "drim/progress.hpp"

namespace drim::model {

nlohmann::json pretrain_json(const PretrainResult& r) {
  return {{"pairs", r.pairs}, {"first_loss", r.first_loss}, {"last_loss", r.last_loss}, {"target_variance", r.target_variance},
          {"seconds", r.seconds}};
}

PretrainResult pretrain_from_json(const nlohmann::json& j) {
  PretrainResult r;
  r.pairs = j.at("pairs").get<std::size_t>();
  r.first_loss = j.at("first_loss").get<double>();
  r.last_loss = j.at("last_loss").get<double>();
  r.target_variance = j.at("target_variance").get<double>();
  r.seconds = j.at("seconds").get<double>();
  return r;
}

namespace {

constexpr long kPretrainBatch = 64;

/// Tower A's input [B, primary_images, 32, 32], tower B's [B, 1, 32, 32] (I(a, b), the first
/// channel of tower A's) and the targets [B, primary_images]: the correlation each primary image
/// shows (I(a, b), and I(a, b | K) with a conditional image), of the pairs [first, first + count).
struct PretrainBatch {
  torch::Tensor primary, target;
};

PretrainBatch build_batch(const ImageContext& ctx, const std::vector<std::pair<int, int>>& pairs, std::size_t first, long count) {
  const int k = ctx.primary_images();
  PretrainBatch b;
  b.primary = torch::empty({count, k, 32, 32}, torch::kFloat32);
  b.target = torch::empty({count, k}, torch::kFloat32);
  float* img = b.primary.data_ptr<float>();
  float* tgt = b.target.data_ptr<float>();
  at::parallel_for(0, count, 4, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) {
      const auto [a, g] = pairs[first + i];
      ctx.primary(a, g, img + i * k * kImagePixels);
      primary_correlations(ctx, a, g, tgt + i * k);
    }
  });
  return b;
}

}  // namespace

PretrainResult pretrain_towers(DeepDrim& net, const ImageContext& ctx, const TrainOptions& opts, torch::Device device) {
  PretrainResult r;
  if (opts.pretrain_pairs == 0 || net->opts.kind == ModelKind::ImageOnly) return r;
  const std::uint64_t seed = opts.seed * 6364136223846793005ULL + 1442695040888963407ULL;
  const auto& group = ctx.options().neighbor_group;
  const auto pairs = group.empty() ? random_gene_pairs(ctx.n_genes(), opts.pretrain_pairs, seed)
                                   : random_gene_pairs(group, opts.pretrain_pairs, seed);
  const auto t0 = std::chrono::steady_clock::now();
  torch::manual_seed(opts.seed * 1000003ULL + 977);
  const bool with_b = net->has_neighbors();
  torch::nn::Linear read_a(512, ctx.primary_images()), read_b(512, 1);
  net->to(device);
  for (auto* read : {&read_a, &read_b}) {  // outputs start at 0, not at the embeddings' arbitrary scale
    torch::NoGradGuard no_grad;
    (*read)->weight.zero_();
    (*read)->bias.zero_();
    (*read)->to(device);
  }
  std::vector<torch::Tensor> params = net->tower_a->parameters();
  for (auto& p : read_a->parameters()) params.push_back(p);
  if (with_b) {
    for (auto& p : net->tower_b->parameters()) params.push_back(p);
    for (auto& p : read_b->parameters()) params.push_back(p);
  }
  torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(opts.lr).weight_decay(opts.weight_decay));
  net->train();
  const std::size_t n = pairs.size();
  const std::size_t tenth = std::max<std::size_t>(1, n / 10);
  const int k = ctx.primary_images();
  double first_sum = 0, last_sum = 0;
  std::vector<double> t_sum(k), t_sq(k);
  std::size_t first_n = 0, last_n = 0;
  Progress bar(n, "pretraining", opts.progress);
  for (std::size_t first = 0; first < n; first += kPretrainBatch) {
    const long count = static_cast<long>(std::min<std::size_t>(kPretrainBatch, n - first));
    PretrainBatch b = build_batch(ctx, pairs, first, count);
    torch::Tensor x = b.primary.to(device), y = b.target.to(device);
    optimizer.zero_grad();
    torch::Tensor loss_a = torch::mse_loss(read_a->forward(net->tower_a->forward(x)), y);
    torch::Tensor loss = loss_a;
    if (with_b) loss = loss + torch::mse_loss(read_b->forward(net->tower_b->forward(x.narrow(1, 0, 1))), y.narrow(1, 0, 1));
    loss.backward();
    if (opts.clip_norm > 0) torch::nn::utils::clip_grad_norm_(params, opts.clip_norm);
    optimizer.step();
    const double per_tower = loss.item<double>() / (with_b ? 2 : 1);
    if (first < tenth) {
      first_sum += per_tower * count;
      first_n += count;
    }
    if (first + count > n - tenth) {
      last_sum += per_tower * count;
      last_n += count;
      for (int c = 0; c < k; ++c) {
        t_sum[c] += y.select(1, c).sum().item<double>();
        t_sq[c] += (y.select(1, c) * y.select(1, c)).sum().item<double>();
      }
    }
    bar.update(first + count);
  }
  bar.finish();
  r.pairs = n;
  r.first_loss = first_sum / first_n;
  r.last_loss = last_sum / last_n;
  std::vector<double> var(k);  // a constant's loss per target; per tower as the losses are taken
  for (int c = 0; c < k; ++c) var[c] = t_sq[c] / last_n - (t_sum[c] / last_n) * (t_sum[c] / last_n);
  const double var_a = std::accumulate(var.begin(), var.end(), 0.0) / k;
  r.target_variance = with_b ? (var_a + var[0]) / 2 : var_a;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

PretrainResult pretrain_towers(DeepDrim& net, const PairImageSource& source, const TrainOptions& opts, torch::Device device) {
  if (opts.pretrain_pairs == 0 || net->opts.kind == ModelKind::ImageOnly) return {};
  const ImageContext* ctx = source.context();
  if (!ctx)
    throw Error("--pretrain-pairs pretrains on random gene pairs of the expression matrix, but these images were read from a file; "
                "train from the expression matrix (--expr) or with --pretrain-pairs 0");
  return pretrain_towers(net, *ctx, opts, device);
}

}  // namespace drim::model
