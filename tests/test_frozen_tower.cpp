// FrozenTower (inference towers with normalisation folded and oneDNN layout) against the Tower
// module in eval mode, and the context cache with batch-normalised and CNNC networks against the
// plain forward pass.
#include <vector>

#include <gtest/gtest.h>

#include "drim/model/deepdrim.hpp"
#include "drim/model/frozen_tower.hpp"
#include "drim/model/predictor.hpp"
#include "drim/model/trainer.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"

namespace drim::model {
namespace {

/// Non-trivial biases, and for batch normalisation running statistics and affine parameters far
/// from their initial values, so folding them is exercised.
void randomise(torch::nn::Module& m) {
  torch::NoGradGuard g;
  for (auto& p : m.named_parameters())
    if (p.key().find("bias") != std::string::npos) p.value().uniform_(-0.1, 0.1);
  for (auto& sub : m.modules(false))
    if (auto* bn = sub->as<torch::nn::BatchNorm2d>()) {
      bn->running_mean.uniform_(-0.5, 0.5);
      bn->running_var.uniform_(0.2, 3.0);
      bn->weight.uniform_(0.5, 1.5);
      bn->bias.uniform_(-0.2, 0.2);
    }
}

/// Sparse histogram-like images: most pixels 0, a few positive.
torch::Tensor sparse_images(long n) {
  torch::Tensor x = torch::rand({n, 1, 32, 32});
  return x * (x > 0.8).to(torch::kFloat32);
}

double max_rel_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max()).item<double>();
}

class FrozenTowerNorms : public ::testing::TestWithParam<Norm> {};

TEST_P(FrozenTowerNorms, EqualsTheTowerInEvalModeForEveryChunkingAndLayout) {
  torch::manual_seed(3);
  Tower tower(0.25, GetParam());
  randomise(*tower);
  const torch::Device dev = test::test_device();
  tower->to(dev);
  tower->eval();
  torch::Tensor x = sparse_images(13).to(dev);
  torch::Tensor ref = [&] {
    torch::NoGradGuard g;
    return tower->forward(x);
  }();
  ASSERT_GT(ref.std().item<double>(), 1e-3);  // embeddings differ between images
  for (bool onednn : {true, false})
    for (int chunk : {1, 5, 64}) {
      FrozenTower frozen(tower, dev, {chunk, onednn});
      EXPECT_EQ(frozen.onednn(), onednn && dev.is_cpu() && GetParam() != Norm::Group && torch::hasMKLDNN());
      torch::Tensor got = frozen.forward(x);
      ASSERT_EQ(got.sizes(), ref.sizes());
      EXPECT_LT(max_rel_diff(got, ref), 1e-5) << "onednn " << onednn << " chunk " << chunk;
    }
}

INSTANTIATE_TEST_SUITE_P(AllNorms, FrozenTowerNorms, ::testing::Values(Norm::None, Norm::Batch, Norm::Group),
                         [](const auto& info) { return to_string(info.param); });

TEST(FrozenTower, FoldingChangesNothingTheModuleOwns) {
  torch::manual_seed(4);
  Tower tower(0.0, Norm::Batch);
  randomise(*tower);
  std::vector<torch::Tensor> before;
  for (const auto& t : tower->parameters()) before.push_back(t.clone());
  for (const auto& t : tower->buffers()) before.push_back(t.clone());
  FrozenTower frozen(tower, torch::kCPU);
  frozen.forward(sparse_images(3));
  std::size_t i = 0;
  for (const auto& t : tower->parameters()) EXPECT_TRUE(torch::equal(t, before[i++]));
  for (const auto& t : tower->buffers()) EXPECT_TRUE(torch::equal(t, before[i++]));
}

TEST(FrozenTower, RejectsANonPositiveChunk) {
  Tower tower;
  test::expect_error([&] { FrozenTower(tower, torch::kCPU, {0, true}); }, {"chunk", "'0'"});
}

TEST(FrozenTower, ChunksLeaveNoThreadIdle) {
  Tower tower;
  FrozenTower frozen(tower, torch::kCPU);  // chunk 64
  EXPECT_EQ(frozen.chunk_for(1000, 1), 64);
  EXPECT_EQ(frozen.chunk_for(256, 2), 64);
  EXPECT_EQ(frozen.chunk_for(256, 16), 16);  // 16 passes, one per thread, not 4
  EXPECT_EQ(frozen.chunk_for(300, 16), 19);  // ceil(300 / 16)
  EXPECT_EQ(frozen.chunk_for(20, 16), 8);    // never below 8 images a pass
  EXPECT_EQ(FrozenTower(tower, torch::kCPU, {5, true}).chunk_for(256, 16), 5);
}

TEST(FrozenTower, Bfloat16TowerStaysCloseToFloat32OrIsRefusedWhereTheCpuLacksIt) {
  torch::manual_seed(8);
  Tower tower(0.0, Norm::Batch);
  randomise(*tower);
  tower->eval();
  FrozenTowerOptions bf16;
  bf16.bf16 = true;
  Tower grouped(0.0, Norm::Group);
  test::expect_error([&] { FrozenTower(grouped, torch::kCPU, bf16); }, {"bfloat16", "group-normalised"});
  if (!bf16_available()) {
    test::expect_error([&] { FrozenTower(tower, torch::kCPU, bf16); }, {"bfloat16", "AVX-512 BF16"});
    GTEST_SKIP() << "this CPU has no bfloat16 kernels: only the refusal was checked";
  }
  torch::Tensor x = sparse_images(100);
  torch::Tensor ref = FrozenTower(tower, torch::kCPU).forward(x), got = FrozenTower(tower, torch::kCPU, bf16).forward(x);
  ASSERT_EQ(got.scalar_type(), torch::kFloat32);
  const double rel = max_rel_diff(got, ref);
  EXPECT_GT(rel, 0.0);   // the bf16 path did run
  EXPECT_LT(rel, 3e-2);  // 8-bit mantissas through six convolutions
}

class CachedScores : public ::testing::TestWithParam<ModelKind> {};

TEST_P(CachedScores, BatchNormalisedNetworksScoreAsThePlainPass) {
  Expression e = test::random_expression(20, 70, 9);
  ImageOptions io;
  io.neighbors = GetParam() == ModelKind::DeepDrim ? 2 : 0;
  io.primary_only = GetParam() == ModelKind::Cnnc;
  ImageContext ctx(e, io);
  torch::manual_seed(6);
  DeepDrimOptions o;
  o.kind = GetParam();
  o.neighbors = 2;
  o.norm = Norm::Batch;
  DeepDrim net(o);
  randomise(*net);
  std::vector<int> tf = {0, 0, 1, 7, 19, 3, 3, 11}, target = {1, 2, 0, 8, 5, 19, 9, 4};
  auto plain = PairScorer(net, ctx, test::test_device(), false).score(tf, target);
  auto fast = PairScorer(net, ctx, test::test_device(), true, 3).score(tf, target);
  double spread = 0;
  for (std::size_t i = 0; i < tf.size(); ++i) {
    EXPECT_NEAR(fast[i], plain[i], 1e-5) << "pair " << i;
    spread = std::max(spread, static_cast<double>(std::abs(plain[i] - plain[0])));
  }
  EXPECT_GT(spread, 1e-4);
}

TEST(CachedScoresBf16, OnlyThePerPairTowerRunsInBfloat16) {
  if (!bf16_available()) GTEST_SKIP() << "this CPU has no bfloat16 kernels (the refusal is checked above)";
  Expression e = test::random_expression(20, 70, 9);
  ImageOptions io;
  io.neighbors = 2;
  ImageContext ctx(e, io);
  torch::manual_seed(6);
  DeepDrimOptions o;
  o.neighbors = 2;
  o.norm = Norm::Batch;
  DeepDrim net(o);
  randomise(*net);
  FrozenTowerOptions bf16;
  bf16.bf16 = true;
  std::vector<int> tf = {0, 0, 1, 7, 19, 3, 3, 11}, target = {1, 2, 0, 8, 5, 19, 9, 4};
  auto fp32 = PairScorer(net, ctx, torch::kCPU, true, 3).score(tf, target);
  auto low = PairScorer(net, ctx, torch::kCPU, true, 3, bf16).score(tf, target);
  double worst = 0;
  for (std::size_t i = 0; i < tf.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(low[i] - fp32[i])));
  EXPECT_GT(worst, 0.0);   // tower A did run in bfloat16
  EXPECT_LT(worst, 1e-3);  // drim-predict's bar for --precision bf16
  // With tower A's block of fc1 zeroed, only tower B's embeddings reach the head: they are float32,
  // so the scores are fp32's exactly.
  {
    torch::NoGradGuard g;
    net->fc1->weight.narrow(1, 0, 512).zero_();
  }
  EXPECT_EQ(PairScorer(net, ctx, torch::kCPU, true, 3, bf16).score(tf, target), PairScorer(net, ctx, torch::kCPU, true, 3).score(tf, target));
}

INSTANTIATE_TEST_SUITE_P(BothKinds, CachedScores, ::testing::Values(ModelKind::DeepDrim, ModelKind::Cnnc),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace drim::model
