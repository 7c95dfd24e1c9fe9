#pragma once
// The DeepDRIM network (Chen et al. 2021) and its CNNC baseline in LibTorch.
#include <string>

#include <torch/torch.h>

namespace drim::model {

/// Which network: full DeepDRIM (primary + neighbour images) or CNNC (primary image only).
enum class ModelKind { DeepDrim, Cnnc };

/// "deepdrim" or "cnnc".
std::string to_string(ModelKind kind);
/// Parses "deepdrim" or "cnnc"; throws on anything else.
ModelKind parse_model_kind(const std::string& name);

/// One image tower: three conv blocks (32, 64, 128 filters) and a linear 512-d embedding.
/// Input [B, 1, 32, 32], output [B, 512].
struct TowerImpl : torch::nn::Module {
  /// `dropout`: rate after each conv block (the reference's 0.25).
  explicit TowerImpl(double dropout = 0.25);
  torch::Tensor forward(torch::Tensor x);

  torch::nn::Conv2d conv1a{nullptr}, conv1b{nullptr}, conv2a{nullptr}, conv2b{nullptr}, conv3a{nullptr}, conv3b{nullptr};
  torch::nn::Linear embed{nullptr};
  torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(Tower);

/// Architecture settings (defaults: the reference DeepDRIM, 7,193,793 parameters).
struct DeepDrimOptions {
  ModelKind kind = ModelKind::DeepDrim;
  int neighbors = 10;  ///< n: the input has 2n + 3 images (1 for CNNC)
  double tower_dropout = 0.25;  ///< after each conv block (active in training mode only)
  double head_dropout = 0.5;    ///< in the MLP head (active in training mode only)
};

/// DeepDRIM: tower A embeds the primary image, tower B (shared weights) every neighbour image,
/// an MLP head maps the concatenation to one logit. Input [B, 2n + 3, 32, 32] (CNNC: [B, 1, 32,
/// 32]); output logits [B] (apply sigmoid for probabilities).
struct DeepDrimImpl : torch::nn::Module {
  explicit DeepDrimImpl(const DeepDrimOptions& opts = {});
  torch::Tensor forward(torch::Tensor images);
  /// Head after the first dense layer's pre-activation: ReLU, dropout, the rest, logits [B].
  torch::Tensor head_from_hidden(torch::Tensor pre_activation);
  int images_per_pair() const;

  DeepDrimOptions opts;
  Tower tower_a{nullptr}, tower_b{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr}, out{nullptr};
  torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(DeepDrim);

/// Keras defaults: Glorot-uniform weights and zero biases for every conv and dense layer.
void keras_init(torch::nn::Module& module);

/// Total number of trainable parameters.
std::int64_t parameter_count(const torch::nn::Module& module);

/// Sets LibTorch's intra-op threads and OpenMP's (0 = all cores); Debian's LibTorch starts at 1.
void configure_threads(int threads);

/// "auto" (CUDA when the linked LibTorch has it), "cpu" or "cuda"; throws when CUDA is asked
/// for and unavailable.
torch::Device resolve_device(const std::string& name);

}  // namespace drim::model
