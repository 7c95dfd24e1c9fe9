// The prior-aware model (--prior in-degree): its size, that it learns a signal only the prior
// carries, that the cache and the model file keep its scores, and its errors.
#include <algorithm>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "drim/baselines.hpp"
#include "drim/metrics.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/predictor.hpp"
#include "drim/model/preset.hpp"
#include "drim/model/trainer.hpp"
#include "drim/pair_images.hpp"
#include "drim/target_balance.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"

namespace drim::model {
namespace {

/// The TFs, targets and labels of some rows of `pairs`.
struct Columns {
  std::vector<int> tf, target, label;
};
Columns columns(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows) {
  Columns c;
  for (auto i : rows) {
    c.tf.push_back(pairs[i].tf);
    c.target.push_back(pairs[i].target);
    c.label.push_back(pairs[i].label);
  }
  return c;
}

TEST(Prior, AddsOneOutputWeight) {
  for (auto kind : {ModelKind::DeepDrim, ModelKind::Cnnc}) {
    DeepDrimOptions o;
    o.kind = kind;
    o.neighbors = 2;
    const auto plain = parameter_count(*DeepDrim(o));
    o.prior_features = 1;
    DeepDrim with(o);
    EXPECT_EQ(parameter_count(*with), plain + 1) << to_string(kind);
    test::expect_error([&] { with->forward(torch::zeros({3, with->images_per_pair(), 32, 32})); }, {"1 prior feature", "none"});
  }
  TrainOptions t = preset_options("drim");
  t.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
  EXPECT_EQ(t.prior, "none");
  t.prior = "in-degree";
  EXPECT_EQ(model_options(t, ModelKind::DeepDrim, 2).prior_features, 1);
  EXPECT_EQ(resolved_options_json(t).at("prior"), "in-degree");
}

/// 20 TFs x 40 targets whose targets all have the same expression, so a TF's images cannot tell
/// its targets apart. Whether a TF regulates a target depends only on the target (half of them
/// are hubs, bound with probability 0.8, the rest 0.1): only the in-degree prior can rank
/// held-out TFs' pairs.
struct HubSet {
  HubSet() : expr(same_targets()), ctx(expr, primary_only()) {
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> u(0, 1);
    for (int tf = 0; tf < 20; ++tf)
      for (int target = 20; target < 60; ++target) pairs.push_back({tf, target, u(rng) < (target < 40 ? 0.8 : 0.1) ? 1 : 0});
    split = split_by_tf(pairs, 0.3, 2);
  }
  static Expression same_targets() {
    Expression e = test::random_expression(60, 60, 9);
    for (std::size_t g = 21; g < 60; ++g) std::copy_n(e.values.begin() + 20 * 60, 60, e.values.begin() + g * 60);
    return e;
  }
  static ImageOptions primary_only() {
    ImageOptions io;
    io.primary_only = true;
    return io;
  }
  double validation_auroc(const std::string& prior) {
    TrainOptions t = preset_options("drim");
    t.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
    t.epochs = 8;
    t.lr = 1e-2;
    t.patience = 0;
    t.progress = false;
    t.prior = prior;
    torch::manual_seed(3);
    DeepDrim net(model_options(t, ModelKind::Cnnc, 0));
    if (prior == "in-degree") net->in_degree = InDegreePrior(pairs);
    ContextPairImages source(ctx, pairs);
    train(net, source, split.train, split.validation, t, test::test_device());
    return auroc(predict_rows(net, source, split.validation, test::test_device()), columns(pairs, split.validation).label);
  }
  Expression expr;
  ImageContext ctx;
  std::vector<LabelledPair> pairs;
  PairSplit split;
};

TEST(Prior, LearnsWhatOnlyTheInDegreeCarries) {
  configure_threads(0);
  HubSet h;
  const double with = h.validation_auroc("in-degree"), without = h.validation_auroc("none");
  RecordProperty("auroc_with_prior", std::to_string(with));
  RecordProperty("auroc_without_prior", std::to_string(without));
  EXPECT_GT(with, 0.75);     // the hub structure, seen through held-out TFs' in-degree feature
  EXPECT_LT(without, 0.6);  // the images carry nothing here
}

TEST(Prior, TrainingStartsFromThePriorsLogisticFit) {
  configure_threads(0);
  HubSet h;
  TrainOptions t = preset_options("drim");  // zero-initialised output layers: the images add nothing at first
  t.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
  t.epochs = 1;
  t.lr = 1e-12;  // no step moves a weight measurably
  t.max_batches = 1;
  t.progress = false;
  t.prior = "in-degree";
  t.prior_calibration = "none";  // the refit on validation pairs: the next test
  torch::manual_seed(3);
  DeepDrim net(model_options(t, ModelKind::Cnnc, 0));
  net->in_degree = InDegreePrior(h.pairs);
  ContextPairImages source(h.ctx, h.pairs);
  train(net, source, h.split.train, h.split.validation, t, test::test_device());
  // The output layer holds the 1-D logistic regression of the training labels on the feature.
  const Columns fit = columns(h.pairs, h.split.train);
  const auto f = net->in_degree.features(fit.tf, fit.target);
  const auto w = fit_logistic({std::vector<double>(f.begin(), f.end())}, fit.label);
  const torch::Tensor out_w = net->out->weight.to(torch::kCPU);
  EXPECT_NEAR(out_w[0][out_w.size(1) - 1].item<double>(), w[1], 1e-4);
  EXPECT_NEAR(net->out->bias.to(torch::kCPU).item<double>(), w[0], 1e-4);
  EXPECT_GT(w[1], 0.5);  // hubs are bound more: a clearly positive weight
  // So the scores rank held-out pairs exactly as the in-degree feature does.
  const Columns val = columns(h.pairs, h.split.validation);
  const auto vf = net->in_degree.features(val.tf, val.target);
  EXPECT_NEAR(auroc(predict_rows(net, source, h.split.validation, test::test_device()), val.label),
              auroc(std::vector<double>(vf.begin(), vf.end()), val.label), 1e-9);
}

/// The logits of the model at `rows`, the image part of each (the logit less the prior's term
/// and the bias, as the output layer holds them now) and the prior feature.
struct Logits {
  std::vector<double> logit, image, prior;
};
Logits logits_at(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows) {
  torch::NoGradGuard g;
  net->eval();
  const Columns c = columns(source.pairs(), rows);
  const torch::Tensor prior = net->prior_input(c.tf, c.target);
  const torch::Tensor z = net->forward(batch_images(source, rows, 0, rows.size()).to(test::test_device()), prior).to(torch::kCPU).to(torch::kFloat64);
  const torch::Tensor w = net->out->weight.to(torch::kCPU).to(torch::kFloat64);
  const double wp = w[0][w.size(1) - 1].item<double>(), b = net->out->bias.to(torch::kCPU).item<double>();
  const auto p = prior.to(torch::kCPU).to(torch::kFloat64);
  Logits l;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    l.logit.push_back(z[i].item<double>());
    l.prior.push_back(p[i][0].item<double>());
    l.image.push_back(l.logit.back() - wp * l.prior.back() - b);
  }
  return l;
}

/// The gradient of the log-likelihood of `labels` at logits `z` along a feature.
double score_along(const std::vector<double>& z, const std::vector<int>& labels, const std::vector<double>& feature) {
  double g = 0;
  for (std::size_t i = 0; i < z.size(); ++i) g += (labels[i] - 1.0 / (1.0 + std::exp(-z[i]))) * feature[i];
  return g;
}

/// A copy of `net` (weights, buffers and prior network).
DeepDrim copy_of(DeepDrim& net) {
  std::stringstream bytes;
  torch::save(net, bytes);
  DeepDrim copy(net->opts);
  torch::load(copy, bytes);
  copy->in_degree = net->in_degree;
  copy->to(test::test_device());
  return copy;
}

TEST(Prior, CalibrationRefitsTheOutputOnHeldOutPairs) {
  configure_threads(0);
  HubSet h;
  TrainOptions t = preset_options("drim");
  t.pretrain_pairs = 0;  // from initialisation (pretraining: test_pretrain.cpp)
  t.epochs = 3;
  t.lr = 1e-2;
  t.patience = 0;
  t.progress = false;
  t.prior = "in-degree";
  t.prior_calibration = "none";
  torch::manual_seed(3);
  DeepDrim net(model_options(t, ModelKind::Cnnc, 0));
  net->in_degree = InDegreePrior(h.pairs);
  ContextPairImages source(h.ctx, h.pairs);
  EXPECT_FALSE(train(net, source, h.split.train, h.split.validation, t, test::test_device()).prior_calibration.applied);
  const std::vector<int> y = columns(h.pairs, h.split.validation).label;
  const std::vector<double> ones(y.size(), 1.0);

  // The trained model, and a copy whose image part is negated: the regression's factor on the
  // images changes sign, so exactly one of the two refits is clamped at 0.
  std::vector<PriorCalibration> found;
  for (double sign : {1.0, -1.0}) {
    DeepDrim copy = copy_of(net);
    {
      torch::NoGradGuard g;
      copy->out->weight.narrow(1, 0, copy->out->weight.size(1) - 1).mul_(sign);
    }
    const Logits before = logits_at(copy, source, h.split.validation);
    const PriorCalibration c = calibrate_prior(copy, source, h.split.validation, test::test_device());
    ASSERT_TRUE(c.applied);
    EXPECT_EQ(c.pairs, h.split.validation.size());
    EXPECT_GE(c.image_scale, 0.0);
    // The model's logits are now c's regression on the image part and the prior ...
    const Logits after = logits_at(copy, source, h.split.validation);
    std::vector<double> z;
    for (std::size_t i = 0; i < y.size(); ++i) {
      z.push_back(c.bias + c.image_scale * before.image[i] + c.prior_weight * before.prior[i]);
      EXPECT_NEAR(after.logit[i], z[i], 1e-4 * std::max(1.0, std::abs(z[i])));
    }
    // ... and that regression maximises the likelihood (the l2 term of 1e-4 aside): the
    // gradient vanishes along the intercept and the prior, and along the image part unless its
    // factor is clamped at 0, where the likelihood falls towards positive factors.
    EXPECT_NEAR(score_along(z, y, ones), 0.0, 1e-3);
    EXPECT_NEAR(score_along(z, y, before.prior), 1e-4 * c.prior_weight, 1e-3);
    if (c.image_scale > 0)
      EXPECT_NEAR(score_along(z, y, before.image), 1e-4 * c.image_scale, 1e-3);
    else
      EXPECT_LT(score_along(z, y, before.image), 0.0);
    found.push_back(c);
  }
  EXPECT_NE(found[0].image_scale == 0.0, found[1].image_scale == 0.0);

  // train() refits by default, on the validation rows it was given, and a model without a prior
  // is left alone.
  t.prior_calibration = "validation";
  torch::manual_seed(3);
  DeepDrim again(model_options(t, ModelKind::Cnnc, 0));
  again->in_degree = InDegreePrior(h.pairs);
  const PriorCalibration c = train(again, source, h.split.train, h.split.validation, t, test::test_device()).prior_calibration;
  EXPECT_TRUE(c.applied);
  EXPECT_EQ(c.pairs, h.split.validation.size());
  EXPECT_NEAR(again->out->bias.to(torch::kCPU).item<double>(), c.bias, 1e-6);
  EXPECT_EQ(prior_calibration_from_json(prior_calibration_json(c)).prior_weight, c.prior_weight);
  DeepDrim plain(model_options(preset_options("drim"), ModelKind::Cnnc, 0));
  EXPECT_FALSE(calibrate_prior(plain, source, h.split.validation, test::test_device()).applied);
}

TEST(Prior, TargetBalanceWeighsTheLossAndHoldsThePrior) {
  configure_threads(0);
  HubSet h;
  ContextPairImages source(h.ctx, h.pairs);
  const Columns fit = columns(h.pairs, h.split.train);
  const std::vector<double> w = target_balance_weights(h.pairs, h.split.train);
  // One step over every training pair at once, too small to move a weight: the epoch's loss is
  // that of the initial model. The reference's architecture without dropout, so the logits are
  // the same in training mode.
  TrainOptions t = preset_options("reference");
  t.tower_dropout = t.head_dropout = 0.0;
  t.epochs = 1;
  t.batch = 100000;
  t.max_batches = 1;
  t.lr = 1e-12;
  t.patience = 0;
  t.progress = false;
  t.prior = "in-degree";
  for (const std::string balance : {"target", "none"}) {
    t.balance = balance;
    t.prior_training = "held";
    torch::manual_seed(3);
    DeepDrim net(model_options(t, ModelKind::Cnnc, 0));
    net->in_degree = InDegreePrior(h.pairs);
    {
      torch::NoGradGuard g;  // logits of order 1, where the weights change the loss
      net->out->weight.mul_(300.0);
      net->out->bias.fill_(0.3);
    }
    // The expected loss, by hand: the initial model with the prior's weight at 0, each pair's
    // cross-entropy weighted (balance "target") or not, over the pairs the loss uses.
    DeepDrim initial = copy_of(net);
    {
      torch::NoGradGuard g;
      initial->out->weight.select(1, initial->out->weight.size(1) - 1).zero_();
    }
    const Logits z = logits_at(initial, source, h.split.train);
    double sum = 0, unweighted = 0;
    std::size_t used = 0;
    for (std::size_t i = 0; i < z.logit.size(); ++i) {
      const double weight = balance == "target" ? w[i] : 1.0;
      if (weight == 0) continue;
      const double p = 1.0 / (1.0 + std::exp(-z.logit[i]));
      const double bce = -(fit.label[i] ? std::log(p) : std::log(1 - p));
      sum += weight * bce;
      unweighted += bce;
      ++used;
    }
    if (balance == "target") EXPECT_GT(std::abs(sum - unweighted) / used, 1e-3) << "the weights must matter here";
    EXPECT_GT(std::abs(z.logit[0] - 0.3), 0.1) << "the test needs logits that differ between pairs";
    const TrainResult r = train(net, source, h.split.train, h.split.validation, t, test::test_device());
    EXPECT_EQ(r.trained_pairs, used) << balance;
    EXPECT_NEAR(r.history.at(0).loss, sum / used, 1e-5) << balance;
    if (balance == "target") EXPECT_EQ(r.positive_fraction, 0.5);  // weighted, each target is half positive
    EXPECT_TRUE(r.prior_calibration.applied);  // held, the prior is weighed on the validation pairs after
    if (balance == "target") EXPECT_LT(used, h.split.train.size());  // some hub targets have positives only
  }

  t.balance = "target";
  t.prior_training = "feature";
  t.prior_calibration = "none";
  test::expect_error([&] { validate(t); }, {"prior training 'held'", "got 'none'"});
  t.prior_calibration = "validation";
  t.balance = "pairs";
  test::expect_error([&] { validate(t); }, {"balance 'pairs'", "none, target"});
  t.balance = "target";
  DeepDrim net(model_options(t, ModelKind::Cnnc, 0));
  net->in_degree = InDegreePrior(h.pairs);
  test::expect_error([&] { train(net, source, h.split.train, {}, t, test::test_device()); }, {"no validation pairs", "prior training 'feature'"});
  std::vector<std::size_t> positives;
  for (std::size_t r : h.split.train)
    if (h.pairs[r].label) positives.push_back(r);
  test::expect_error([&] { train(net, source, positives, h.split.validation, t, test::test_device()); }, {"both positive and negative"});
}

TEST(Prior, CacheAndModelFileKeepTheScores) {
  test::ScratchDir dir;
  Expression e = test::random_expression(12, 40, 2);
  ImageOptions io;
  io.neighbors = 2;
  ImageContext ctx(e, io);
  DeepDrimOptions o;
  o.neighbors = 2;
  o.prior_features = 1;
  torch::manual_seed(5);
  DeepDrim net(o);
  {
    torch::NoGradGuard g;
    net->out->weight.uniform_(-1, 1);  // a visible weight on the prior
  }
  const std::vector<LabelledPair> network = {{0, 3, 1}, {1, 3, 1}, {2, 3, 1}, {0, 4, 1}, {5, 6, 0}};
  net->in_degree = InDegreePrior(network);
  net->to(test::test_device());
  std::vector<int> tf = {0, 1, 2, 7, 0, 8}, target = {3, 3, 4, 3, 6, 5};
  const auto naive = predict_naive(net, ctx, tf, target, test::test_device());
  PairScorer cached(net, ctx, test::test_device(), true);
  const auto fast = cached.score(tf, target);
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_NEAR(fast[i], naive[i], 1e-5);
  EXPECT_NE(naive[0], naive[3]);  // the same target, 2 vs 3 other regulators: the prior moves the score

  save_model(dir.file("p.pt"), net, {{"kind", "deepdrim"}, {"neighbors", 2}, {"genes", e.genes}});
  LoadedModel back = load_model(dir.file("p.pt"));
  EXPECT_EQ(back.meta.at("prior"), "in-degree");
  EXPECT_EQ(back.meta.at("prior_network").size(), 4u);
  EXPECT_EQ(back.net->opts.prior_features, 1);
  bind_prior(back.net, back.meta, GeneIndex(e.genes), "p.pt");
  EXPECT_EQ(predict_naive(back.net, ctx, tf, target, test::test_device()), naive);
  test::expect_error([&] { bind_prior(back.net, back.meta, GeneIndex(std::vector<std::string>{"x", "y"}), "p.pt"); },
                     {"'p.pt'", "none of the 4 edges"});

  // A file that claims a prior but holds no network, and one with a prior this drim does not know.
  DeepDrim plain = DeepDrim(DeepDrimOptions{});
  save_model(dir.file("claim.pt"), plain, {{"kind", "deepdrim"}, {"neighbors", 10}, {"prior", "in-degree"}});
  test::expect_error([&] { load_model(dir.file("claim.pt")); }, {"claim.pt", "no training network"});
  save_model(dir.file("odd.pt"), plain, {{"kind", "deepdrim"}, {"neighbors", 10}, {"prior", "out-degree"}});
  test::expect_error([&] { load_model(dir.file("odd.pt")); }, {"odd.pt", "'out-degree'"});
}

}  // namespace
}  // namespace drim::model
