#pragma once
// ER-Net (TCER, Wei et al. 2024; clean-room from the paper's description): a U-Net-like CNN
// that restores masked pixels of GenoMap images, with deformable feature-attention (DFA) blocks.
#include <torch/torch.h>

namespace drim::model {

/// A 3 x 3 deformable convolution (stride 1, padding 1): each of the 9 taps samples its input at
/// its grid position plus a learned (dy, dx), predicted per pixel by a 3 x 3 convolution whose
/// weights start at zero (so the layer starts as a plain convolution). Written with grid_sample
/// (bilinear, zeros outside the image).
struct DeformConv3x3Impl : torch::nn::Module {
  DeformConv3x3Impl(int in_channels, int out_channels);
  torch::Tensor forward(const torch::Tensor& x);
  /// The convolution with given offsets [B, 18, H, W]: channel 2k is tap k's dy, 2k + 1 its dx,
  /// taps in row-major order (k = 3 * (ky + 1) + (kx + 1)).
  torch::Tensor deform(const torch::Tensor& x, const torch::Tensor& offsets);

  torch::nn::Conv2d offset{nullptr};
  torch::Tensor weight, bias;  ///< [out, in, 3, 3] and [out]
};
TORCH_MODULE(DeformConv3x3);

/// Deformable feature-attention block: conv 3x3 + ReLU twice, a deformable 3x3 convolution,
/// channel attention (global pooling, squeeze by 8, sigmoid weights per channel), pixel
/// attention (1x1 convolutions to a sigmoid map per pixel), plus the block's input (residual).
struct DfaImpl : torch::nn::Module {
  explicit DfaImpl(int channels);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  DeformConv3x3 deform{nullptr};
  torch::nn::Conv2d ca1{nullptr}, ca2{nullptr}, pa1{nullptr}, pa2{nullptr};
};
TORCH_MODULE(Dfa);

/// ER-Net's size.
struct ErNetOptions {
  int channels = 16;   ///< first level's channels; the encoder doubles them twice
  int dfa_blocks = 3;  ///< cascaded DFA blocks at the lowest resolution
};

/// Encoder (3x3 convolutions, stride 1, 2, 2), the DFA blocks, decoder (two stride-2 transposed
/// convolutions, a stride-1 convolution) with U-Net skips (added). Input [B, 1, H, W] in [0, 1],
/// any H, W (padded to multiples of 4 inside and cropped back); output the same shape.
struct ErNetImpl : torch::nn::Module {
  explicit ErNetImpl(ErNetOptions opts = {});
  torch::Tensor forward(const torch::Tensor& x);

  ErNetOptions opts;
  torch::nn::Conv2d enc1{nullptr}, enc2{nullptr}, enc3{nullptr};
  torch::nn::Sequential dfa{nullptr};
  torch::nn::ConvTranspose2d up2{nullptr}, up1{nullptr};
  torch::nn::Conv2d out{nullptr};
};
TORCH_MODULE(ErNet);

}  // namespace drim::model
