#include "drim/model/er_net.hpp"

#include <cmath>

namespace drim::model {

namespace F = torch::nn::functional;
using torch::nn::Conv2d;
using torch::nn::Conv2dOptions;

DeformConv3x3Impl::DeformConv3x3Impl(int in_channels, int out_channels) {
  offset = register_module("offset", Conv2d(Conv2dOptions(in_channels, 18, 3).padding(1)));
  torch::NoGradGuard guard;
  offset->weight.zero_();
  offset->bias.zero_();
  weight = register_parameter("weight", torch::empty({out_channels, in_channels, 3, 3}));
  bias = register_parameter("bias", torch::zeros({out_channels}));
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  const double bound = 1.0 / std::sqrt(in_channels * 9.0);
  bias.uniform_(-bound, bound);
}

torch::Tensor DeformConv3x3Impl::deform(const torch::Tensor& x, const torch::Tensor& offsets) {
  const auto B = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  auto opts = x.options();
  const auto ys = torch::arange(H, opts).view({1, H, 1}), xs = torch::arange(W, opts).view({1, 1, W});
  std::vector<torch::Tensor> taps;
  taps.reserve(9);
  for (int k = 0; k < 9; ++k) {
    const int ky = k / 3 - 1, kx = k % 3 - 1;
    const auto y = ys + ky + offsets.select(1, 2 * k), xx = xs + kx + offsets.select(1, 2 * k + 1);
    // align_corners = false: pixel i spans [i, i + 1) and its centre maps to (2i + 1) / size - 1.
    const auto grid = torch::stack({(2 * xx + 1) / W - 1, (2 * y + 1) / H - 1}, -1);  // [B, H, W, 2]
    taps.push_back(F::grid_sample(x, grid, F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false)));
  }
  const auto samples = torch::stack(taps, 2).view({B, C * 9, H * W});
  const auto out = torch::matmul(weight.view({weight.size(0), C * 9}), samples);
  return out.view({B, weight.size(0), H, W}) + bias.view({1, -1, 1, 1});
}

torch::Tensor DeformConv3x3Impl::forward(const torch::Tensor& x) { return deform(x, offset(x)); }

DfaImpl::DfaImpl(int channels) {
  const int squeezed = std::max(1, channels / 8);
  conv1 = register_module("conv1", Conv2d(Conv2dOptions(channels, channels, 3).padding(1)));
  conv2 = register_module("conv2", Conv2d(Conv2dOptions(channels, channels, 3).padding(1)));
  deform = register_module("deform", DeformConv3x3(channels, channels));
  ca1 = register_module("ca1", Conv2d(Conv2dOptions(channels, squeezed, 1)));
  ca2 = register_module("ca2", Conv2d(Conv2dOptions(squeezed, channels, 1)));
  pa1 = register_module("pa1", Conv2d(Conv2dOptions(channels, squeezed, 1)));
  pa2 = register_module("pa2", Conv2d(Conv2dOptions(squeezed, 1, 1)));
}

torch::Tensor DfaImpl::forward(const torch::Tensor& x) {
  auto y = torch::relu(conv2(torch::relu(conv1(x))));
  y = deform(y);
  y = y * torch::sigmoid(ca2(torch::relu(ca1(F::adaptive_avg_pool2d(y, F::AdaptiveAvgPool2dFuncOptions(1))))));
  y = y * torch::sigmoid(pa2(torch::relu(pa1(y))));
  return x + y;
}

ErNetImpl::ErNetImpl(ErNetOptions o) : opts(o) {
  const int c = opts.channels;
  enc1 = register_module("enc1", Conv2d(Conv2dOptions(1, c, 3).padding(1)));
  enc2 = register_module("enc2", Conv2d(Conv2dOptions(c, 2 * c, 3).stride(2).padding(1)));
  enc3 = register_module("enc3", Conv2d(Conv2dOptions(2 * c, 4 * c, 3).stride(2).padding(1)));
  dfa = register_module("dfa", torch::nn::Sequential());
  for (int i = 0; i < opts.dfa_blocks; ++i) dfa->push_back(Dfa(4 * c));
  up2 = register_module("up2", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(4 * c, 2 * c, 4).stride(2).padding(1)));
  up1 = register_module("up1", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(2 * c, c, 4).stride(2).padding(1)));
  out = register_module("out", Conv2d(Conv2dOptions(c, 1, 3).padding(1)));
}

torch::Tensor ErNetImpl::forward(const torch::Tensor& x) {
  const auto H = x.size(2), W = x.size(3);
  const auto ph = (4 - H % 4) % 4, pw = (4 - W % 4) % 4;
  const auto in = (ph || pw) ? F::pad(x, F::PadFuncOptions({0, pw, 0, ph})) : x;
  const auto e1 = torch::relu(enc1(in));
  const auto e2 = torch::relu(enc2(e1));
  auto d = dfa->forward(torch::relu(enc3(e2)));
  d = torch::relu(up2(d)) + e2;
  d = torch::relu(up1(d)) + e1;
  auto y = out(d);
  if (ph || pw) y = y.narrow(2, 0, H).narrow(3, 0, W);
  return y;
}

}  // namespace drim::model
