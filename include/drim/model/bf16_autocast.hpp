#pragma once
// bfloat16 autocast around a training forward pass (TrainOptions::precision "bf16").
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

namespace drim::model {

/// bfloat16 autocast for one training forward pass (TrainOptions::precision "bf16"): on while
/// the guard lives, the cast weights dropped at the end (they change with every step).
class Bf16Autocast {
 public:
  Bf16Autocast(bool on, torch::Device device) : on_(on), cuda_(device.is_cuda()) {
    if (!on_) return;
    if (cuda_) {
      at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
      at::autocast::set_enabled(true);
    } else {
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
      at::autocast::set_cpu_enabled(true);
    }
  }
  ~Bf16Autocast() {
    if (!on_) return;
    if (cuda_) at::autocast::set_enabled(false);
    else at::autocast::set_cpu_enabled(false);
    at::autocast::clear_cache();
  }
  Bf16Autocast(const Bf16Autocast&) = delete;
  Bf16Autocast& operator=(const Bf16Autocast&) = delete;

 private:
  bool on_, cuda_;
};

}  // namespace drim::model
