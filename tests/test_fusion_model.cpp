// The fusion and image-only models (SDINet-style second modality): shapes and parameter count by
// hand, the shared-gene step, the context cache against the plain forward pass, the learned
// 'missing' embedding, model files, and an image-only model learning a label only the images carry.
#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "drim/gene_images.hpp"
#include "drim/metrics.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/predictor.hpp"
#include "drim/model/preset.hpp"
#include "drim/model/trainer.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"

namespace drim::model {
namespace {

using test::fusion_options;
using test::random_fusion;
using test::RandomGeneImages;
using test::tower_parameters;

TEST(FusionModel, ParameterCountAndShapes) {
  EXPECT_EQ(tower_parameters(1), 549088);  // the reference tower: the helper is right
  DeepDrim deepdrim;
  for (int c : {1, 3}) {
    DeepDrim fusion(fusion_options(ModelKind::Fusion, 10, c));
    // DeepDRIM's network, tower I on 2C channels, and 512 more inputs to the first dense layer.
    EXPECT_EQ(parameter_count(*fusion), 7193793 + tower_parameters(2 * c) + 512 * 512) << c << " channel(s)";
    EXPECT_EQ(fusion->images_per_pair(), 23 + 2 * c);
    EXPECT_EQ(fusion->expression_images(), 23);
    EXPECT_EQ(fusion->tower_i->conv1a->weight.sizes(), (std::vector<int64_t>{32, 2 * c, 3, 3}));
    EXPECT_EQ(fusion->fc1->weight.sizes(), (std::vector<int64_t>{512, 512 * 24}));
    fusion->eval();
    EXPECT_EQ(fusion->forward(torch::rand({3, 23 + 2 * c, 32, 32})).sizes(), (std::vector<int64_t>{3}));
    DeepDrim only(fusion_options(ModelKind::ImageOnly, 10, c));
    EXPECT_EQ(parameter_count(*only), tower_parameters(2 * c) + 512 * 512 + 512 + 513);  // CNNC's shape on 2C channels
    EXPECT_EQ(only->images_per_pair(), 2 * c);
    only->eval();
    EXPECT_EQ(only->forward(torch::rand({2, 2 * c, 32, 32})).sizes(), (std::vector<int64_t>{2}));
  }
  auto o = fusion_options(ModelKind::Fusion, 2, 1);
  o.missing_image_embedding = true;
  EXPECT_EQ(parameter_count(*DeepDrim(o)), parameter_count(*DeepDrim(fusion_options(ModelKind::Fusion, 2, 1))) + 512);
  test::expect_error([] { DeepDrim(fusion_options(ModelKind::Fusion, 2, 0)); }, {"fusion", "gene images", "'0'"});
  test::expect_error([] { DeepDrim(fusion_options(ModelKind::DeepDrim, 2, 1)); }, {"deepdrim", "no gene images"});
  EXPECT_EQ(parse_model_kind("image-only"), ModelKind::ImageOnly);
  EXPECT_EQ(to_string(ModelKind::Fusion), "fusion");
}

TEST(FusionModel, TheImageBranchSeesTheGeneImagesAndTheTowersTheRest) {
  DeepDrim net = random_fusion(fusion_options(ModelKind::Fusion, 1, 1));
  net->eval();
  torch::NoGradGuard g;
  torch::Tensor x = torch::rand({4, 7, 32, 32});
  const torch::Tensor base = net->forward(x);
  torch::Tensor maps_changed = x.clone(), expr_changed = x.clone();
  maps_changed.narrow(1, 5, 2).uniform_();
  expr_changed.narrow(1, 0, 5).uniform_();
  EXPECT_GT((net->forward(maps_changed) - base).abs().max().item<double>(), 1e-6);
  EXPECT_GT((net->forward(expr_changed) - base).abs().max().item<double>(), 1e-6);
  // The branch's embedding enters the first dense layer through its own block of columns.
  const torch::Tensor h = torch::cat({net->tower_a(x.narrow(1, 0, 1)), net->tower_b(x.narrow(1, 1, 4).reshape({16, 1, 32, 32})).reshape({4, 2048}),
                                      net->tower_i(x.narrow(1, 5, 2))}, 1);
  EXPECT_TRUE(torch::allclose(net->head_from_hidden(net->fc1(h)), base, 1e-5, 1e-6));
}

TEST(FusionModel, SharedGeneStepGivesThePlainLogits) {
  auto o = fusion_options(ModelKind::Fusion, 2, 2);
  o.tower_dropout = o.head_dropout = 0.0;  // as the trainer's exact shared step requires
  DeepDrim net = random_fusion(o);
  net->train();
  const std::vector<int> tf = {0, 0, 1, 2, 1}, target = {3, 4, 3, 3, 0};
  torch::Tensor x = torch::rand({5, 11, 32, 32});
  // Pairs with the same TF (target) share its side's images, as real pair images do.
  for (int i = 1; i < 5; ++i)
    for (int j = 0; j < i; ++j) {
      for (long ch : {1L, 3L, 4L}) if (tf[i] == tf[j]) x[i][ch].copy_(x[j][ch]);
      for (long ch : {2L, 5L, 6L}) if (target[i] == target[j]) x[i][ch].copy_(x[j][ch]);
    }
  const SharedGenes s = share_genes(tf, target, torch::kCPU);
  const auto plain = net->forward_train(x, nullptr).first, shared = net->forward_train(x, &s).first;
  EXPECT_TRUE(torch::allclose(plain, shared, 1e-5, 1e-6)) << plain << shared;
}

TEST(FusionModel, CacheMatchesThePlainForwardPass) {
  Expression e = test::random_expression(20, 50, 4);
  ImageOptions io;
  io.neighbors = 2;
  ImageContext ctx(e, io);
  io.primary_only = true;
  ImageContext prim(e, io);
  RandomGeneImages genes(20, 2);
  const std::vector<int> tf = {0, 0, 1, 7, 19, 3, 3, 11}, target = {1, 2, 0, 7, 5, 19, 9, 12};
  for (const char* norm : {"none", "batch"}) {
    for (ModelKind kind : {ModelKind::Fusion, ModelKind::ImageOnly}) {
      auto o = fusion_options(kind, 2, 2);
      o.norm = parse_norm(norm);
      DeepDrim net = random_fusion(o);
      const ImageContext& c = kind == ModelKind::Fusion ? ctx : prim;
      const auto naive = predict_naive(net, c, tf, target, test::test_device(), 64, &genes);
      const auto fast = PairScorer(net, c, test::test_device(), true, 3, {}, &genes).score(tf, target);
      double spread = 0;
      for (std::size_t i = 0; i < tf.size(); ++i) {
        EXPECT_NEAR(fast[i], naive[i], 1e-5) << to_string(kind) << ", norm " << norm << ", pair " << i;
        spread = std::max(spread, std::abs(naive[i] - naive[0]));
      }
      EXPECT_GT(spread, 1e-4) << to_string(kind);  // the scores differ, so the comparison means something
    }
  }
  DeepDrim fusion = random_fusion(fusion_options(ModelKind::Fusion, 2, 2));
  test::expect_error([&] { PairScorer(fusion, ctx, test::test_device()); }, {"fusion", "genes' images", "none given"});
  RandomGeneImages one(20, 1);
  test::expect_error([&] { PairScorer(fusion, ctx, test::test_device(), true, 4, {}, &one); }, {"2 channel(s)", "given 1"});
}

TEST(FusionModel, WithTheConditionalImageEveryPathAgrees) {
  // Fusion with --conditional: tower A takes I(a, b) and I(a, b | K), the neighbour images follow,
  // the genes' images come last; the cache, the shared-gene step and the model file agree.
  test::ScratchDir dir;
  Expression e = test::random_expression(20, 60, 13, 0.1);
  ImageOptions io;
  io.neighbors = 2;
  io.conditional = 2;
  ImageContext ctx(e, io);
  RandomGeneImages genes(20, 2);
  std::vector<LabelledPair> pairs = {{0, 5, 1}, {0, 6, 0}, {1, 5, 0}, {2, 2, 1}, {5, 0, 1}, {3, 9, 0}, {19, 4, 1}};
  std::vector<int> tf, target;
  for (const auto& p : pairs) {
    tf.push_back(p.tf);
    target.push_back(p.target);
  }
  ContextPairImages base(ctx, pairs);
  GeneImagePairs source(base, genes);
  std::vector<std::size_t> rows(pairs.size());
  std::iota(rows.begin(), rows.end(), 0);
  const torch::Tensor x = batch_images(source, rows, 0, rows.size());
  ASSERT_EQ(x.size(1), 2 + 2 + 2 * 2 + 2 * 2);  // I(a,b), I(a,b|K), self images, neighbours, genes' images
  for (const char* norm : {"none", "group"}) {
    auto o = fusion_options(ModelKind::Fusion, 2, 2);
    o.primary_images = 2;
    o.norm = parse_norm(norm);
    o.tower_dropout = o.head_dropout = 0.0;
    auto plain_o = fusion_options(ModelKind::Fusion, 2, 2);
    plain_o.norm = o.norm;
    EXPECT_EQ(parameter_count(*DeepDrim(o)), parameter_count(*DeepDrim(plain_o)) + 32 * 3 * 3);  // conv1a of tower A
    DeepDrim net = random_fusion(o);
    net->to(test::test_device());
    net->eval();
    torch::NoGradGuard g;
    const torch::Tensor logits = net->forward(x.to(test::test_device()));
    const auto naive = predict_naive(net, ctx, tf, target, test::test_device(), 64, &genes);
    const auto cached = PairScorer(net, ctx, test::test_device(), true, 3, {}, &genes).score(tf, target);
    const torch::Tensor probs = torch::sigmoid(logits).to(torch::kDouble).cpu();
    for (std::size_t i = 0; i < tf.size(); ++i) {
      EXPECT_NEAR(naive[i], probs[i].item<double>(), 1e-6) << norm << ", pair " << i;
      EXPECT_NEAR(cached[i], naive[i], 1e-5) << norm << ", pair " << i;
    }
    const SharedGenes sg = share_genes(tf, target, test::test_device());
    EXPECT_LT((net->forward_train(x.to(test::test_device()), &sg).first - logits).abs().max().item<double>(), 1e-5) << norm;
    // The conditional channel (1) and the genes' images (last 4) both move the scores.
    for (long ch : {1L, 11L}) {
      torch::Tensor blank = x.clone();
      blank.select(1, ch).zero_();
      EXPECT_GT((net->forward(blank.to(test::test_device())) - logits).abs().max().item<double>(), 1e-5) << norm << ", channel " << ch;
    }
    save_model(dir.file("fc.pt"), net, {{"kind", "fusion"}, {"neighbors", 2}, {"conditional", 2}, {"genes", e.genes}});
    LoadedModel back = load_model(dir.file("fc.pt"));
    EXPECT_EQ(back.net->opts.primary_images, 2);
    EXPECT_EQ(back.net->opts.kind, ModelKind::Fusion);
    EXPECT_EQ(back.meta["gene_image_channels"], 2);
    const auto again = predict_naive(back.net, ctx, tf, target, test::test_device(), 64, &genes);
    for (std::size_t i = 0; i < tf.size(); ++i)  // bit for bit on the CPU; cuDNN may pick another algorithm
      EXPECT_NEAR(again[i], naive[i], test::test_device().is_cpu() ? 0.0 : 1e-6) << norm << ", pair " << i;
  }
}

TEST(FusionModel, PairsWithoutAnImageGetTheLearnedEmbedding) {
  Expression e = test::random_expression(10, 40, 6);
  ImageOptions io;
  io.primary_only = true;
  ImageContext ctx(e, io);
  RandomGeneImages genes(10, 1, {9});  // gene 9 has no image
  auto o = fusion_options(ModelKind::ImageOnly, 0, 1);
  o.missing_image_embedding = true;
  DeepDrim with = random_fusion(o);
  o.missing_image_embedding = false;
  DeepDrim without = random_fusion(o);
  const std::vector<int> tf = {0, 1, 2, 0}, target = {9, 9, 9, 3};
  const auto s = predict_naive(with, ctx, tf, target, test::test_device(), 64, &genes);
  EXPECT_EQ(s[0], s[1]);  // every pair without an image gets the same embedding, whatever its TF's image
  EXPECT_EQ(s[0], s[2]);
  EXPECT_NE(s[0], s[3]);
  const auto cached = PairScorer(with, ctx, test::test_device(), true, 4, {}, &genes).score(tf, target);
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_NEAR(cached[i], s[i], 1e-5);
  const auto z = predict_naive(without, ctx, tf, target, test::test_device(), 64, &genes);
  EXPECT_NE(z[0], z[1]);  // without it, the TF's image still moves the score
}

TEST(FusionModel, ModelFileKeepsTheKindChannelsAndMissingEmbedding) {
  test::ScratchDir dir;
  Expression e = test::random_expression(12, 40, 2);
  ImageOptions io;
  io.neighbors = 1;
  ImageContext ctx(e, io);
  RandomGeneImages genes(12, 3, {5});
  auto o = fusion_options(ModelKind::Fusion, 1, 3);
  o.missing_image_embedding = true;
  DeepDrim net = random_fusion(o);
  save_model(dir.file("f.pt"), net, {{"kind", "fusion"}, {"neighbors", 1}, {"genes", e.genes}});
  LoadedModel back = load_model(dir.file("f.pt"));
  EXPECT_EQ(back.meta["gene_image_channels"], 3);
  EXPECT_EQ(back.net->opts.kind, ModelKind::Fusion);
  EXPECT_TRUE(back.net->opts.missing_image_embedding);
  const std::vector<int> tf = {0, 1, 2}, target = {3, 5, 6};
  EXPECT_EQ(predict_naive(net, ctx, tf, target, test::test_device(), 64, &genes),
            predict_naive(back.net, ctx, tf, target, test::test_device(), 64, &genes));
}

TEST(FusionModel, ImageOnlyLearnsALabelThatOnlyTheImagesCarry) {
  EXPECT_GT(test::ImagesOnlyTask().learned_auroc(ModelKind::ImageOnly, test::ImagesOnlyTask::options()), 0.95);
}

TEST(FusionModel, PretrainsItsTowersThroughTheGeneImageSource) {
  // GeneImagePairs hands on its base's context and its gene images, so --pretrain-pairs reaches a
  // fusion model's towers A and B and its image branch, and an image-only model's one tower.
  Expression e = test::random_expression(20, 60, 13, 0.1);
  ImageOptions io;
  io.neighbors = 2;
  ImageContext ctx(e, io);
  RandomGeneImages genes(20, 1);
  std::vector<LabelledPair> pairs = {{0, 5, 1}, {0, 6, 0}, {1, 5, 0}, {2, 7, 1}, {5, 0, 1}, {3, 9, 0}, {19, 4, 1}, {8, 3, 0}};
  ContextPairImages base(ctx, pairs);
  GeneImagePairs source(base, genes), only(base, genes, /*gene_images_only=*/true);
  EXPECT_EQ(source.context(), &ctx);
  EXPECT_EQ(source.gene_images(), &genes);
  EXPECT_EQ(base.gene_images(), nullptr);
  const std::vector<std::size_t> train_rows = {0, 1, 2, 3, 4, 5}, val_rows = {6, 7};
  TrainOptions t = preset_options("drim");
  t.pretrain_pairs = 64;
  t.epochs = 1;
  t.progress = false;
  auto o = model_options(t, ModelKind::Fusion, 2);
  o.gene_image_channels = 1;
  DeepDrim fusion(o);
  const TrainResult rf = train(fusion, source, train_rows, val_rows, t, test::test_device());
  EXPECT_EQ(rf.pretrain.pairs, 64u);
  EXPECT_EQ(rf.image_pretrain.pairs, 0u);  // the preset pretrains image-only models' image branch only
  TrainOptions all = t;
  all.pretrain_image_branch = "all";
  DeepDrim fusion2(o);
  EXPECT_EQ(train(fusion2, source, train_rows, val_rows, all, test::test_device()).image_pretrain.pairs, 64u);

  auto oi = model_options(t, ModelKind::ImageOnly, 0);
  oi.gene_image_channels = 1;
  DeepDrim image_only(oi);
  const TrainResult ri = train(image_only, only, train_rows, val_rows, t, test::test_device());
  EXPECT_EQ(ri.pretrain.pairs, 0u);  // no expression tower
  EXPECT_EQ(ri.image_pretrain.pairs, 64u);
  const test::NoContext file_like(only);  // hands on neither a context nor gene images
  DeepDrim image_only2(oi);
  const TrainResult rn = train(image_only2, file_like, train_rows, val_rows, t, test::test_device());
  EXPECT_EQ(rn.pretrain.pairs + rn.image_pretrain.pairs, 0u);
}

}  // namespace
}  // namespace drim::model
