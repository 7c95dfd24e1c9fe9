// The LibTorch network: shapes and parameter count, a hand-built tower reference, the context
// cache, model files, seeded training and learning a learnable label.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <random>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "drim/images_writer.hpp"
#include "drim/model/allocator.hpp"
#include "drim/model/cross_validation.hpp"
#include "drim/metrics.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/predictor.hpp"
#include "drim/model/trainer.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"

namespace drim::model {
namespace {

using test::Learnable;
using test::learnable_set;

TEST(DeepDrim, ParameterCountAndShapesMatchTheReference) {
  DeepDrim net;
  EXPECT_EQ(parameter_count(*net), 7193793);
  EXPECT_EQ(parameter_count(*net->tower_a), 549088);
  EXPECT_EQ(net->fc1->weight.sizes(), (std::vector<int64_t>{512, 11776}));
  EXPECT_EQ(net->fc2->weight.sizes(), (std::vector<int64_t>{128, 512}));
  EXPECT_EQ(net->out->weight.sizes(), (std::vector<int64_t>{1, 128}));
  EXPECT_EQ(net->tower_b->conv3b->weight.sizes(), (std::vector<int64_t>{128, 128, 3, 3}));
  EXPECT_EQ(net->tower_a->embed->weight.sizes(), (std::vector<int64_t>{512, 512}));
  net->eval();
  EXPECT_EQ(net->forward(torch::rand({3, 23, 32, 32})).sizes(), (std::vector<int64_t>{3}));
  DeepDrimOptions o;
  o.neighbors = 4;
  EXPECT_EQ(DeepDrim(o)->fc1->weight.size(1), 512 * 11);
  o.kind = ModelKind::Cnnc;
  DeepDrim cnnc(o);
  EXPECT_EQ(parameter_count(*cnnc), 549088 + 512 * 512 + 512 + 513);
}

TEST(DeepDrim, KerasInitialisation) {
  DeepDrim net;
  auto w = net->fc1->weight;
  const double limit = std::sqrt(6.0 / (11776 + 512));
  EXPECT_LE(w.abs().max().item<double>(), limit);
  EXPECT_GT(w.abs().max().item<double>(), 0.99 * limit);
  EXPECT_EQ(net->fc1->bias.abs().max().item<double>(), 0.0);
  const double conv_limit = std::sqrt(6.0 / (32 * 9 + 64 * 9));
  EXPECT_LE(net->tower_b->conv2a->weight.abs().max().item<double>(), conv_limit);
}

TEST(DeepDrim, DropoutRatesAreTheOnesAskedForAndOnlyActInTraining) {
  torch::NoGradGuard g;
  torch::manual_seed(3);
  auto x = torch::rand({4, 5, 32, 32});
  DeepDrimOptions o;
  o.neighbors = 1;
  DeepDrim reference(o);
  EXPECT_DOUBLE_EQ(reference->drop->options.p(), 0.5);
  EXPECT_DOUBLE_EQ(reference->tower_b->drop->options.p(), 0.25);
  reference->train();
  EXPECT_FALSE(torch::equal(reference->forward(x), reference->forward(x)));  // dropout draws differ
  reference->eval();
  EXPECT_TRUE(torch::equal(reference->forward(x), reference->forward(x)));
  o.tower_dropout = 0.0;
  o.head_dropout = 0.0;
  DeepDrim none(o);
  EXPECT_DOUBLE_EQ(none->drop->options.p(), 0.0);
  EXPECT_DOUBLE_EQ(none->tower_a->drop->options.p(), 0.0);
  none->train();
  auto train_out = none->forward(x);
  none->eval();
  EXPECT_TRUE(torch::allclose(train_out, none->forward(x)));  // no dropout: training pass = inference pass
}

TEST(Tower, IdentityKernelsMatchHandComputedCropsAndPools) {
  torch::NoGradGuard g;
  Tower t;
  t->eval();
  for (auto& p : t->parameters()) p.zero_();
  for (auto* c : {&t->conv1a, &t->conv1b, &t->conv2a, &t->conv2b, &t->conv3a, &t->conv3b}) (*c)->weight[0][0][1][1] = 1.0;
  for (int i = 0; i < 4; ++i) t->embed->weight[i][i] = 1.0;
  t->embed->bias[5] = 0.25;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<float> img(1024);
  for (auto& v : img) v = u(rng);
  // Hand reference: each block is "same" (identity), "valid" (crop one pixel a side), maxpool 2.
  std::vector<std::vector<float>> x(32, std::vector<float>(32));
  for (int r = 0; r < 32; ++r)
    for (int c = 0; c < 32; ++c) x[r][c] = img[r * 32 + c];
  for (int block = 0; block < 3; ++block) {
    const int n = static_cast<int>(x.size()) - 2, m = n / 2;
    std::vector<std::vector<float>> y(m, std::vector<float>(m));
    for (int r = 0; r < m; ++r)
      for (int c = 0; c < m; ++c)
        y[r][c] = std::max({x[1 + 2 * r][1 + 2 * c], x[2 + 2 * r][1 + 2 * c], x[1 + 2 * r][2 + 2 * c], x[2 + 2 * r][2 + 2 * c]});
    x = y;
  }
  ASSERT_EQ(x.size(), 2u);
  auto out = t->forward(torch::from_blob(img.data(), {1, 1, 32, 32}).clone());
  EXPECT_FLOAT_EQ(out[0][0].item<float>(), x[0][0]);
  EXPECT_FLOAT_EQ(out[0][1].item<float>(), x[0][1]);
  EXPECT_FLOAT_EQ(out[0][2].item<float>(), x[1][0]);
  EXPECT_FLOAT_EQ(out[0][3].item<float>(), x[1][1]);
  EXPECT_FLOAT_EQ(out[0][4].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(out[0][5].item<float>(), 0.25f);
}

/// Random weights with non-zero biases, so every term of the cache is exercised.
DeepDrim random_net(int neighbors, ModelKind kind = ModelKind::DeepDrim) {
  torch::manual_seed(5);
  DeepDrimOptions o;
  o.neighbors = neighbors;
  o.kind = kind;
  DeepDrim net(o);
  torch::NoGradGuard g;
  for (auto& p : net->named_parameters())
    if (p.key().find("bias") != std::string::npos) p.value().uniform_(-0.1, 0.1);
  return net;
}

TEST(PairScorer, CacheMatchesPlainForwardPass) {
  Expression e = test::random_expression(25, 60, 8);
  ImageOptions io;
  io.neighbors = 3;
  ImageContext ctx(e, io);
  DeepDrim net = random_net(3);
  std::vector<int> tf = {0, 0, 1, 7, 24, 3, 3}, target = {1, 2, 0, 7, 5, 24, 9};
  auto naive = predict_naive(net, ctx, tf, target, test::test_device());
  PairScorer cached(net, ctx, test::test_device(), true, 4);
  auto fast = cached.score(tf, target);
  double spread = 0;
  for (std::size_t i = 0; i < tf.size(); ++i) {
    EXPECT_NEAR(fast[i], naive[i], 1e-5) << "pair " << i;
    spread = std::max(spread, std::abs(naive[i] - naive[0]));
  }
  EXPECT_GT(spread, 1e-4);  // scores differ between pairs, so the comparison means something
  PairScorer plain(net, ctx, test::test_device(), false);
  auto again = plain.score(tf, target);
  for (std::size_t i = 0; i < tf.size(); ++i) EXPECT_FLOAT_EQ(again[i], static_cast<float>(naive[i]));
}

TEST(ModelFile, RoundTripGivesIdenticalScoresAndBadFilesAreNamed) {
  test::ScratchDir dir;
  Expression e = test::random_expression(12, 40, 2);
  ImageOptions io;
  io.neighbors = 2;
  ImageContext ctx(e, io);
  DeepDrim net = random_net(2);
  save_model(dir.file("m.pt"), net, {{"kind", "deepdrim"}, {"neighbors", 2}, {"genes", e.genes}});
  LoadedModel back = load_model(dir.file("m.pt"));
  EXPECT_EQ(back.meta["genes"].size(), 12u);
  std::vector<int> tf = {0, 1, 2}, target = {3, 4, 5};
  EXPECT_EQ(predict_naive(net, ctx, tf, target, test::test_device()), predict_naive(back.net, ctx, tf, target, test::test_device()));

  std::ifstream in(dir.file("m.pt"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir.file("cut.pt"), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  test::expect_error([&] { load_model(dir.file("cut.pt")); }, {"cut.pt", "truncated"});
  std::ofstream(dir.file("text.pt")) << "not a model";
  test::expect_error([&] { load_model(dir.file("text.pt")); }, {"text.pt", "not a drim model"});
  test::expect_error([&] { load_model(dir.file("none.pt")); }, {"none.pt", "no such file"});
}

/// A learnable set with primary images only, split by TF, and CNNC options to train on it.
struct CnncSetup {
  CnncSetup(int tfs, int cells, double val_fraction, std::uint64_t seed)
      : s(learnable_set(tfs, cells)), ctx(s.expr, primary_only()), split(split_by_tf(s.pairs, val_fraction, seed)), source(ctx, s.pairs) {
    o.kind = ModelKind::Cnnc;
  }
  static ImageOptions primary_only() {
    ImageOptions io;
    io.primary_only = true;
    return io;
  }
  Learnable s;
  ImageContext ctx;
  PairSplit split;
  ContextPairImages source;
  DeepDrimOptions o;
};

TEST(Train, LearnsALearnableLabel) {
  configure_threads(0);
  CnncSetup c(40, 100, 0.25, 3);
  auto& [s, ctx, split, source, o] = c;
  torch::manual_seed(1);
  DeepDrim net(o);
  TrainOptions t;
  t.epochs = 6;
  t.batch = 8;
  t.progress = false;
  auto res = train(net, source, split.train, split.validation, t, test::test_device());
  EXPECT_GT(res.history.at(res.best_epoch - 1).val_auroc, 0.9);
  std::vector<int> tf, target, label;
  for (std::size_t i : split.validation) {
    tf.push_back(s.pairs[i].tf);
    target.push_back(s.pairs[i].target);
    label.push_back(s.pairs[i].label);
  }
  EXPECT_GT(auroc(predict_naive(net, ctx, tf, target, test::test_device()), label), 0.9);  // best weights restored
  EXPECT_FALSE(stayed_on_plateau(res));
  std::size_t positives = 0;
  for (std::size_t i : split.train) positives += s.pairs[i].label;
  EXPECT_DOUBLE_EQ(res.positive_fraction, static_cast<double>(positives) / split.train.size());
}

TEST(Train, MonitorPicksTheKeptEpoch) {
  configure_threads(0);
  CnncSetup c(30, 60, 0.3, 5);
  auto& [s, ctx, split, source, o] = c;
  for (const std::string monitor : {"val_accuracy", "val_auroc", "val_loss"}) {
    torch::manual_seed(2);
    DeepDrim net(o);
    TrainOptions t;
    t.epochs = 4;
    t.batch = 8;
    t.patience = 0;
    t.progress = false;
    t.monitor = monitor;
    auto res = train(net, source, split.train, split.validation, t, test::test_device());
    int want = 1;  // first epoch with the best value (brute force over the history)
    for (int e = 2; e <= 4; ++e) {
      const auto& h = res.history[e - 1];
      const auto& b = res.history[want - 1];
      if (monitor == "val_accuracy" ? h.val_accuracy > b.val_accuracy
          : monitor == "val_auroc"  ? h.val_auroc > b.val_auroc
                                    : h.val_loss < b.val_loss)
        want = e;
    }
    EXPECT_EQ(res.best_epoch, want) << monitor;
    std::vector<int> labels;
    for (std::size_t i : split.validation) labels.push_back(s.pairs[i].label);
    EXPECT_NEAR(auroc(predict_rows(net, source, split.validation, test::test_device()), labels), res.history[want - 1].val_auroc, 1e-9)
        << monitor << ": the kept weights are that epoch's";
  }
  TrainOptions bad;
  bad.monitor = "auroc";
  DeepDrim net(o);
  EXPECT_THROW(train(net, source, split.train, split.validation, bad, test::test_device()), std::runtime_error);
}

TEST(CrossValidate, EveryEpochReportedAndInDegreeCountsOnlyTheOtherFoldsPositives) {
  configure_threads(0);
  Learnable s = learnable_set(12, 50);
  for (int t = 1; t < 6; ++t) s.pairs.push_back({3 * t, 1, 1});  // gene 1: a hub with positives from 6 TFs
  for (int t = 6; t < 9; ++t) s.pairs.push_back({3 * t, 4, t % 2});
  const auto folds = assign_tf_folds(s.pairs, 3, 7);
  CvOptions cv;
  cv.train.epochs = 2;
  cv.train.batch = 8;
  cv.train.patience = 0;
  cv.train.progress = false;
  cv.images.neighbors = 2;
  cv.with_cnnc = true;
  std::vector<std::tuple<int, std::string, EpochRecord>> seen;
  auto res = cross_validate(s.expr, s.pairs, folds, cv, {},
                            [&](int f, const std::string& m, const EpochRecord& r) { seen.emplace_back(f, m, r); });
  ASSERT_EQ(seen.size(), 3u * 2 * 2);  // folds x models x epochs, in that order
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const auto& [f, m, r] = seen[i];
    EXPECT_EQ(f, static_cast<int>(i / 4));
    EXPECT_EQ(m, i % 4 < 2 ? "deepdrim" : "cnnc");
    EXPECT_EQ(r.epoch, static_cast<int>(i % 2) + 1);
    const auto& h = res.timing.at(f).trained.at(m).history;
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[r.epoch - 1].loss, r.loss);
    EXPECT_EQ(h[r.epoch - 1].val_auroc, r.val_auroc);
  }
  for (std::size_t i = 0; i < s.pairs.size(); ++i) {
    double want = 0;  // brute force: positives of the pair's target among pairs of the other folds
    for (std::size_t j = 0; j < s.pairs.size(); ++j)
      if (folds[j] != folds[i] && s.pairs[j].label == 1 && s.pairs[j].target == s.pairs[i].target) want += 1;
    EXPECT_EQ(res.scores.at("in_degree")[i], want) << "pair " << i;
    for (const char* m : {"deepdrim", "cnnc"}) {
      EXPECT_GT(res.scores.at(m)[i], 0.0) << m;
      EXPECT_LT(res.scores.at(m)[i], 1.0) << m;
    }
  }
}

TEST(Train, PlateauMeansLossAtLn2AtTheEndAndNoValidationSignalInAnyEpoch) {
  auto epoch = [](double loss, double val_loss, double val_auroc) {
    EpochRecord r;
    r.loss = loss;
    r.val_loss = val_loss;
    r.val_auroc = val_auroc;
    return r;
  };
  TrainResult flat;
  for (int e = 0; e < 5; ++e) flat.history.push_back(epoch(0.6931 + 0.002 * (e % 2), 0.6932, 0.52));
  EXPECT_TRUE(stayed_on_plateau(flat));
  TrainResult escaped = flat;
  escaped.history.push_back(epoch(0.66, 0.69, 0.55));  // the loss moved
  EXPECT_FALSE(stayed_on_plateau(escaped));
  TrainResult ranks = flat;
  ranks.history[2].val_auroc = 0.74;  // loss still ln 2, yet validation pairs are ranked
  EXPECT_FALSE(stayed_on_plateau(ranks));
  TrainResult no_val;  // without validation (val_loss 0) only the loss counts
  no_val.history.push_back(epoch(0.695, 0.0, 0.0));
  EXPECT_TRUE(stayed_on_plateau(no_val));
  EXPECT_FALSE(stayed_on_plateau(TrainResult{}));
  TrainOptions reference;  // SGD with dropout, no normalisation: every suggestion applies
  EXPECT_NE(plateau_advice(reference, flat).find("--tower-dropout 0"), std::string::npos);
  EXPECT_NE(plateau_advice(reference, flat).find("--optimizer adamw"), std::string::npos);
  EXPECT_NE(plateau_advice(reference, flat).find("--norm batch"), std::string::npos);
  EXPECT_NE(plateau_advice(reference, flat).find("0.693"), std::string::npos);
  TrainOptions tried = reference;  // none is repeated once in use
  tried.optimizer = "adamw";
  tried.lr = 0.001;
  tried.norm = "batch";
  tried.tower_dropout = tried.head_dropout = 0.0;
  tried.monitor = "val_auroc";
  EXPECT_EQ(plateau_advice(tried, flat).find("--tower-dropout"), std::string::npos);
  EXPECT_EQ(plateau_advice(tried, flat).find("--optimizer"), std::string::npos);
  EXPECT_EQ(plateau_advice(tried, flat).find("--monitor"), std::string::npos);
  EXPECT_EQ(plateau_advice(tried, flat).find("--norm"), std::string::npos);
  EXPECT_EQ(plateau_advice(tried, flat).find("--lr"), std::string::npos);  // AdamW at 1e-3 already
  EXPECT_NE(plateau_advice(tried, flat).find("more --epochs"), std::string::npos);
  tried.lr = 0.003;
  EXPECT_NE(plateau_advice(tried, flat).find("a smaller --lr"), std::string::npos);
}

TEST(Train, PlateauOfUnbalancedPairsIsTheEntropyOfTheirPositiveShare) {
  // -0.65 ln 0.65 - 0.35 ln 0.35 = 0.280007 + 0.367439, by hand from ln 0.65 = -0.430783, ln 0.35 = -1.049822.
  EXPECT_NEAR(constant_output_loss(0.65), 0.647446, 1e-6);
  EXPECT_NEAR(constant_output_loss(0.5), std::log(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(constant_output_loss(0.35), constant_output_loss(0.65));
  EXPECT_EQ(constant_output_loss(1.0), 0.0);
  auto epoch = [](double loss, double val_auroc) {
    EpochRecord r;
    r.loss = loss;
    r.val_loss = 0.66;
    r.val_auroc = val_auroc;
    return r;
  };
  TrainResult collapsed;  // Adam at 1e-3 on all of mHSC-L, fold 1: a constant output for 65 % positives
  collapsed.positive_fraction = 0.65;
  for (double loss : {0.656, 0.651, 0.650, 0.649, 0.648}) collapsed.history.push_back(epoch(loss, 0.5));
  EXPECT_TRUE(stayed_on_plateau(collapsed));
  const std::string advice = plateau_advice(TrainOptions{}, collapsed);
  EXPECT_NE(advice.find("0.647"), std::string::npos) << advice;
  EXPECT_NE(advice.find("65 %"), std::string::npos) << advice;
  TrainResult balanced = collapsed;  // the same losses are learning when the pairs are balanced
  balanced.positive_fraction = 0.5;
  EXPECT_FALSE(stayed_on_plateau(balanced));
  TrainResult learning = collapsed;
  learning.history.push_back(epoch(0.60, 0.5));
  EXPECT_FALSE(stayed_on_plateau(learning));
  TrainResult fell_back;  // fold 3 of the same run: left the plateau's loss, then fell back onto it
  fell_back.positive_fraction = 0.706;  // constant_output_loss 0.6057
  for (double loss : {0.620, 0.613, 0.612, 0.611, 0.607}) fell_back.history.push_back(epoch(loss, 0.5));
  EXPECT_TRUE(stayed_on_plateau(fell_back));
  fell_back.history[1].val_auroc = 0.65;  // but an epoch that ranked validation pairs well is no plateau
  EXPECT_FALSE(stayed_on_plateau(fell_back));
}

TEST(Train, SameSeedSameWeightsAndResumeMatchesUninterrupted) {
  configure_threads(1);
  test::ScratchDir dir;
  Learnable s = learnable_set(6, 40);
  ImageOptions io;
  io.neighbors = 1;
  ImageContext ctx(s.expr, io);
  PairSplit split = split_by_tf(s.pairs, 0.34, 3);
  ContextPairImages source(ctx, s.pairs);
  DeepDrimOptions o;
  o.neighbors = 1;
  TrainOptions t;
  t.epochs = 2;
  t.batch = 4;
  t.progress = false;
  t.patience = 0;
  auto run = [&](int epochs, bool resume) {
    torch::manual_seed(t.seed);
    DeepDrim net(o);
    TrainOptions tt = t;
    tt.epochs = epochs;
    tt.checkpoint = dir.file("ckpt");
    tt.resume = resume;
    train(net, source, split.train, split.validation, tt, test::test_device());
    return torch::cat({net->fc1->weight.flatten(), net->tower_b->conv1a->weight.flatten()});
  };
  auto a = run(2, false);
  auto b = run(2, false);
  EXPECT_TRUE(test::reproduced(a, b));
  run(1, false);        // "interrupted" after epoch 1
  auto c = run(2, true);  // resumed to epoch 2
  EXPECT_TRUE(test::reproduced(a, c));
  configure_threads(0);
}

TEST(Train, ImagesFileTrainsExactlyLikeOnTheFlyImages) {
  configure_threads(1);
  test::ScratchDir dir;
  Learnable s = learnable_set(5, 40);
  ImageOptions io;
  io.neighbors = 1;
  ImageContext ctx(s.expr, io);
  ContextPairImages fly(ctx, s.pairs);
  {
    ImagesFileOptions fo;
    fo.n_pairs = s.pairs.size();
    fo.images_per_pair = ctx.images_per_pair();
    ImagesWriter w(dir.file("img.h5"), fo);
    std::vector<float> buf(fo.n_pairs * fo.images_per_pair * kImagePixels);
    std::vector<std::string> tf, target;
    std::vector<std::int8_t> label;
    for (std::size_t i = 0; i < s.pairs.size(); ++i) {
      fly.images(i, buf.data() + i * fo.images_per_pair * kImagePixels);
      tf.push_back(s.expr.genes[s.pairs[i].tf]);
      target.push_back(s.expr.genes[s.pairs[i].target]);
      label.push_back(static_cast<std::int8_t>(s.pairs[i].label));
    }
    w.write(0, s.pairs.size(), buf.data());
    w.finish(tf, target, label);
  }
  FilePairImages file(dir.file("img.h5"));
  ASSERT_EQ(file.size(), s.pairs.size());
  EXPECT_EQ(file.pair(3).label, s.pairs[3].label);
  std::vector<std::size_t> rows(s.pairs.size());
  std::iota(rows.begin(), rows.end(), 0);
  TrainOptions t;
  t.epochs = 1;
  t.batch = 4;
  t.progress = false;
  DeepDrimOptions o;
  o.neighbors = 1;
  auto run = [&](const PairImageSource& src) {
    torch::manual_seed(t.seed);
    DeepDrim net(o);
    train(net, src, rows, {}, t, test::test_device());
    return net->fc1->weight.clone();
  };
  EXPECT_TRUE(test::reproduced(run(fly), run(file)));
  configure_threads(0);
}

TEST(SplitByTf, ValidationSharesNoTfWithTraining) {
  std::vector<LabelledPair> pairs;
  std::mt19937 rng(4);
  for (int i = 0; i < 300; ++i) pairs.push_back({static_cast<int>(rng() % 17), static_cast<int>(rng() % 50), static_cast<int>(rng() % 2)});
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    PairSplit sp = split_by_tf(pairs, 0.2, seed);
    std::set<int> train_tfs;
    for (auto i : sp.train) train_tfs.insert(pairs[i].tf);
    for (auto i : sp.validation) ASSERT_EQ(train_tfs.count(pairs[i].tf), 0u) << "seed " << seed;
    EXPECT_EQ(sp.train.size() + sp.validation.size(), pairs.size());
    EXPECT_GE(sp.validation.size(), 60u);
  }
}

}  // namespace
}  // namespace drim::model

#if defined(__GLIBC__)
TEST(Allocator, LargeBlocksComeFromTheHeapNotFromMmap) {
  if (!drim::model::keep_freed_memory()) GTEST_SKIP() << "malloc is tuned through the environment";
  const std::size_t mapped_before = mallinfo2().hblkhd;
  void* block = std::malloc(std::size_t{64} << 20);
  ASSERT_NE(block, nullptr);
  static_cast<volatile char*>(block)[0] = 1;
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before);  // glibc's default mmaps any block over 32 MB
  std::free(block);
}
#endif
