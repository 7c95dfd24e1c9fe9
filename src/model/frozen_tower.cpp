#include "drim/model/frozen_tower.hpp"

#include <algorithm>

#include <ATen/Parallel.h>

#include "drim/error.hpp"

namespace drim::model {

namespace {
/// Padding of convolution i of a tower: the first of each block keeps the size ("same").
long padding_of(int i) { return i % 2 == 0 ? 1 : 0; }
}  // namespace

FrozenTower::FrozenTower(const Tower& tower, torch::Device device, FrozenTowerOptions opts) : module_(tower), opts_(opts) {
  if (opts_.chunk < 1) throw Error("FrozenTower: chunk must be positive, got " + quote(std::to_string(opts_.chunk)));
  torch::NoGradGuard guard;
  const auto& t = *tower;
  const bool group_norm = !t.norms.empty() && !t.norms.front().ptr()->as<torch::nn::BatchNorm2d>();
  if (!opts_.frozen || group_norm) {  // runs as the module
    module_.ptr()->eval();
    return;
  }
  onednn_ = opts_.onednn && device.is_cpu() && torch::hasMKLDNN();
  const torch::nn::Conv2d* convs[] = {&t.conv1a, &t.conv1b, &t.conv2a, &t.conv2b, &t.conv3a, &t.conv3b};
  for (int i = 0; i < 6; ++i) {
    torch::Tensor w = (*convs[i])->weight.detach().to(device, torch::kFloat32);
    torch::Tensor b = (*convs[i])->bias.detach().to(device, torch::kFloat32);
    if (!t.norms.empty()) {
      const auto* bn = t.norms[i].ptr()->as<torch::nn::BatchNorm2d>();
      torch::Tensor scale = bn->weight.detach().to(device) / torch::sqrt(bn->running_var.to(device) + bn->options.eps());
      w = w * scale.view({-1, 1, 1, 1});
      b = (b - bn->running_mean.to(device)) * scale + bn->bias.detach().to(device);
    }
    if (onednn_) {
      const long p = padding_of(i);
      w = at::mkldnn_reorder_conv2d_weight(w.contiguous().to_mkldnn(), {p, p}, {1, 1}, {1, 1}, 1);
    }
    weight_.push_back(w.contiguous());
    bias_.push_back(b.contiguous());
  }
  embed_weight_ = t.embed->weight.detach().to(device, torch::kFloat32).contiguous();
  embed_bias_ = t.embed->bias.detach().to(device, torch::kFloat32).contiguous();
}

torch::Tensor FrozenTower::run_chunk(const torch::Tensor& images) const {
  torch::Tensor x = onednn_ ? images.to_mkldnn() : images;
  for (int i = 0; i < 6; ++i) {
    const long p = padding_of(i);
    x = onednn_ ? at::mkldnn_convolution(x, weight_[i], bias_[i], {p, p}, {1, 1}, {1, 1}, 1)
                : torch::conv2d(x, weight_[i], bias_[i], 1, p);
    if (i % 2 == 1) x = torch::max_pool2d(x, 2);  // 32 x 15 x 15, 64 x 6 x 6, 128 x 2 x 2
    torch::relu_(x);  // after the pooling, on a quarter of the values: max and ReLU commute
  }
  if (onednn_) x = x.to_dense();
  return torch::addmm(embed_bias_, x.flatten(1), embed_weight_.t());
}

torch::Tensor FrozenTower::forward(const torch::Tensor& images) const {
  torch::NoGradGuard guard;
  if (weight_.empty()) return module_.ptr()->forward(images);
  const long n = images.size(0), chunks = (n + opts_.chunk - 1) / opts_.chunk;
  if (chunks <= 1 || !images.device().is_cpu()) return run_chunk(images.contiguous());  // a GPU takes the batch whole
  // Chunks in parallel, each on one thread (oneDNN runs single-threaded inside a parallel region):
  // scales better than splitting each small convolution over the threads.
  torch::Tensor out = torch::empty({n, embed_weight_.size(0)}, images.options());
  at::parallel_for(0, chunks, 1, [&](long begin, long end) {
    for (long c = begin; c < end; ++c) {
      const long first = c * opts_.chunk, count = std::min<long>(opts_.chunk, n - first);
      out.narrow(0, first, count).copy_(run_chunk(images.narrow(0, first, count).contiguous()));
    }
  });
  return out;
}

}  // namespace drim::model
