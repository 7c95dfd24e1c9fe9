#include "drim/model/predictor.hpp"

#include <algorithm>

#include <ATen/Parallel.h>

#include "drim/error.hpp"
#include "drim/model/trainer.hpp"

namespace drim::model {

PairScorer::PairScorer(DeepDrim net, const ImageContext& ctx, torch::Device device, bool use_cache, int batch, FrozenTowerOptions towers,
                       const GeneImageLookup* genes)
    : net_(std::move(net)), ctx_(ctx), genes_(genes), device_(device), cache_(use_cache), batch_(batch) {
  const ModelKind kind = net_->opts.kind;
  if (kind != ModelKind::ImageOnly && net_->expression_images() != ctx.images_per_pair())
    throw Error("the model takes " + std::to_string(net_->expression_images()) + " images per pair but the images have " +
                std::to_string(ctx.images_per_pair()) + " (different --neighbors or --conditional?)");
  if (net_->uses_gene_images()) {
    if (!genes_) throw Error("a " + to_string(kind) + " model scores pairs with the genes' images; none given");
    if (genes_->channels() != net_->opts.gene_image_channels)
      throw Error("the model takes gene images of " + std::to_string(net_->opts.gene_image_channels) + " channel(s), given " +
                  std::to_string(genes_->channels()));
  }
  net_->to(device_);
  net_->eval();
  if (!cache_) return;
  torch::NoGradGuard guard;
  tower_a_.emplace(net_->tower_a, device_, towers);
  bias_ = net_->fc1->bias.detach();
  if (!net_->has_neighbors()) {
    w_primary_ = net_->fc1->weight.detach().contiguous();
    return;
  }
  // Tower B runs once per gene, not per pair: bfloat16 there would save little time and add the
  // rounding of 2n + 2 of the head's 2n + 3 embeddings, so it stays float32.
  FrozenTowerOptions per_gene = towers;
  per_gene.bf16 = false;
  tower_b_.emplace(net_->tower_b, device_, per_gene);
  const int n = net_->opts.neighbors;
  torch::Tensor w = net_->fc1->weight;  // [512, 512 * (2n + 3)]
  auto block = [&](int j) { return w.narrow(1, 512 * j, 512); };
  w_primary_ = block(0).contiguous();
  std::vector<torch::Tensor> tf_blocks{block(1)}, target_blocks{block(2)};
  for (int k = 0; k < n; ++k) tf_blocks.push_back(block(3 + k));
  for (int k = 0; k < n; ++k) target_blocks.push_back(block(3 + n + k));
  w_tf_ = torch::cat(tf_blocks, 1).contiguous();          // [512, 512 (n + 1)]
  w_target_ = torch::cat(target_blocks, 1).contiguous();  // [512, 512 (n + 1)]
  if (net_->tower_i) {
    tower_i_.emplace(net_->tower_i, device_, towers);
    if (!net_->opts.late_fusion) w_image_ = block(2 * n + 3).contiguous();
  }
  const long G = static_cast<long>(ctx.n_genes());
  u_tf_ = torch::zeros({G, 512}, torch::TensorOptions().device(device_));
  u_target_ = torch::zeros({G, 512}, torch::TensorOptions().device(device_));
  have_tf_.assign(G, 0);
  have_target_.assign(G, 0);
}

torch::Tensor PairScorer::context_terms(const std::vector<int>& genes, bool tf_side) {
  const int n = net_->opts.neighbors;
  const long g = static_cast<long>(genes.size());
  torch::Tensor imgs = torch::empty({g * (n + 1), 1, 32, 32}, torch::kFloat32);
  float* data = imgs.data_ptr<float>();
  const auto& nb = ctx_.neighbors();
  // LibTorch's thread pool, not a second OpenMP runtime: a CUDA wheel of PyTorch bundles its own
  // libgomp, whose threads and drim's then spin against each other (docs/cuda.md).
  at::parallel_for(0, g, 1, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) {
      const int x = genes[i];
      float* out = data + i * (n + 1) * kImagePixels;
      ctx_.image(x, x, out);
      for (int k = 0; k < n; ++k) {
        const int m = nb.of(x)[k];
        if (tf_side) ctx_.image(x, m, out + (k + 1) * kImagePixels);
        else ctx_.image(m, x, out + (k + 1) * kImagePixels);
      }
    }
  });
  torch::Tensor emb = tower_b_->forward(imgs.to(device_)).reshape({g, (n + 1) * 512});
  return torch::matmul(emb, (tf_side ? w_tf_ : w_target_).t());
}

void PairScorer::prepare(const std::vector<int>& genes, bool tf_side) {
  if (!tower_b_) return;
  torch::NoGradGuard guard;
  auto& have = tf_side ? have_tf_ : have_target_;
  std::vector<int> todo;
  for (int x : genes)
    if (!have[x]) {
      have[x] = 1;
      todo.push_back(x);
    }
  const std::size_t chunk = 64;
  for (std::size_t first = 0; first < todo.size(); first += chunk) {
    std::vector<int> part(todo.begin() + first, todo.begin() + std::min(todo.size(), first + chunk));
    torch::Tensor idx = torch::tensor(std::vector<long>(part.begin(), part.end()), torch::kLong).to(device_);
    (tf_side ? u_tf_ : u_target_).index_copy_(0, idx, context_terms(part, tf_side));
  }
}

torch::Tensor PairScorer::gene_images(const std::vector<int>& tf, const std::vector<int>& target, std::size_t first,
                                      std::size_t count) const {
  const long per = 2L * genes_->channels() * static_cast<long>(kImagePixels);
  torch::Tensor maps = torch::empty({static_cast<long>(count), 2L * genes_->channels(), 32, 32}, torch::kFloat32);
  float* data = maps.data_ptr<float>();
  at::parallel_for(0, static_cast<long>(count), 16, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) genes_->pair_image(tf[first + i], target[first + i], data + i * per);
  });
  return maps.to(device_);
}

std::vector<float> PairScorer::score(const std::vector<int>& tf, const std::vector<int>& target) {
  torch::NoGradGuard guard;
  std::vector<float> out(tf.size());
  if (!cache_) {
    auto p = predict_naive(net_, ctx_, tf, target, device_, std::min(batch_, 64), genes_);
    std::copy(p.begin(), p.end(), out.begin());
    return out;
  }
  prepare(tf, true);
  prepare(target, false);
  for (std::size_t first = 0; first < tf.size(); first += batch_) {
    const std::size_t count = std::min<std::size_t>(batch_, tf.size() - first);
    const std::vector<int> ta(tf.begin() + first, tf.begin() + first + count), tb(target.begin() + first, target.begin() + first + count);
    torch::Tensor h;
    if (net_->opts.kind == ModelKind::ImageOnly) {
      const torch::Tensor maps = gene_images(tf, target, first, count);
      h = torch::addmm(bias_, net_->with_missing_images(maps, tower_a_->forward(maps)), w_primary_.t());
    } else {
      const long p = ctx_.primary_images();
      torch::Tensor prim = torch::empty({static_cast<long>(count), p, 32, 32}, torch::kFloat32);
      float* data = prim.data_ptr<float>();
      at::parallel_for(0, static_cast<long>(count), 16, [&](long begin, long end) {
        for (long i = begin; i < end; ++i) ctx_.primary(tf[first + i], target[first + i], data + i * p * kImagePixels);
      });
      h = torch::addmm(bias_, tower_a_->forward(prim.to(device_)), w_primary_.t());
    }
    torch::Tensor image;  // the image branch's embedding (fusion)
    if (tower_i_) {
      const torch::Tensor maps = gene_images(tf, target, first, count);
      image = net_->with_missing_images(maps, tower_i_->forward(maps));
      if (!net_->opts.late_fusion) h = torch::addmm(h, image, w_image_.t());
    }
    if (tower_b_)
      h = h + u_tf_.index_select(0, torch::tensor(ta).to(device_, torch::kLong)) +
          u_target_.index_select(0, torch::tensor(tb).to(device_, torch::kLong));
    torch::Tensor logit = net_->head_from_hidden(h, net_->prior_input(ta, tb));
    if (net_->opts.late_fusion) logit = logit + net_->image_logit(image);
    torch::Tensor p = torch::sigmoid(logit).to(torch::kCPU).contiguous();
    std::copy(p.data_ptr<float>(), p.data_ptr<float>() + count, out.begin() + first);
  }
  return out;
}

}  // namespace drim::model
