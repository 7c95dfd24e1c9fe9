#pragma once
// An image tower frozen for inference: normalisation folded into the convolutions, weights laid
// out once for oneDNN.
#include <vector>

#include <torch/torch.h>

#include "drim/model/deepdrim.hpp"

namespace drim::model {

/// How a FrozenTower runs.
struct FrozenTowerOptions {
  /// Images per pass on a CPU: the activations of 64 images stay in a core's cache; larger
  /// batches are split into passes of this size, run in parallel over the threads (results do
  /// not depend on it). A GPU runs each batch in one pass.
  int chunk = 64;
  /// On a CPU whose LibTorch has oneDNN (MKLDNN), keep activations in oneDNN's blocked layout
  /// from the first convolution to the last pooling (no reorders between layers); else plain
  /// ATen convolutions.
  bool onednn = true;
  /// False: run the tower module itself in eval mode (for A/B checks against the folded path).
  bool frozen = true;
  /// Convolutions in bfloat16 (weights and activations; sums and the final linear layer in
  /// float32). Only on a CPU with oneDNN's bf16 kernels (AVX-512 BF16 or AMX; see
  /// bf16_available()); elsewhere the constructor throws. Embeddings move by about 1e-2
  /// relative: check scores against float32 before relying on it (scripts/bench-predict.sh).
  bool bf16 = false;
};

/// Whether this CPU runs oneDNN's bfloat16 convolutions natively (AVX-512 BF16 or AMX BF16).
bool bf16_available();

/// Eval-mode copy of a Tower, for scoring only (no gradients, no training statistics): batch
/// normalisation (running statistics) is folded into each convolution's weights and bias, so a
/// block is convolution + ReLU; dropout is the identity. The same embeddings as the tower in eval
/// mode up to float rounding (about 1e-6 relative). Group normalisation cannot be folded: such
/// towers run as modules. Immutable once built; forward may be called from one thread at a time
/// per instance (oneDNN's intra-op threads are used inside).
class FrozenTower {
 public:
  FrozenTower(const Tower& tower, torch::Device device, FrozenTowerOptions opts = {});

  /// [B, 1, 32, 32] images to [B, 512] embeddings.
  torch::Tensor forward(const torch::Tensor& images) const;

  /// Whether this tower runs on oneDNN tensors.
  bool onednn() const { return onednn_; }

  /// Images per CPU pass for a batch of n on `threads` threads: the option's chunk, smaller where
  /// that would leave threads idle (at least 8 images a pass).
  long chunk_for(long n, int threads) const;

 private:
  torch::Tensor run_chunk(const torch::Tensor& images) const;
  Tower module_;                       ///< not folded: the module itself, set to eval mode
  std::vector<torch::Tensor> weight_;  ///< folded convolution weights (oneDNN-reordered when onednn_); empty: the module runs
  std::vector<torch::Tensor> bias_;    ///< folded convolution biases
  torch::Tensor embed_weight_, embed_bias_;
  FrozenTowerOptions opts_;
  bool onednn_ = false;
  torch::ScalarType conv_type_ = torch::kFloat32;  ///< of the oneDNN convolutions' weights and activations
};

}  // namespace drim::model
