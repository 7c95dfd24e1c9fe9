#include "drim/model/deepdrim.hpp"

#include <thread>

#include <omp.h>

#include "drim/error.hpp"

namespace drim::model {

std::string to_string(ModelKind kind) { return kind == ModelKind::DeepDrim ? "deepdrim" : "cnnc"; }

ModelKind parse_model_kind(const std::string& name) {
  if (name == "deepdrim") return ModelKind::DeepDrim;
  if (name == "cnnc") return ModelKind::Cnnc;
  throw Error("unknown model kind " + quote(name) + " (expected deepdrim or cnnc)");
}

namespace {
torch::nn::Conv2d conv(int in, int out, bool same) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(same ? 1 : 0));
}
}  // namespace

TowerImpl::TowerImpl(double dropout) {
  conv1a = register_module("conv1a", conv(1, 32, true));
  conv1b = register_module("conv1b", conv(32, 32, false));
  conv2a = register_module("conv2a", conv(32, 64, true));
  conv2b = register_module("conv2b", conv(64, 64, false));
  conv3a = register_module("conv3a", conv(64, 128, true));
  conv3b = register_module("conv3b", conv(128, 128, false));
  embed = register_module("embed", torch::nn::Linear(128 * 2 * 2, 512));
  drop = register_module("drop", torch::nn::Dropout(dropout));
}

torch::Tensor TowerImpl::forward(torch::Tensor x) {
  x = drop(torch::max_pool2d(torch::relu(conv1b(torch::relu(conv1a(x)))), 2));  // 32 x 15 x 15
  x = drop(torch::max_pool2d(torch::relu(conv2b(torch::relu(conv2a(x)))), 2));  // 64 x 6 x 6
  x = drop(torch::max_pool2d(torch::relu(conv3b(torch::relu(conv3a(x)))), 2));  // 128 x 2 x 2
  return embed(x.flatten(1));                                                    // linear 512
}

DeepDrimImpl::DeepDrimImpl(const DeepDrimOptions& o) : opts(o) {
  if (o.kind == ModelKind::DeepDrim && o.neighbors < 1)
    throw Error("DeepDRIM needs at least 1 neighbour, got " + quote(std::to_string(o.neighbors)));
  tower_a = register_module("tower_a", Tower(o.tower_dropout));
  drop = register_module("drop", torch::nn::Dropout(o.head_dropout));
  if (o.kind == ModelKind::DeepDrim) {
    tower_b = register_module("tower_b", Tower(o.tower_dropout));
    fc1 = register_module("fc1", torch::nn::Linear(512 * images_per_pair(), 512));
    fc2 = register_module("fc2", torch::nn::Linear(512, 128));
    out = register_module("out", torch::nn::Linear(128, 1));
  } else {
    fc1 = register_module("fc1", torch::nn::Linear(512, 512));
    out = register_module("out", torch::nn::Linear(512, 1));
  }
  keras_init(*this);
}

int DeepDrimImpl::images_per_pair() const { return opts.kind == ModelKind::DeepDrim ? 2 * opts.neighbors + 3 : 1; }

torch::Tensor DeepDrimImpl::head_from_hidden(torch::Tensor h) {
  h = drop(torch::relu(h));
  if (opts.kind == ModelKind::DeepDrim) h = drop(torch::relu(fc2(h)));
  return out(h).squeeze(1);
}

torch::Tensor DeepDrimImpl::forward(torch::Tensor images) {
  const auto B = images.size(0);
  torch::Tensor a = tower_a(images.narrow(1, 0, 1));
  if (opts.kind == ModelKind::Cnnc) return head_from_hidden(fc1(a));
  const int k = images_per_pair() - 1;
  torch::Tensor nb = tower_b(images.narrow(1, 1, k).reshape({B * k, 1, 32, 32})).reshape({B, k * 512});
  return head_from_hidden(fc1(drop(torch::cat({a, nb}, 1))));
}

void keras_init(torch::nn::Module& module) {
  torch::NoGradGuard guard;
  for (auto& m : module.modules(/*include_self=*/false)) {
    if (auto* c = m->as<torch::nn::Conv2d>()) {
      torch::nn::init::xavier_uniform_(c->weight);
      torch::nn::init::zeros_(c->bias);
    } else if (auto* l = m->as<torch::nn::Linear>()) {
      torch::nn::init::xavier_uniform_(l->weight);
      torch::nn::init::zeros_(l->bias);
    }
  }
}

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t n = 0;
  for (const auto& p : module.parameters()) n += p.numel();
  return n;
}

void configure_threads(int threads) {
  const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
  omp_set_num_threads(n);
}

torch::Device resolve_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda") {
    if (!torch::cuda::is_available())
      throw Error("--device cuda asked for, but no CUDA device is available to this LibTorch build (Debian's is CPU-only; see README)");
    return torch::kCUDA;
  }
  if (name == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  throw Error("unknown device " + quote(name) + " (expected auto, cpu or cuda)");
}

}  // namespace drim::model
