// ER-Net (TCER): the deformable convolution against direct bilinear sampling and a plain
// convolution, GenoMap masking, the FFT loss by hand, shapes, and the TCER model file.
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model_fixtures.hpp"
#include "drim/error.hpp"
#include "drim/model/er_net.hpp"
#include "drim/model/impute_trainer.hpp"
#include "drim/model/tcer.hpp"

using namespace drim;
using namespace drim::model;

namespace {

double bilinear(const torch::TensorAccessor<double, 2>& img, double y, double x) {
  const long H = img.size(0), W = img.size(1);
  const long y0 = static_cast<long>(std::floor(y)), x0 = static_cast<long>(std::floor(x));
  double v = 0;
  for (long yy = y0; yy <= y0 + 1; ++yy)
    for (long xx = x0; xx <= x0 + 1; ++xx) {
      if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
      v += (1 - std::abs(y - yy)) * (1 - std::abs(x - xx)) * img[yy][xx];
    }
  return v;
}

/// 20 genes x 48 cells of Poisson(3) counts (seeded).
Expression small_counts(int seed) {
  Expression e;
  for (int g = 0; g < 20; ++g) e.genes.push_back("g" + std::to_string(g));
  for (int c = 0; c < 48; ++c) e.cells.push_back("c" + std::to_string(c));
  torch::manual_seed(seed);
  const auto v = torch::poisson(torch::full({20, 48}, 3.0, torch::kDouble)).contiguous();
  e.values.assign(v.data_ptr<double>(), v.data_ptr<double>() + v.numel());
  return e;
}

/// A small, fast TCER: 4 channels, one DFA block, batch 16, no progress bar.
TcerOptions small_tcer(int epochs) {
  TcerOptions o;
  o.net.channels = 4;
  o.net.dfa_blocks = 1;
  o.train.epochs = epochs;
  o.train.batch = 16;
  o.train.progress = false;
  return o;
}

}  // namespace

TEST(DeformConv, MatchesDirectBilinearSampling) {
  torch::manual_seed(3);
  DeformConv3x3 conv(2, 3);
  conv->to(torch::kDouble);
  const auto x = torch::rand({2, 2, 5, 6}, torch::kDouble);
  const auto off = (torch::rand({2, 18, 5, 6}, torch::kDouble) - 0.5) * 3;  // up to 1.5 pixels, some outside
  const auto got = conv->deform(x, off);
  ASSERT_EQ(got.sizes(), (std::vector<int64_t>{2, 3, 5, 6}));
  auto xa = x.accessor<double, 4>();
  auto oa = off.accessor<double, 4>();
  auto wa = conv->weight.accessor<double, 4>();
  auto ba = conv->bias.accessor<double, 1>();
  auto ga = got.accessor<double, 4>();
  for (int b = 0; b < 2; ++b)
    for (int o = 0; o < 3; ++o)
      for (int h = 0; h < 5; ++h)
        for (int w = 0; w < 6; ++w) {
          double v = ba[o];
          for (int c = 0; c < 2; ++c)
            for (int k = 0; k < 9; ++k)
              v += wa[o][c][k / 3][k % 3] *
                   bilinear(xa[b][c], h + k / 3 - 1 + oa[b][2 * k][h][w], w + k % 3 - 1 + oa[b][2 * k + 1][h][w]);
          EXPECT_NEAR(ga[b][o][h][w], v, 1e-12);
        }
}

TEST(DeformConv, ZeroOffsetsArePlainConvolution) {
  torch::manual_seed(4);
  DeformConv3x3 conv(3, 4);
  const auto x = torch::rand({2, 3, 7, 4});
  const auto plain = torch::conv2d(x, conv->weight, conv->bias, 1, 1);
  EXPECT_TRUE(torch::allclose(conv->deform(x, torch::zeros({2, 18, 7, 4})), plain, 1e-5, 1e-6));
  // A fresh layer's offset convolution is zero: forward is the plain convolution.
  EXPECT_TRUE(torch::allclose(conv->forward(x), plain, 1e-5, 1e-6));
}

TEST(Masking, HitsTheRatioOnNonZeroPixelsOnly) {
  torch::manual_seed(5);
  const auto images = torch::where(torch::rand({6, 1, 9, 9}) < 0.4, torch::zeros({6, 1, 9, 9}), torch::rand({6, 1, 9, 9}) * 0.9 + 0.05);
  const auto ratios = torch::tensor({0.0, 0.1, 0.25, 0.5, 0.77, 1.0});
  auto [masked, mask] = mask_genomaps(images, ratios, 0.999f);
  for (int b = 0; b < 6; ++b) {
    const long nnz = (images[b] > 0).sum().item<long>();
    EXPECT_EQ(mask[b].sum().item<long>(), std::lround(ratios[b].item<double>() * nnz)) << "image " << b;
    EXPECT_EQ((mask[b] & (images[b] == 0)).sum().item<long>(), 0) << "a zero pixel was masked";
    EXPECT_TRUE(torch::all(torch::where(mask[b], masked[b] == 0.999f, masked[b] == images[b])).item<bool>());
  }
}

TEST(Masking, CandidatesIncludeZeros) {
  torch::manual_seed(7);
  const auto images = torch::where(torch::rand({4, 1, 5, 5}) < 0.5, torch::zeros({4, 1, 5, 5}), torch::rand({4, 1, 5, 5}) + 0.1);
  auto genes = torch::ones({5, 5}, torch::kBool);
  genes[4] = false;  // the last row is padding
  auto [masked, mask] = mask_genomaps(images, torch::full({4}, 0.5), 0.999f, genes);
  for (int b = 0; b < 4; ++b) {
    EXPECT_EQ(mask[b].sum().item<long>(), 10) << "half of the 20 gene pixels";
    EXPECT_EQ(mask[b][0][4].sum().item<long>(), 0) << "padding is never masked";
  }
}

TEST(FftLoss, HandComputedCase) {
  // 2 x 2 image [[1, 2], [3, 4]] against zeros: the unnormalised DFT is [[10, -2], [-4, 0]];
  // orthonormal divides by sqrt(4) = 2: moduli 5, 1, 2, 0, mean 2.
  const auto a = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({1, 1, 2, 2});
  EXPECT_NEAR(fft_l1(a, torch::zeros_like(a)).item<double>(), 2.0, 1e-6);
  EXPECT_NEAR(fft_l1(a, a).item<double>(), 0.0, 1e-12);
}

TEST(ErNet, ShapesForAnyGridAndParameterCount) {
  ErNet net(ErNetOptions{8, 2});
  for (auto hw : {std::pair<int, int>{7, 9}, {8, 8}, {5, 5}, {2, 3}}) {
    const auto y = net->forward(torch::rand({3, 1, hw.first, hw.second}));
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{3, 1, hw.first, hw.second}));
  }
  // Parameters by hand, c = 8: encoder 1->8, 8->16, 16->32 (3x3 + bias); per DFA block at 32
  // channels: two 3x3 convs, the deformable conv (32x32x9 + 32) with its offset conv (32->18,
  // 3x3), channel attention 32->4->32 and pixel attention 32->4->1 (1x1); decoder 32->16,
  // 16->8 (4x4 transposed) and 8->1 (3x3).
  auto conv = [](long in, long out, long k) { return in * out * k * k + out; };
  const long dfa = 2 * conv(32, 32, 3) + conv(32, 32, 3) + conv(32, 18, 3) + conv(32, 4, 1) + conv(4, 32, 1) + conv(32, 4, 1) + conv(4, 1, 1);
  const long expected = conv(1, 8, 3) + conv(8, 16, 3) + conv(16, 32, 3) + 2 * dfa + conv(32, 16, 4) + conv(16, 8, 4) + conv(8, 1, 3);
  long count = 0;
  for (const auto& p : net->parameters()) count += p.numel();
  EXPECT_EQ(count, expected);
}

TEST(Tcer, FitsSavesLoadsAndRestoresTheSame) {
  const Expression e = small_counts(6);
  const TcerOptions o = small_tcer(2);
  TcerModel m = fit_tcer(e, o, nullptr, test::test_device());
  EXPECT_EQ(m.layout.rows * m.layout.cols, 25);
  const Expression a = apply_tcer(m, e, true, test::test_device());
  std::size_t filled = 0, zeros = 0;
  for (std::size_t i = 0; i < e.values.size(); ++i) {
    EXPECT_GE(a.values[i], 0.0);
    if (e.values[i] != 0) EXPECT_EQ(a.values[i], e.values[i]) << "observed values are kept";
    else zeros += 1, filled += a.values[i] > 0;
  }
  EXPECT_GT(filled, zeros / 2) << "most zeros are imputed";
  const std::string path = testing::TempDir() + "tcer.pt";
  save_tcer(path, m);
  TcerModel back = load_tcer(path);
  EXPECT_EQ(back.layout.position, m.layout.position);
  EXPECT_EQ(back.scale.gene_max, m.scale.gene_max);
  const Expression b = apply_tcer(back, e, false, test::test_device()), c = apply_tcer(m, e, false, test::test_device());
  EXPECT_EQ(b.values, c.values);
  // Same seed, same model: bit for bit on the CPU; on a GPU, cuDNN's backward kernels add in any
  // order, so to float rounding.
  TcerModel again = fit_tcer(e, o, nullptr, test::test_device());
  const Expression d = apply_tcer(again, e, false, test::test_device());
  if (test::test_device().is_cpu()) EXPECT_EQ(d.values, c.values);
  else
    for (std::size_t i = 0; i < c.values.size(); ++i) ASSERT_NEAR(d.values[i], c.values[i], 1e-5) << "value " << i;
  std::remove(path.c_str());
  EXPECT_THROW(load_tcer(path), Error);
}

TEST(Tcer, PosteriorCombinesTheRestorationWithTheCountsOfLayoutGenes) {
  const Expression e = small_counts(8);
  TcerModel m = fit_tcer(e, small_tcer(1), nullptr, test::test_device());
  // New cells of the same genes plus one gene the layout does not hold, in another order.
  Expression f = e;
  f.genes.insert(f.genes.begin(), "extra");
  f.values.insert(f.values.begin(), e.values.begin(), e.values.begin() + 48);
  impute::PosteriorFit fit;
  const Expression p = apply_tcer_posterior(m, f, test::test_device(), {}, {}, &fit);
  for (int c = 0; c < 48; ++c) EXPECT_EQ(p.row(0)[c], f.row(0)[c]) << "a gene outside the layout is left alone";
  EXPECT_EQ(fit.shape[0], 0.0);
  // The extra gene changes the cells' library sizes, so the restoration is that of f.
  const Expression restored = apply_tcer(m, f, false, test::test_device());
  std::vector<bool> layout_gene(21, true);
  layout_gene[0] = false;
  const Expression expected = impute::gamma_poisson_posterior(f, restored, layout_gene);
  for (int g = 0; g < 20; ++g) {
    EXPECT_GT(fit.shape[g + 1], 0.0);
    for (int c = 0; c < 48; ++c) ASSERT_NEAR(p.row(g + 1)[c], expected.row(g + 1)[c], 1e-6 * (1 + expected.row(g + 1)[c])) << g << " " << c;
  }
}
