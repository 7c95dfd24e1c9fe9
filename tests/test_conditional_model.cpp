// DeepDRIM and CNNC with the conditional image (ImageOptions::conditional): tower A on two
// channels, the neighbour images after them, and every path (shared-gene step, cache, model file)
// agreeing with the plain forward pass.
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "drim/image_builder.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/predictor.hpp"
#include "drim/model/preset.hpp"
#include "drim/model/trainer.hpp"
#include "drim/pair_images.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"

namespace drim::model {
namespace {

DeepDrimOptions with_conditional(ModelKind kind, int neighbors) {
  TrainOptions t = preset_options("drim");
  t.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
  t.init = "glorot";  // He init zeroes the output layer: every score would be 0.5
  t.norm = "group";   // exact shared-gene step
  DeepDrimOptions o = model_options(t, kind, neighbors);
  o.primary_images = 2;
  return o;
}

TEST(ConditionalModel, TowerATakesASecondChannelAndNothingElseChanges) {
  DeepDrimOptions ref = model_options(preset_options("reference"), ModelKind::DeepDrim, 10);
  const std::int64_t plain = parameter_count(*DeepDrim(ref));
  ASSERT_EQ(plain, 7193793);
  ref.primary_images = 2;
  DeepDrim net(ref);
  EXPECT_EQ(parameter_count(*net), plain + 32 * 3 * 3);  // conv1a of tower A: one more input channel
  EXPECT_EQ(net->expression_images(), 2 * 10 + 4);
  DeepDrimOptions cnnc = model_options(preset_options("reference"), ModelKind::Cnnc, 0);
  const std::int64_t cnnc_plain = parameter_count(*DeepDrim(cnnc));
  cnnc.primary_images = 2;
  EXPECT_EQ(parameter_count(*DeepDrim(cnnc)), cnnc_plain + 32 * 3 * 3);
  EXPECT_EQ(DeepDrim(cnnc)->expression_images(), 2);
  DeepDrimOptions bad = ref;
  bad.primary_images = 3;
  test::expect_error([&] { DeepDrim{bad}; }, {"1 or 2 primary images", "'3'"});
  torch::Tensor logits = net->forward(torch::rand({3, 24, 32, 32}));
  EXPECT_EQ(logits.sizes(), (std::vector<long>{3}));
}

TEST(ConditionalModel, SharedStepCacheAndModelFileMatchThePlainPass) {
  test::ScratchDir dir;
  Expression e = test::random_expression(20, 60, 13, 0.1);
  ImageOptions io;
  io.neighbors = 2;
  io.conditional = 2;
  ImageContext ctx(e, io);
  torch::manual_seed(4);
  DeepDrim net(with_conditional(ModelKind::DeepDrim, 2));
  net->to(test::test_device());
  std::vector<LabelledPair> pairs = {{0, 5, 1}, {0, 6, 0}, {1, 5, 0}, {2, 2, 1}, {5, 0, 1}, {3, 9, 0}};
  std::vector<int> tf, target;
  for (const auto& p : pairs) {
    tf.push_back(p.tf);
    target.push_back(p.target);
  }
  ContextPairImages source(ctx, pairs);
  std::vector<std::size_t> rows(pairs.size());
  std::iota(rows.begin(), rows.end(), 0);
  torch::Tensor x = batch_images(source, rows, 0, rows.size()).to(test::test_device());
  ASSERT_EQ(x.size(1), 2 * 2 + 4);
  net->eval();
  SharedGenes sg = share_genes(tf, target, test::test_device());
  torch::NoGradGuard guard;
  const torch::Tensor plain = net->forward(x), shared = net->forward_train(x, &sg).first;
  EXPECT_LT((plain - shared).abs().max().item<double>(), 1e-5);
  // The conditional channel matters: a blank one moves the scores.
  torch::Tensor blank = x.clone();
  blank.select(1, 1).zero_();
  EXPECT_GT((net->forward(blank) - plain).abs().max().item<double>(), 1e-4);

  const auto naive = predict_naive(net, ctx, tf, target, test::test_device());
  const auto cached = PairScorer(net, ctx, test::test_device(), true, 4).score(tf, target);
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_NEAR(cached[i], naive[i], 1e-5) << "pair " << i;

  save_model(dir.file("c.pt"), net, {{"kind", "deepdrim"}, {"neighbors", 2}, {"conditional", 2}, {"genes", e.genes}});
  LoadedModel back = load_model(dir.file("c.pt"));
  EXPECT_EQ(back.net->opts.primary_images, 2);
  EXPECT_EQ(predict_naive(back.net, ctx, tf, target, test::test_device()), naive);
  // A context without the conditional image does not fit this model.
  ImageContext plain_ctx(e, ImageOptions{2});
  test::expect_error([&] { PairScorer(net, plain_ctx, test::test_device(), true, 4); }, {"takes 8 images", "have 7", "--conditional"});
}

}  // namespace
}  // namespace drim::model
