#include "drim/model/pretrain.hpp"

#include <chrono>
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

/// One tower and its linear read-out.
struct ReadOut {
  Tower tower;
  torch::nn::Linear read{nullptr};
};

/// Fits each tower's linear read-out (starting at 0) to its targets by mean squared error, over
/// `n` pairs in batches of kPretrainBatch: `batch(first, count)` gives every tower's input and
/// targets of pairs [first, first + count).
template <class Batch>
PretrainResult fit_read_outs(std::vector<ReadOut> towers, std::size_t n, const TrainOptions& opts, torch::Device device, Batch batch) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<torch::Tensor> params;
  for (auto& t : towers) {
    {
      torch::NoGradGuard no_grad;  // outputs start at 0, not at the embeddings' arbitrary scale
      t.read->weight.zero_();
      t.read->bias.zero_();
    }
    t.read->to(device);
    for (auto& p : t.tower->parameters()) params.push_back(p);
    for (auto& p : t.read->parameters()) params.push_back(p);
  }
  torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(opts.lr).weight_decay(opts.weight_decay));
  const std::size_t tenth = std::max<std::size_t>(1, n / 10);
  const double n_towers = static_cast<double>(towers.size());
  double first_sum = 0, last_sum = 0;
  std::vector<torch::Tensor> t_sum(towers.size()), t_sq(towers.size());  // per target, over the last tenth
  std::size_t first_n = 0, last_n = 0;
  Progress bar(n, "pretraining", opts.progress);
  for (std::size_t first = 0; first < n; first += kPretrainBatch) {
    const long count = static_cast<long>(std::min<std::size_t>(kPretrainBatch, n - first));
    std::vector<std::pair<torch::Tensor, torch::Tensor>> xy = batch(first, count);
    optimizer.zero_grad();
    torch::Tensor loss;
    for (std::size_t t = 0; t < towers.size(); ++t) {
      xy[t].first = xy[t].first.to(device);
      xy[t].second = xy[t].second.to(device);
      torch::Tensor l = torch::mse_loss(towers[t].read->forward(towers[t].tower->forward(xy[t].first)), xy[t].second);
      loss = t == 0 ? l : loss + l;
    }
    loss.backward();
    if (opts.clip_norm > 0) torch::nn::utils::clip_grad_norm_(params, opts.clip_norm);
    optimizer.step();
    const double per_tower = loss.item<double>() / n_towers;
    if (first < tenth) {
      first_sum += per_tower * count;
      first_n += count;
    }
    if (first + count > n - tenth) {
      last_sum += per_tower * count;
      last_n += count;
      for (std::size_t t = 0; t < towers.size(); ++t) {
        const torch::Tensor y = xy[t].second.to(torch::kCPU);
        const torch::Tensor sum = y.sum(0).to(torch::kDouble), sq = (y * y).sum(0).to(torch::kDouble);
        t_sum[t] = t_sum[t].defined() ? t_sum[t] + sum : sum;
        t_sq[t] = t_sq[t].defined() ? t_sq[t] + sq : sq;
      }
    }
    bar.update(first + count);
  }
  bar.finish();
  PretrainResult r;
  r.pairs = n;
  r.first_loss = first_sum / first_n;
  r.last_loss = last_sum / last_n;
  for (std::size_t t = 0; t < towers.size(); ++t) {  // a constant's loss, averaged as the losses are
    const torch::Tensor mean = t_sum[t] / static_cast<double>(last_n);
    r.target_variance += (t_sq[t] / static_cast<double>(last_n) - mean * mean).mean().item<double>() / n_towers;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

PretrainResult pretrain_towers(DeepDrim& net, const ImageContext& ctx, const TrainOptions& opts, torch::Device device) {
  if (opts.pretrain_pairs == 0 || net->opts.kind == ModelKind::ImageOnly) return {};
  const std::uint64_t seed = opts.seed * 6364136223846793005ULL + 1442695040888963407ULL;
  const auto& group = ctx.options().neighbor_group;
  const auto pairs = group.empty() ? random_gene_pairs(ctx.n_genes(), opts.pretrain_pairs, seed)
                                   : random_gene_pairs(group, opts.pretrain_pairs, seed);
  torch::manual_seed(opts.seed * 1000003ULL + 977);
  const bool with_b = net->has_neighbors();
  torch::nn::Linear read_a(512, ctx.primary_images()), read_b(512, 1);  // both drawn: the same random stream with or without B
  std::vector<ReadOut> towers = {{net->tower_a, read_a}};
  if (with_b) towers.push_back({net->tower_b, read_b});
  net->to(device);
  net->train();
  return fit_read_outs(std::move(towers), pairs.size(), opts, device, [&](std::size_t first, long count) {
    PretrainBatch b = build_batch(ctx, pairs, first, count);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> xy = {{b.primary, b.target}};
    if (with_b) xy.emplace_back(b.primary.narrow(1, 0, 1), b.target.narrow(1, 0, 1));
    return xy;
  });
}

bool pretrains_image_branch(const DeepDrim& net, const TrainOptions& opts) {
  if (opts.pretrain_pairs == 0 || !net->uses_gene_images()) return false;
  if (opts.pretrain_image_branch == "all") return true;
  if (opts.pretrain_image_branch == "image-only") return net->opts.kind == ModelKind::ImageOnly;
  if (opts.pretrain_image_branch == "none") return false;
  throw Error("unknown --pretrain-image-branch " + quote(opts.pretrain_image_branch) + " (expected image-only, all or none)");
}

PretrainResult pretrain_image_tower(DeepDrim& net, const GeneImageLookup& genes, const TrainOptions& opts, torch::Device device) {
  if (!pretrains_image_branch(net, opts)) return {};
  std::vector<int> have;
  for (std::size_t g = 0; g < genes.size(); ++g)
    if (genes.has(static_cast<int>(g))) have.push_back(static_cast<int>(g));
  if (have.size() < 2)
    throw Error("--pretrain-pairs pretrains the image branch on pairs of genes with an image, but " + quote(std::to_string(have.size())) +
                " gene(s) have one; use --pretrain-pairs 0");
  const std::uint64_t seed = opts.seed * 2862933555777941757ULL + 3037000493ULL;
  const auto drawn = random_gene_pairs(have.size(), opts.pretrain_pairs, seed);
  torch::manual_seed(opts.seed * 1000003ULL + 1931);
  const long channels = genes.channels(), per_pair = 2 * channels * static_cast<long>(kImagePixels);
  Tower tower = net->opts.kind == ModelKind::Fusion ? net->tower_i : net->tower_a;
  net->to(device);
  net->train();
  return fit_read_outs({{tower, torch::nn::Linear(512, 1)}}, drawn.size(), opts, device, [&](std::size_t first, long count) {
    torch::Tensor x = torch::empty({count, 2 * channels, 32, 32}, torch::kFloat32), y = torch::empty({count, 1}, torch::kFloat32);
    float* img = x.data_ptr<float>();
    float* tgt = y.data_ptr<float>();
    at::parallel_for(0, count, 4, [&](long begin, long end) {
      for (long i = begin; i < end; ++i) {
        const auto [a, b] = drawn[first + i];
        float* out = img + i * per_pair;
        genes.pair_image(have[a], have[b], out);
        tgt[i] = static_cast<float>(pixel_correlation(out, out + per_pair / 2, static_cast<std::size_t>(per_pair / 2)));
      }
    });
    return std::vector<std::pair<torch::Tensor, torch::Tensor>>{{x, y}};
  });
}

PretrainResult pretrain_towers(DeepDrim& net, const PairImageSource& source, const TrainOptions& opts, torch::Device device) {
  if (opts.pretrain_pairs == 0 || net->opts.kind == ModelKind::ImageOnly) return {};
  const ImageContext* ctx = source.context();
  if (!ctx)
    throw Error("--pretrain-pairs pretrains on random gene pairs of the expression matrix, but these images were read from a file; "
                "train from the expression matrix (--expr) or with --pretrain-pairs 0");
  return pretrain_towers(net, *ctx, opts, device);
}

PretrainResult pretrain_image_tower(DeepDrim& net, const PairImageSource& source, const TrainOptions& opts, torch::Device device) {
  if (!pretrains_image_branch(net, opts) || !source.gene_images()) return {};
  return pretrain_image_tower(net, *source.gene_images(), opts, device);
}

}  // namespace drim::model
