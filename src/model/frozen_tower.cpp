#include "drim/model/frozen_tower.hpp"

#include <algorithm>
#include <fstream>
#include <string>

#include <ATen/Parallel.h>

#include "drim/error.hpp"

namespace drim::model {

namespace {
/// Padding of convolution i of a tower: the first of each block keeps the size ("same").
long padding_of(int i) { return i % 2 == 0 ? 1 : 0; }
}  // namespace

bool bf16_available() {
  static const bool yes = [] {
    if (!torch::hasMKLDNN()) return false;
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
      if (line.rfind("flags", 0) == 0)
        return line.find(" avx512_bf16") != std::string::npos || line.find(" amx_bf16") != std::string::npos;
    return false;
  }();
  return yes;
}

FrozenTower::FrozenTower(const Tower& tower, torch::Device device, FrozenTowerOptions opts) : module_(tower), opts_(opts) {
  if (opts_.chunk < 1) throw Error("FrozenTower: chunk must be positive, got " + quote(std::to_string(opts_.chunk)));
  torch::NoGradGuard guard;
  const auto& t = *tower;
  const bool group_norm = !t.norms.empty() && !t.norms.front().ptr()->as<torch::nn::BatchNorm2d>();
  if (opts_.bf16 && (!opts_.frozen || group_norm))
    throw Error("bfloat16 towers run folded: not for a group-normalised network or the module path; use float32");
  if (!opts_.frozen || group_norm) {  // runs as the module
    module_.ptr()->eval();
    return;
  }
  onednn_ = opts_.onednn && device.is_cpu() && torch::hasMKLDNN();
  if (opts_.bf16 && !(onednn_ && bf16_available()))
    throw Error("bfloat16 towers need a CPU with AVX-512 BF16 or AMX and oneDNN (device " + quote(device.str()) +
                (device.is_cpu() && !bf16_available() ? ", this CPU has neither" : "") + "); use float32");
  conv_type_ = opts_.bf16 ? torch::kBFloat16 : torch::kFloat32;
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
      w = at::mkldnn_reorder_conv2d_weight(w.to(conv_type_).contiguous().to_mkldnn(), {p, p}, {1, 1}, {1, 1}, 1);
    }
    weight_.push_back(w.contiguous());
    bias_.push_back(b.contiguous());
  }
  embed_weight_ = t.embed->weight.detach().to(device, torch::kFloat32).contiguous();
  embed_bias_ = t.embed->bias.detach().to(device, torch::kFloat32).contiguous();
}

torch::Tensor FrozenTower::run_chunk(const torch::Tensor& images) const {
  torch::Tensor x = onednn_ ? images.to(conv_type_).to_mkldnn() : images;
  for (int i = 0; i < 6; ++i) {
    const long p = padding_of(i);
    x = onednn_ ? at::mkldnn_convolution(x, weight_[i], bias_[i], {p, p}, {1, 1}, {1, 1}, 1)
                : torch::conv2d(x, weight_[i], bias_[i], 1, p);
    if (i % 2 == 1) x = torch::max_pool2d(x, 2);  // 32 x 15 x 15, 64 x 6 x 6, 128 x 2 x 2
    torch::relu_(x);  // after the pooling, on a quarter of the values: max and ReLU commute
  }
  if (onednn_) x = x.to_dense().to(torch::kFloat32);
  return torch::addmm(embed_bias_, x.flatten(1), embed_weight_.t());
}

long FrozenTower::chunk_for(long n, int threads) const {
  const long per_thread = (n + std::max(threads, 1) - 1) / std::max(threads, 1);
  return std::max<long>(1, std::min<long>(opts_.chunk, std::max<long>(per_thread, 8)));
}

torch::Tensor FrozenTower::forward(const torch::Tensor& images) const {
  torch::NoGradGuard guard;
  if (weight_.empty()) return module_.ptr()->forward(images);
  if (!images.device().is_cpu()) return run_chunk(images.contiguous());  // a GPU takes the batch whole
  const long n = images.size(0), chunk = chunk_for(n, at::get_num_threads()), chunks = (n + chunk - 1) / chunk;
  if (chunks <= 1) return run_chunk(images.contiguous());
  // Chunks in parallel, each on one thread (oneDNN runs single-threaded inside a parallel region):
  // scales better than splitting each small convolution over the threads.
  torch::Tensor out = torch::empty({n, embed_weight_.size(0)}, images.options());
  at::parallel_for(0, chunks, 1, [&](long begin, long end) {
    for (long c = begin; c < end; ++c) {
      const long first = c * chunk, count = std::min<long>(chunk, n - first);
      out.narrow(0, first, count).copy_(run_chunk(images.narrow(0, first, count).contiguous()));
    }
  });
  return out;
}

}  // namespace drim::model
