// Label-free pretraining of the towers (--pretrain-pairs): it learns to read a pair image's
// correlation, touches the towers only, is seeded, and runs inside train() where it can.
#include <random>

#include <gtest/gtest.h>

#include "drim/error.hpp"
#include "drim/model/pretrain.hpp"
#include "drim/model/preset.hpp"
#include "drim/model/trainer.hpp"
#include "drim/pair_images.hpp"
#include "model_fixtures.hpp"
#include "test_util.hpp"

namespace drim::model {
namespace {

/// 40 genes driven by two latent factors with loadings spread over [-1, 1], so gene pairs range
/// from strongly anti-correlated to strongly correlated.
Expression factor_genes(int genes, int cells) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> nrm(0.0, 1.0);
  std::uniform_real_distribution<double> load(-1.0, 1.0);
  Expression e;
  for (int g = 0; g < genes; ++g) e.genes.push_back("g" + std::to_string(g));
  for (int c = 0; c < cells; ++c) e.cells.push_back("c" + std::to_string(c));
  std::vector<double> f1(cells), f2(cells);
  for (int c = 0; c < cells; ++c) {
    f1[c] = nrm(rng);
    f2[c] = nrm(rng);
  }
  e.values.resize(static_cast<std::size_t>(genes) * cells);
  for (int g = 0; g < genes; ++g) {
    const double l1 = load(rng), l2 = load(rng);
    for (int c = 0; c < cells; ++c) e.values[static_cast<std::size_t>(g) * cells + c] = std::exp(l1 * f1[c] + l2 * f2[c] + 0.3 * nrm(rng));
  }
  return e;
}

/// Gene images (channels x 32 x 32) mixing two random fields with loadings spread over the
/// circle, plus noise: pairs of images range from anti-correlated to correlated. Genes in
/// `blank` have none.
class FactorGeneImages : public test::StoredGeneImages {
 public:
  FactorGeneImages(int genes, int channels, const std::vector<int>& blank = {}) : StoredGeneImages(genes, channels, blank) {
    std::mt19937_64 rng(17);
    std::normal_distribution<float> nrm(0.0f, 1.0f);
    std::uniform_real_distribution<float> angle(0.0f, 6.2831853f);
    const std::size_t n = per_gene();
    std::vector<float> f1(n), f2(n);
    for (std::size_t i = 0; i < n; ++i) {
      f1[i] = nrm(rng);
      f2[i] = nrm(rng);
    }
    for (int g = 0; g < genes; ++g) {
      const float t = angle(rng);
      for (std::size_t i = 0; i < n; ++i) values_[g * n + i] = std::cos(t) * f1[i] + std::sin(t) * f2[i] + 0.3f * nrm(rng);
    }
  }
};

TrainOptions pretrain_options(std::size_t pairs) {
  TrainOptions t = preset_options("drim");
  t.pretrain_pairs = pairs;
  t.progress = false;
  t.seed = 3;
  return t;
}

std::vector<torch::Tensor> copies(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> out;
  for (const auto& p : params) out.push_back(p.detach().clone());
  return out;
}

bool same(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!test::reproduced(a[i], b[i])) return false;
  return true;
}

TEST(Pretrain, LearnsToReadThePairsCorrelation) {
  const Expression e = factor_genes(40, 400);
  ImageOptions io;
  io.neighbors = 1;
  const ImageContext ctx(e, io, 1);
  const TrainOptions t = pretrain_options(1600);
  torch::manual_seed(9);
  DeepDrim net(model_options(t, ModelKind::DeepDrim, 1));
  const PretrainResult r = pretrain_towers(net, ctx, t, test::test_device());
  EXPECT_EQ(r.pairs, 1600u);
  EXPECT_GT(r.target_variance, 0.1);  // the factors spread the correlations widely
  // Better than the best constant on the last tenth, which the towers had not seen.
  EXPECT_LT(r.last_loss, 0.2 * r.target_variance) << "first " << r.first_loss;
  EXPECT_LT(r.last_loss, r.first_loss);
}

TEST(Pretrain, ImageBranchLearnsToReadTheGeneImagesCorrelation) {
  // Image-only: tower A takes the two genes' images; fusion (with "all"): tower I, and towers A
  // and B stay as they were. Genes without an image are never drawn (zeros, correlation 0).
  const FactorGeneImages genes(40, 2, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const TrainOptions t = pretrain_options(1600);
  auto o = model_options(t, ModelKind::ImageOnly, 0);
  o.gene_image_channels = 2;
  torch::manual_seed(9);
  DeepDrim image_only(o);
  const PretrainResult r = pretrain_image_tower(image_only, genes, t, test::test_device());
  EXPECT_EQ(r.pairs, 1600u);
  EXPECT_GT(r.target_variance, 0.1);  // the loadings spread the correlations widely
  EXPECT_LT(r.last_loss, 0.2 * r.target_variance) << "first " << r.first_loss;  // on pairs it had not seen

  auto fo = model_options(t, ModelKind::Fusion, 1);
  fo.gene_image_channels = 2;
  DeepDrim fusion(fo);
  fusion->to(test::test_device());
  const auto a0 = copies(fusion->tower_a->parameters()), i0 = copies(fusion->tower_i->parameters());
  TrainOptions few = pretrain_options(64);
  EXPECT_EQ(pretrain_image_tower(fusion, genes, few, test::test_device()).pairs, 0u);  // the preset: image-only models only
  EXPECT_TRUE(same(i0, copies(fusion->tower_i->parameters())));
  few.pretrain_image_branch = "all";
  EXPECT_EQ(pretrain_image_tower(fusion, genes, few, test::test_device()).pairs, 64u);
  EXPECT_TRUE(same(a0, copies(fusion->tower_a->parameters())));
  EXPECT_FALSE(same(i0, copies(fusion->tower_i->parameters())));

  DeepDrim deepdrim(model_options(t, ModelKind::DeepDrim, 1));
  EXPECT_EQ(pretrain_image_tower(deepdrim, genes, few, test::test_device()).pairs, 0u);  // no image branch
  const FactorGeneImages one(5, 1, {0, 1, 2, 3});
  EXPECT_THROW(pretrain_image_tower(image_only, one, few, test::test_device()), Error);
  few.pretrain_image_branch = "none";
  EXPECT_EQ(pretrain_image_tower(image_only, genes, few, test::test_device()).pairs, 0u);
  few.pretrain_image_branch = "fusion";
  EXPECT_THROW(pretrain_image_tower(image_only, genes, few, test::test_device()), Error);
}

TEST(Pretrain, ChangesTheTowersOnlyAndIsSeeded) {
  const Expression e = factor_genes(30, 200);
  ImageOptions io;
  io.neighbors = 1;
  const ImageContext ctx(e, io, 1);
  const TrainOptions t = pretrain_options(200);
  auto run = [&] {
    torch::manual_seed(5);
    DeepDrim net(model_options(t, ModelKind::DeepDrim, 1));
    net->to(test::test_device());
    const auto towers0 = copies(net->tower_a->parameters());
    const auto b0 = copies(net->tower_b->parameters());
    const auto head0 = copies(net->fc1->parameters());
    pretrain_towers(net, ctx, t, test::test_device());
    EXPECT_FALSE(same(towers0, copies(net->tower_a->parameters())));
    EXPECT_FALSE(same(b0, copies(net->tower_b->parameters())));
    EXPECT_TRUE(same(head0, copies(net->fc1->parameters())));
    auto all = copies(net->tower_a->parameters());
    for (auto& p : copies(net->tower_b->parameters())) all.push_back(p);
    return all;
  };
  EXPECT_TRUE(same(run(), run()));

  DeepDrimOptions o;
  o.kind = ModelKind::ImageOnly;
  o.gene_image_channels = 1;
  DeepDrim image_only(o);
  const auto before = copies(image_only->parameters());
  EXPECT_EQ(pretrain_towers(image_only, ctx, t, test::test_device()).pairs, 0u);  // no expression tower to pretrain
  EXPECT_TRUE(same(before, copies(image_only->parameters())));
  TrainOptions off = t;
  off.pretrain_pairs = 0;
  DeepDrim untouched(model_options(off, ModelKind::Cnnc, 0));
  EXPECT_EQ(pretrain_towers(untouched, ctx, off, test::test_device()).pairs, 0u);
}

TEST(Pretrain, DrawsItsPairsWithinTheNeighbourGroups) {
  // Genes 2k and 2k + 1 are copies (correlation 1) in group k; genes of different groups are
  // independent. Within groups every target is 1; across the matrix most are near 0.
  std::mt19937_64 rng(4);
  std::normal_distribution<double> nrm(0.0, 1.0);
  Expression e;
  const int cells = 200, groups = 3;
  for (int g = 0; g < 2 * groups; ++g) e.genes.push_back("g" + std::to_string(g));
  for (int c = 0; c < cells; ++c) e.cells.push_back("c" + std::to_string(c));
  e.values.resize(static_cast<std::size_t>(2 * groups) * cells);
  for (int k = 0; k < groups; ++k)
    for (int c = 0; c < cells; ++c)
      e.values[(2 * k) * cells + c] = e.values[(2 * k + 1) * cells + c] = std::exp(nrm(rng));
  const TrainOptions t = pretrain_options(256);
  ImageOptions io;
  io.neighbors = 1;
  const ImageContext whole(e, io, 1);
  for (int g = 0; g < 2 * groups; ++g) io.neighbor_group.push_back(g / 2);
  const ImageContext grouped(e, io, 1);
  DeepDrim a(model_options(t, ModelKind::Cnnc, 0)), b(model_options(t, ModelKind::Cnnc, 0));
  EXPECT_GT(pretrain_towers(a, whole, t, test::test_device()).target_variance, 0.01);
  EXPECT_NEAR(pretrain_towers(b, grouped, t, test::test_device()).target_variance, 0.0, 1e-9);
}

TEST(Pretrain, RunsBeforeTrainingAndNeedsAnExpressionMatrix) {
  auto s = test::learnable_set(12, 150);
  ImageOptions io;
  io.neighbors = 1;
  const ImageContext ctx(s.expr, io, 1);
  const ContextPairImages source(ctx, s.pairs);
  std::vector<std::size_t> train_rows, val_rows;
  for (std::size_t i = 0; i < s.pairs.size(); ++i) (i < 18 ? train_rows : val_rows).push_back(i);
  TrainOptions t = pretrain_options(128);
  t.epochs = 1;
  DeepDrim net(model_options(t, ModelKind::DeepDrim, 1));
  const TrainResult r = train(net, source, train_rows, val_rows, t, test::test_device());
  EXPECT_EQ(r.pretrain.pairs, 128u);
  EXPECT_GT(r.pretrain.seconds, 0.0);
  EXPECT_EQ(resolved_options_json(t).at("pretrain_pairs"), 128);
  const auto j = pretrain_json(r.pretrain);
  EXPECT_EQ(pretrain_from_json(j).last_loss, r.pretrain.last_loss);

  const test::NoContext file_like(source);
  DeepDrim other(model_options(t, ModelKind::DeepDrim, 1));
  test::expect_error([&] { train(other, file_like, train_rows, val_rows, t, test::test_device()); }, {"--pretrain-pairs", "read from a file"});
}

}  // namespace
}  // namespace drim::model
