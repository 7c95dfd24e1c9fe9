// The training recipe: presets, the shared-gene step against the plain step, normalisation,
// the auxiliary head, He initialisation, the learning-rate schedule and the cache with the new layers.
#include <cmath>
#include <numeric>
#include <sstream>
#include <vector>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "drim/metrics.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/edge_ranking.hpp"
#include "drim/model/frozen_tower.hpp"
#include "drim/model/lr_schedule.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/predictor.hpp"
#include "drim/model/preset.hpp"
#include "drim/model/trainer.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"
#include "drim/model/cross_validation.hpp"

namespace drim::model {
namespace {

TEST(Preset, ReferenceIsThePapersRecipe) {
  TrainOptions r = preset_options("reference");
  EXPECT_EQ(r.optimizer, "sgd");
  EXPECT_DOUBLE_EQ(r.lr, 0.01);
  EXPECT_DOUBLE_EQ(r.momentum, 0.9);
  EXPECT_TRUE(r.nesterov);
  EXPECT_DOUBLE_EQ(r.decay, 1e-6);
  EXPECT_EQ(r.schedule, "keras");
  EXPECT_DOUBLE_EQ(r.warmup_epochs, 0.0);
  EXPECT_DOUBLE_EQ(r.weight_decay, 0.0);
  EXPECT_DOUBLE_EQ(r.clip_norm, 0.0);
  EXPECT_DOUBLE_EQ(r.tower_dropout, 0.25);
  EXPECT_DOUBLE_EQ(r.head_dropout, 0.5);
  EXPECT_EQ(r.batch, 32);
  EXPECT_EQ(r.epochs, 200);
  EXPECT_EQ(r.patience, 10);
  EXPECT_EQ(r.monitor, "val_accuracy");
  EXPECT_EQ(r.norm, "none");
  EXPECT_EQ(r.init, "glorot");
  EXPECT_DOUBLE_EQ(r.aux_weight, 0.0);
  EXPECT_EQ(r.batch_order, "random");
  EXPECT_EQ(r.precision, "fp32");
  EXPECT_EQ(r.prior_calibration, "validation");
  EXPECT_EQ(r.prior_training, "feature");
  EXPECT_EQ(r.balance, "none");
  EXPECT_FALSE(r.resample_cells);  // the paper's images: every cell, every epoch
  EXPECT_EQ(r.pretrain_pairs, 0u);  // the paper trains from its initialisation
  EXPECT_EQ(r.pretrain_image_branch, "none");
  EXPECT_EQ(r.fusion, "early");  // SDINet's arrangement
  DeepDrim net(model_options(r, ModelKind::DeepDrim, 10));
  EXPECT_EQ(parameter_count(*net), 7193793);
}

TEST(Preset, DrimIsTheDocumentedRecipe) {
  // The values docs/training-recipe.md documents for the default preset.
  TrainOptions d = preset_options("drim");
  EXPECT_EQ(d.optimizer, "adamw");
  EXPECT_DOUBLE_EQ(d.lr, 1e-3);
  EXPECT_DOUBLE_EQ(d.weight_decay, 1e-4);
  EXPECT_EQ(d.schedule, "cosine");
  EXPECT_DOUBLE_EQ(d.warmup_epochs, 1.0);
  EXPECT_DOUBLE_EQ(d.clip_norm, 1.0);
  EXPECT_DOUBLE_EQ(d.tower_dropout, 0.0);
  EXPECT_DOUBLE_EQ(d.head_dropout, 0.1);
  EXPECT_EQ(d.norm, "batch");
  EXPECT_EQ(d.init, "he");
  EXPECT_DOUBLE_EQ(d.aux_weight, 1.0);
  EXPECT_EQ(d.batch, 32);
  EXPECT_EQ(d.epochs, 20);
  EXPECT_EQ(d.patience, 6);
  EXPECT_EQ(d.monitor, "val_auroc");
  EXPECT_EQ(d.batch_order, "random");
  EXPECT_TRUE(d.shared_genes);
  EXPECT_FALSE(d.resample_cells);  // an option (beeline-accuracy.md: no gain on BEELINE)
  EXPECT_EQ(d.pretrain_pairs, 20000u);  // training-recipe.md: +0.07 on the Fig. 4 simulation, level on mHSC-L
  EXPECT_EQ(d.pretrain_image_branch, "image-only");  // spatial.md: image-only +0.07-0.14, fusion lower with it
  EXPECT_EQ(d.fusion, "early");  // spatial.md: late fusion measured no better
  EXPECT_EQ(d.precision, "fp32");
  EXPECT_EQ(d.prior_calibration, "validation");
  EXPECT_EQ(d.prior_training, "feature");
  EXPECT_EQ(d.balance, "none");
  EXPECT_FALSE(shared_gene_step_exact(d));  // batch statistics see each distinct image once
  d.norm = "group";
  EXPECT_TRUE(shared_gene_step_exact(d));
  EXPECT_EQ(preset_names().front(), "drim");
  test::expect_error([] { preset_options("fast"); }, {"'fast'", "drim", "reference"});
}

TEST(Preset, GivenOptionsOverrideThePresetAndTheRestFollowsIt) {
  TrainOptions o = preset_options("drim");
  o.lr = 0.05;
  o.norm = "batch";
  o.epochs = 3;
  apply_preset(o, "reference", [](const std::string& opt) { return opt == "--lr" || opt == "--norm"; });
  EXPECT_DOUBLE_EQ(o.lr, 0.05);       // given
  EXPECT_EQ(o.norm, "batch");         // given
  EXPECT_EQ(o.epochs, 200);           // from the preset, not the value bound before
  EXPECT_EQ(o.optimizer, "sgd");
  auto j = resolved_options_json(o);
  EXPECT_EQ(j.at("lr").get<double>(), 0.05);
  EXPECT_EQ(j.at("optimizer").get<std::string>(), "sgd");
  EXPECT_EQ(j.size(), preset_option_names().size());
  o.optimizer = "rmsprop";
  o.lr = -1;
  o.precision = "fp16";
  o.fusion = "middle";
  test::expect_error([&] { validate(o); }, {"'rmsprop'", "lr must be positive", "'fp16'", "unknown fusion 'middle'"});
}

TEST(DeepDrim, NormalisationAndAuxiliaryHeadHaveTheParametersTheyClaim) {
  DeepDrimOptions o;
  o.norm = Norm::Group;
  EXPECT_EQ(parameter_count(*DeepDrim(o)), 7193793 + 2 * 896);  // 2C per convolution, both towers
  o.aux_head = true;
  DeepDrim aux(o);
  EXPECT_EQ(parameter_count(*aux), 7193793 + 2 * 896 + 263169);  // CNNC head: 512 x 512 + 512, 512 + 1
  o.kind = ModelKind::Cnnc;
  o.norm = Norm::None;
  o.aux_head = false;
  DeepDrim cnnc(o);
  // Tower A plus the auxiliary head has exactly CNNC's shape.
  EXPECT_EQ(parameter_count(*aux->tower_a) - 896 + parameter_count(*aux->aux_fc1) + parameter_count(*aux->aux_out), parameter_count(*cnnc));
  DeepDrimOptions zero;
  zero.neighbors = 0;
  DeepDrim self_only(zero);
  self_only->eval();
  EXPECT_EQ(self_only->forward(torch::rand({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2}));
}

TEST(DeepDrim, HeInitialisationScalesTheReluLayersByFanIn) {
  torch::manual_seed(3);
  DeepDrimOptions o;
  o.he_init = true;
  DeepDrim net(o);
  const double conv_bound = std::sqrt(6.0 / (64 * 9));  // kaiming uniform, gain sqrt(2), fan_in 64 x 3 x 3
  auto w = net->tower_b->conv3a->weight;
  EXPECT_LE(w.abs().max().item<double>(), conv_bound);
  EXPECT_GT(w.abs().max().item<double>(), 0.99 * conv_bound);
  const double fc1_bound = std::sqrt(6.0 / 11776);
  EXPECT_GT(net->fc1->weight.abs().max().item<double>(), 0.99 * fc1_bound);
  EXPECT_EQ(net->out->weight.abs().max().item<double>(), 0.0);  // logits start at 0
  net->eval();
  EXPECT_EQ(net->forward(torch::rand({2, 23, 32, 32})).abs().max().item<double>(), 0.0);
}

/// Loss and every parameter's gradient after one training step's backward pass.
std::pair<double, std::vector<torch::Tensor>> step_gradients(DeepDrim& net, const torch::Tensor& x, const torch::Tensor& y,
                                                             const SharedGenes* shared, double aux_weight) {
  net->zero_grad();
  torch::manual_seed(11);  // same head-dropout masks in both paths
  auto [logits, aux] = net->forward_train(x, shared);
  torch::Tensor loss = torch::binary_cross_entropy_with_logits(logits, y);
  if (aux.defined()) loss = loss + aux_weight * torch::binary_cross_entropy_with_logits(aux, y);
  loss.backward();
  std::vector<torch::Tensor> g;
  for (auto& p : net->parameters()) g.push_back(p.grad().clone());
  return {loss.item<double>(), g};
}

TEST(SharedGenes, StepGivesThePlainStepsLossAndGradients) {
  Expression e = test::random_expression(30, 80, 21);
  ImageOptions io;
  io.neighbors = 3;
  ImageContext ctx(e, io);
  // Repeated TFs and targets, a self pair and a gene that is a TF in one pair and a target in another.
  std::vector<LabelledPair> pairs = {{0, 5, 1}, {0, 6, 0}, {1, 5, 0}, {2, 2, 1}, {5, 0, 1}, {0, 5, 1}, {3, 9, 0}, {1, 6, 1}};
  ContextPairImages source(ctx, pairs);
  std::vector<std::size_t> rows(pairs.size());
  std::iota(rows.begin(), rows.end(), 0);
  torch::Tensor x = batch_images(source, rows, 0, rows.size());
  std::vector<float> label;
  std::vector<int> tf, target;
  for (const auto& p : pairs) {
    label.push_back(p.label);
    tf.push_back(p.tf);
    target.push_back(p.target);
  }
  torch::Tensor y = torch::tensor(label);
  SharedGenes sg = share_genes(tf, target, test::test_device());
  EXPECT_EQ(sg.tf_rep.numel(), 5);      // TFs 0, 1, 2, 5, 3
  EXPECT_EQ(sg.target_rep.numel(), 5);  // targets 5, 6, 2, 0, 9
  for (const char* norm : {"none", "group"}) {
    TrainOptions t = preset_options("drim");
    t.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
    t.norm = norm;
    t.head_dropout = 0.3;
    t.aux_weight = 0.5;
    t.init = "glorot";  // non-zero output weights, so every layer gets a gradient in the first step
    ASSERT_TRUE(shared_gene_step_exact(t));
    // In double precision the two paths agree to rounding; in float32 the sums over pairs are taken
    // in another order, so gradients agree to float rounding relative to their size. The
    // convolution biases are made non-zero: with glorot's zero biases a convolution over an
    // all-zero patch is exactly 0 in one cuDNN algorithm and +-1e-9 in another (cuDNN picks by
    // batch size), so ReLU's subgradient at that tie, and the bias gradients, differed between
    // the paths on a GPU (docs/cuda.md; scripts/cuda-shared-bias.py).
    for (auto dtype : {torch::kFloat64, torch::kFloat32}) {
      torch::manual_seed(5);
      DeepDrim net(model_options(t, ModelKind::DeepDrim, 3));
      {
        torch::NoGradGuard g;
        for (auto& p : net->named_parameters())
          if (p.key().find("conv") != std::string::npos && p.key().find("bias") != std::string::npos) p.value().uniform_(-0.05, 0.05);
      }
      net->to(test::test_device(), dtype);
      net->train();
      const torch::Tensor xd = x.to(test::test_device(), dtype), yd = y.to(test::test_device(), dtype);
      auto [loss_plain, g_plain] = step_gradients(net, xd, yd, nullptr, t.aux_weight);
      auto [loss_shared, g_shared] = step_gradients(net, xd, yd, &sg, t.aux_weight);
      auto g_again = step_gradients(net, xd, yd, nullptr, t.aux_weight).second;  // the device's run-to-run spread
      EXPECT_NEAR(loss_shared, loss_plain, 1e-5) << norm;
      double largest = 0, worst = 0;
      std::ostringstream where;  // per-parameter differences, printed when the check fails
      const auto names = net->named_parameters().keys();
      for (std::size_t i = 0; i < g_plain.size(); ++i) {
        const double big = g_plain[i].abs().max().item<double>(), diff = (g_shared[i] - g_plain[i]).abs().max().item<double>();
        largest = std::max(largest, big);
        worst = std::max(worst, diff);
        where << "\n  " << names[i] << ": max |g| " << big << ", max |shared - plain| " << diff
              << ", max |plain - plain again| " << (g_again[i] - g_plain[i]).abs().max().item<double>();
      }
      EXPECT_GT(largest, 1e-3);  // the gradients are not all zero, so the comparison means something
      if (dtype == torch::kFloat64) EXPECT_LE(worst, 1e-10) << norm << where.str();
      else EXPECT_LE(worst, 1e-4 * largest) << norm << ": largest gradient " << largest << where.str();
    }
  }
}

TEST(SharedGenes, DistinctGenesAndTheirFirstPairs) {
  SharedGenes s = share_genes({4, 4, 7, 4, 9}, {1, 2, 1, 1, 3}, test::test_device());
  auto longs = [](const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kCPU).contiguous();
    return std::vector<long>(c.data_ptr<long>(), c.data_ptr<long>() + c.numel());
  };
  EXPECT_EQ(longs(s.tf_rep), (std::vector<long>{0, 2, 4}));
  EXPECT_EQ(longs(s.tf_inv), (std::vector<long>{0, 0, 1, 0, 2}));
  EXPECT_EQ(longs(s.target_rep), (std::vector<long>{0, 1, 4}));
  EXPECT_EQ(longs(s.target_inv), (std::vector<long>{0, 1, 0, 0, 2}));
}

TEST(ModelMeta, NeighbourPoolAndRankComeBackForAnotherMatrix) {
  const nlohmann::json meta = {{"kind", "deepdrim"}, {"neighbors", 2}, {"neighbor_pool", {"g3", "g1", "gone"}},
                               {"neighbor_rank", "correlation"}, {"genes", {"g0", "g1", "g2", "g3"}}};
  // The prediction matrix has the genes in another order, one more, and lacks "gone".
  const ImageOptions img = image_options_from_meta(meta, {"g3", "g9", "g0", "g1", "g2"}, "m.pt");
  EXPECT_EQ(img.neighbor_pool, (std::vector<char>{1, 0, 0, 1, 0}));
  EXPECT_EQ(img.neighbor_rank, NeighborRank::AbsCorrelation);
  EXPECT_EQ(img.neighbors, 2);
  const ImageOptions plain = image_options_from_meta({{"kind", "deepdrim"}, {"neighbors", 1}}, {"a", "b"}, "old.pt");
  EXPECT_TRUE(plain.neighbor_pool.empty());  // models written before the option rank among all genes by covariance
  EXPECT_EQ(plain.neighbor_rank, NeighborRank::Covariance);
}

TEST(LearningRate, WarmUpThenCosineOrKerasDecay) {
  TrainOptions o;
  o.lr = 0.1;
  o.epochs = 3;
  o.warmup_epochs = 1.0;
  o.schedule = "cosine";
  const long spe = 10;
  EXPECT_DOUBLE_EQ(learning_rate(o, 0, spe), 0.1 * 1 / 10);
  EXPECT_DOUBLE_EQ(learning_rate(o, 4, spe), 0.1 * 5 / 10);
  EXPECT_DOUBLE_EQ(learning_rate(o, 10, spe), 0.1);                                      // warm-up over: the peak
  EXPECT_NEAR(learning_rate(o, 20, spe), 0.1 * 0.5 * (1 + std::cos(M_PI * 0.5)), 1e-15);  // half-way through the cosine
  EXPECT_NEAR(learning_rate(o, 30, spe), 0.0, 1e-15);
  o.schedule = "keras";
  o.warmup_epochs = 0;
  o.decay = 0.01;
  EXPECT_DOUBLE_EQ(learning_rate(o, 0, spe), 0.1);
  EXPECT_DOUBLE_EQ(learning_rate(o, 100, spe), 0.1 / 2.0);
}

/// The learnable set with n = 2, its TF split, and the default recipe for 6 short epochs.
struct LearnableRun {
  test::Learnable s = test::learnable_set(40, 100);
  ImageContext ctx{s.expr, ImageOptions{2}};
  ContextPairImages source{ctx, s.pairs};
  PairSplit split = split_by_tf(s.pairs, 0.25, 3);
  TrainOptions t = [] {
    TrainOptions o = preset_options("drim");
    o.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
    o.epochs = 6;
    o.batch = 8;
    o.patience = 0;
    o.progress = false;
    return o;
  }();
  /// A DeepDRIM seeded with 1, trained; the network and the result.
  std::pair<DeepDrim, TrainResult> train_one() {
    torch::manual_seed(1);
    DeepDrim net(model_options(t, ModelKind::DeepDrim, 2));
    auto res = train(net, source, split.train, split.validation, t, test::test_device());
    return {net, res};
  }
};

TEST(Train, DefaultRecipeLearnsDeepDrimWhereTheLabelIsLearnable) {
  configure_threads(0);
  LearnableRun run;
  auto [net, res] = run.train_one();
  EXPECT_GT(res.history.at(res.best_epoch - 1).val_auroc, 0.9);
  EXPECT_FALSE(stayed_on_plateau(res));
  EXPECT_LT(res.history.back().loss, 0.5);
}

TEST(Train, Bf16AutocastFollowsFloat32OrIsRefused) {
  configure_threads(0);
  LearnableRun r;
  // 3 epochs: this set is memorised by epoch 3 (loss 0 to 6 digits), and after a few epochs at
  // loss 0 AdamW can take a spike from rounding alone (fp32 at epoch 6: 0.18, bf16 4e-5).
  r.t.epochs = 3;
  auto run = [&](const std::string& precision) {
    r.t.precision = precision;
    return r.train_one();
  };
  const torch::Device device = test::test_device();
  if (device.is_cpu() && !bf16_available()) {
    test::expect_error([&] { run("bf16"); }, {"bf16", "AVX-512 BF16", "fp32"});
    return;
  }
  auto [net32, res32] = run("fp32");
  auto [net16, res16] = run("bf16");
  EXPECT_GT(res16.history.at(res16.best_epoch - 1).val_auroc, 0.9);
  double max_change = 0.0;
  for (std::size_t e = 0; e < res32.history.size(); ++e)
    EXPECT_NEAR(res16.history[e].loss, res32.history[e].loss, 0.1 + 0.2 * res32.history[e].loss) << "epoch " << e + 1;
  auto p32 = net32->parameters(), p16 = net16->parameters();
  for (std::size_t i = 0; i < p16.size(); ++i) {
    EXPECT_EQ(p16[i].scalar_type(), torch::kFloat32);  // the weights the optimiser steps stay float32
    max_change = std::max(max_change, (p16[i] - p32[i]).abs().max().item<double>());
  }
  EXPECT_GT(max_change, 0.0);  // the bfloat16 arithmetic did run
}

TEST(Train, Fp64FollowsFloat32AndLeavesAFloat32Model) {
  configure_threads(0);
  LearnableRun r;
  r.t.epochs = 1;
  r.t.optimizer = "sgd";  // AdamW would turn float32 rounding into lr-sized steps (docs/distributed.md)
  r.t.lr = 0.01;
  auto run = [&](const std::string& precision) {
    r.t.precision = precision;
    return r.train_one();
  };
  auto [net32, res32] = run("fp32");
  auto [net64, res64] = run("fp64");
  EXPECT_NEAR(res64.history[0].loss, res32.history[0].loss, 1e-4);
  double max_change = 0.0;
  auto p32 = net32->parameters(), p64 = net64->parameters();
  for (std::size_t i = 0; i < p64.size(); ++i) {
    EXPECT_EQ(p64[i].scalar_type(), torch::kFloat32);  // stored as every model is
    max_change = std::max(max_change, (p64[i] - p32[i]).abs().max().item<double>());
  }
  EXPECT_GT(max_change, 0.0);  // the float64 arithmetic did run
  EXPECT_LT(max_change, 1e-3);
  auto b32 = net32->named_buffers(), b64 = net64->named_buffers();
  for (const auto& b : b64) {
    EXPECT_EQ(b.value().scalar_type(), b32[b.key()].scalar_type()) << b.key();  // the step counters stay int64
    if (!b.value().is_floating_point()) EXPECT_TRUE(torch::equal(b.value(), b32[b.key()])) << b.key();
  }
}

TEST(Train, ResampledCellsAreSeededValidatedOnEveryCellAndRefusedForFiles) {
  configure_threads(0);
  LearnableRun r;
  r.t.epochs = 4;
  auto run = [&](bool resample) {
    r.t.resample_cells = resample;
    return r.train_one();
  };
  auto [plain, plain_res] = run(false);
  auto [a, res_a] = run(true);
  auto [b, res_b] = run(true);
  EXPECT_GT(res_a.history.at(res_a.best_epoch - 1).val_auroc, 0.9);
  double same = 0.0, moved = 0.0;
  auto pa = a->parameters(), pb = b->parameters(), pp = plain->parameters();
  for (std::size_t i = 0; i < pa.size(); ++i) {
    same = std::max(same, (pa[i] - pb[i]).abs().max().item<double>());
    moved = std::max(moved, (pa[i] - pp[i]).abs().max().item<double>());
  }
  // Same seed, same bootstrap replicates, same weights: bit for bit on the CPU. On a GPU cuDNN's
  // backward sums in any order, and 4 epochs grow that rounding past test::reproduced's 1e-6 (seen
  // on an H200): there the rerun must stay far closer than the replicates move the weights.
  if (test::test_device().is_cpu()) EXPECT_EQ(same, 0.0);
  else EXPECT_LT(same, 0.1 * moved);
  EXPECT_GT(moved, 1e-4); // the replicates differ from the full data's images
  EXPECT_NE(res_a.history[0].loss, plain_res.history[0].loss);
  // Validation scores the full data's images: the kept epoch's AUROC is the restored model's.
  std::vector<int> labels;
  for (std::size_t row : r.split.validation) labels.push_back(r.s.pairs[row].label);
  EXPECT_NEAR(auroc(predict_rows(a, r.source, r.split.validation, test::test_device()), labels),
              res_a.history.at(res_a.best_epoch - 1).val_auroc, 1e-9);
  // A source that cannot rebuild its images from a resample (as a drim-images file) is refused.
  struct Fixed : PairImageSource {
    const PairImageSource& base;
    explicit Fixed(const PairImageSource& b) : base(b) {}
    std::size_t size() const override { return base.size(); }
    int images_per_pair() const override { return base.images_per_pair(); }
    const LabelledPair& pair(std::size_t i) const override { return base.pair(i); }
    void images(std::size_t i, float* out) const override { base.images(i, out); }
  } fixed(r.source);
  r.t.resample_cells = true;
  DeepDrim net(model_options(r.t, ModelKind::DeepDrim, 2));
  test::expect_error([&] { train(net, fixed, r.split.train, r.split.validation, r.t, test::test_device()); },
                     {"--resample-cells", "read from a file", "--no-resample-cells"});
}

TEST(CrossValidate, TrainFractionTrainsOnFewerTfsAndStillScoresEveryPair) {
  configure_threads(0);
  test::Learnable s = test::learnable_set(12, 40);
  const auto folds = assign_tf_folds(s.pairs, 2, 3);
  CvOptions cv;
  cv.train = preset_options("drim");
  cv.train.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
  cv.train.epochs = 1;
  cv.train.progress = false;
  cv.images.neighbors = 0;  // self images only: 3 per pair
  auto full = cross_validate(s.expr, s.pairs, folds, cv);
  cv.train_fraction = 0.5;
  auto half = cross_validate(s.expr, s.pairs, folds, cv);
  for (int f = 0; f < 2; ++f) {
    const auto& a = full.timing[f];
    const auto& b = half.timing[f];
    EXPECT_EQ(a.train_pairs, b.train_pairs);
    EXPECT_EQ(a.validation_pairs, b.validation_pairs);
    EXPECT_GT(b.fit_pairs, 0u);
    EXPECT_LE(b.fit_pairs, a.fit_pairs / 2 + 2) << "fold " << f;  // whole TFs of 2 pairs each
    EXPECT_EQ(a.fit_pairs + a.validation_pairs, a.train_pairs);
  }
  for (double p : half.scores.at("deepdrim")) {
    EXPECT_GT(p, 0.0);
    EXPECT_LT(p, 1.0);
  }
}

TEST(ImageContext, ZeroNeighboursKeepsThePrimaryAndSelfImages) {
  Expression e = test::random_expression(10, 50, 4);
  ImageOptions io;
  io.neighbors = 0;
  ImageContext ctx(e, io);
  ASSERT_EQ(ctx.images_per_pair(), 3);
  std::vector<float> got(3 * kImagePixels), want(3 * kImagePixels);
  ctx.pair_images(2, 7, got.data());
  ctx.image(2, 7, want.data());
  ctx.image(2, 2, want.data() + kImagePixels);
  ctx.image(7, 7, want.data() + 2 * kImagePixels);
  EXPECT_EQ(got, want);
}

TEST(PairScorer, CacheMatchesPlainPassWithGroupNormAndAuxHead) {
  Expression e = test::random_expression(25, 60, 9);
  ImageOptions io;
  io.neighbors = 2;
  ImageContext ctx(e, io);
  TrainOptions t = preset_options("drim");
  t.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
  t.aux_weight = 0.3;
  t.norm = "group";
  t.init = "glorot";  // He init starts every score at 0.5, which would make the comparison empty
  torch::manual_seed(2);
  DeepDrim net(model_options(t, ModelKind::DeepDrim, 2));
  net->eval();
  std::vector<int> tf = {0, 0, 1, 7, 24}, target = {1, 2, 0, 7, 5};
  auto naive = predict_naive(net, ctx, tf, target, test::test_device());
  PairScorer cached(net, ctx, test::test_device(), true, 4);
  auto fast = cached.score(tf, target);
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_NEAR(fast[i], naive[i], 1e-5) << "pair " << i;
  EXPECT_GT(std::abs(naive[1] - naive[3]), 1e-5);
  test::ScratchDir dir;
  save_model(dir.file("m.pt"), net, {{"kind", "deepdrim"}, {"neighbors", 2}});
  auto loaded = load_model(dir.file("m.pt"));
  EXPECT_EQ(loaded.net->opts.norm, Norm::Group);
  // Batch normalisation in eval mode is a fixed affine map per channel: the cache stays exact.
  t.norm = "batch";
  DeepDrim bn(model_options(t, ModelKind::DeepDrim, 2));
  bn->train();
  bn->forward(torch::rand({16, 7, 32, 32}));  // move the running statistics off their start
  bn->eval();
  auto bn_naive = predict_naive(bn, ctx, tf, target, test::test_device());
  auto bn_fast = PairScorer(bn, ctx, test::test_device(), true, 4).score(tf, target);
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_NEAR(bn_fast[i], bn_naive[i], 1e-5) << "pair " << i;
  EXPECT_GT(std::abs(bn_naive[1] - bn_naive[3]), 1e-5);
  EXPECT_TRUE(loaded.net->opts.aux_head);
  auto again = predict_naive(loaded.net, ctx, tf, target, test::test_device());
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_DOUBLE_EQ(again[i], naive[i]);
}

}  // namespace
}  // namespace drim::model
