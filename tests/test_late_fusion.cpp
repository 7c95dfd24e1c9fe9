// Late fusion (--fusion late): the image branch scores a pair with its own head and the fused
// logit is DeepDRIM's plus the branch's. Checked against a DeepDRIM network holding the same
// weights and the branch's head applied by hand; the cache, the auxiliary columns, the model file,
// the refusals, and a late-fusion model learning a label only the images carry.
#include <numeric>

#include <gtest/gtest.h>

#include "drim/metrics.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/predictor.hpp"
#include "drim/model/trainer.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"

namespace drim::model {
namespace {

using test::fusion_options;
using test::random_fusion;
using test::RandomGeneImages;
using test::tower_parameters;

DeepDrimOptions late_options(int neighbors, int channels) {
  DeepDrimOptions o = fusion_options(ModelKind::Fusion, neighbors, channels);
  o.late_fusion = true;
  return o;
}

TEST(LateFusion, ParameterCountIsDeepDrimsPlusTheBranchAndItsHead) {
  for (int c : {1, 2}) {
    DeepDrim net(late_options(10, c));
    // The reference DeepDRIM (its first dense layer unchanged), tower I on 2C channels, and the
    // branch's head: dense 512 -> 512 and 512 -> 1.
    EXPECT_EQ(parameter_count(*net), 7193793 + tower_parameters(2 * c) + 512 * 512 + 512 + 513) << c;
    EXPECT_EQ(net->fc1->weight.sizes(), (std::vector<int64_t>{512, 512 * 23}));
    EXPECT_EQ(net->images_per_pair(), 23 + 2 * c);
  }
  DeepDrimOptions deepdrim = fusion_options(ModelKind::DeepDrim, 2, 0);
  deepdrim.late_fusion = true;
  test::expect_error([&] { DeepDrim{deepdrim}; }, {"late fusion", "'deepdrim'"});
  DeepDrimOptions with_prior = late_options(2, 1);
  with_prior.prior_features = 1;
  test::expect_error([&] { DeepDrim{with_prior}; }, {"late fusion", "prior"});
}

TEST(LateFusion, LogitIsDeepDrimsPlusTheImageBranchs) {
  DeepDrim late = random_fusion(late_options(2, 1));
  DeepDrim plain(fusion_options(ModelKind::DeepDrim, 2, 0));
  {
    torch::NoGradGuard g;
    auto from = late->named_parameters();
    for (auto& p : plain->named_parameters()) p.value().copy_(from[p.key()]);
  }
  late->eval();
  plain->eval();
  torch::NoGradGuard g;
  torch::Tensor x = torch::rand({5, 9, 32, 32});
  const torch::Tensor maps = x.narrow(1, 7, 2);
  const torch::Tensor branch = late->image_out(torch::relu(late->image_fc1(late->tower_i(maps)))).squeeze(1);
  const torch::Tensor expected = plain->forward(x.narrow(1, 0, 7)) + branch;
  EXPECT_TRUE(torch::allclose(late->forward(x), expected, 1e-5, 1e-6)) << late->forward(x) << expected;
  EXPECT_GT(branch.abs().max().item<double>(), 1e-4);  // the branch does add something
}

TEST(LateFusion, AuxiliaryColumnsAreTowerAsHeadAndTheTwoParts) {
  DeepDrimOptions o = late_options(1, 1);
  o.aux_head = true;
  o.head_dropout = 0.0;
  DeepDrim net = random_fusion(o);
  net->train();
  torch::NoGradGuard g;
  const auto [logits, aux] = net->forward_train(torch::rand({4, 7, 32, 32}), nullptr);
  ASSERT_EQ(aux.sizes(), (std::vector<int64_t>{4, 3}));
  EXPECT_TRUE(torch::allclose(aux.select(1, 1) + aux.select(1, 2), logits, 1e-5, 1e-6));
}

TEST(LateFusion, CacheMatchesThePlainForwardPassAndTheFileKeepsIt) {
  test::ScratchDir dir;
  Expression e = test::random_expression(20, 50, 4);
  ImageOptions io;
  io.neighbors = 2;
  ImageContext ctx(e, io);
  RandomGeneImages genes(20, 2, {6});
  const std::vector<int> tf = {0, 0, 1, 7, 19, 3, 6, 11}, target = {1, 2, 0, 7, 5, 19, 9, 12};
  DeepDrimOptions o = late_options(2, 2);
  o.norm = Norm::Batch;
  o.missing_image_embedding = true;
  DeepDrim net = random_fusion(o);
  const auto naive = predict_naive(net, ctx, tf, target, test::test_device(), 64, &genes);
  const auto fast = PairScorer(net, ctx, test::test_device(), true, 3, {}, &genes).score(tf, target);
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_NEAR(fast[i], naive[i], 1e-5) << "pair " << i;
  save_model(dir.file("late.pt"), net, {{"kind", "fusion"}, {"neighbors", 2}, {"genes", e.genes}});
  LoadedModel back = load_model(dir.file("late.pt"));
  EXPECT_EQ(back.meta["fusion"], "late");
  EXPECT_TRUE(back.net->opts.late_fusion);
  EXPECT_EQ(predict_naive(back.net, ctx, tf, target, test::test_device(), 64, &genes), naive);
}

TEST(LateFusion, LearnsALabelThatOnlyTheImagesCarry) {
  // The DeepDRIM part cannot learn it; the sum must still rank by the branch's logit.
  TrainOptions t = test::ImagesOnlyTask::options();
  t.aux_weight = 1.0;
  t.fusion = "late";
  const auto o = model_options(t, ModelKind::Fusion, 1);
  ASSERT_TRUE(o.late_fusion && o.aux_head);
  EXPECT_GT(test::ImagesOnlyTask().learned_auroc(ModelKind::Fusion, t), 0.95);
}

}  // namespace
}  // namespace drim::model
