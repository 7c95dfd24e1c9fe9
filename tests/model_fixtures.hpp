#pragma once
// Seeded data sets shared by the model tests.
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "drim/expression.hpp"
#include "drim/gene_images.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/pair_images.hpp"
#include "drim/metrics.hpp"
#include "drim/model/trainer.hpp"
#include "drim/training_pairs.hpp"
#include "test_util.hpp"

namespace drim::test {

/// The device the model tests run on: the CPU, or the GPU when DRIM_TEST_DEVICE=cuda
/// (scripts/check-cuda.sh); asking for CUDA where there is none fails loudly.
inline torch::Device test_device() {
  const char* name = std::getenv("DRIM_TEST_DEVICE");
  return model::resolve_device(name && *name ? name : "cpu");
}

/// Gene images held in memory, channels x 32 x 32 per gene, filled by a subclass into `values_`;
/// genes in `blank` have none (zeros).
class StoredGeneImages : public GeneImageLookup {
 public:
  StoredGeneImages(int genes, int channels, const std::vector<int>& blank)
      : channels_(channels), blank_(genes, 0), values_(static_cast<std::size_t>(genes) * per_gene()) {
    for (int g : blank) blank_[g] = 1;
  }
  int channels() const override { return channels_; }
  std::size_t size() const override { return blank_.size(); }
  bool has(int id) const override { return !blank_.at(id); }
  void image(int id, float* out) const override {
    const std::size_t n = per_gene();
    for (std::size_t i = 0; i < n; ++i) out[i] = blank_.at(id) ? 0.0f : values_[id * n + i];
  }

 protected:
  std::size_t per_gene() const { return static_cast<std::size_t>(channels_) * kImagePixels; }
  int channels_;
  std::vector<char> blank_;
  std::vector<float> values_;
};

/// Seeded random gene images (channels x 32 x 32 per gene); genes in `blank` have none (zeros).
class RandomGeneImages : public StoredGeneImages {
 public:
  RandomGeneImages(int genes, int channels, const std::vector<int>& blank = {}) : StoredGeneImages(genes, channels, blank) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (auto& v : values_) v = u(rng);
  }
};

/// A tower's parameters for `in` input channels, layer by layer (3 x 3 convolutions, 512-d embedding).
inline std::int64_t tower_parameters(int in) {
  const int ch[] = {in, 32, 32, 64, 64, 128, 128};
  std::int64_t n = 0;
  for (int i = 0; i < 6; ++i) n += static_cast<std::int64_t>(ch[i]) * ch[i + 1] * 9 + ch[i + 1];
  return n + 512 * 512 + 512;
}

inline model::DeepDrimOptions fusion_options(model::ModelKind kind, int neighbors, int channels) {
  model::DeepDrimOptions o;
  o.kind = kind;
  o.neighbors = neighbors;
  o.gene_image_channels = channels;
  return o;
}

/// Random weights, non-zero biases and (with batch normalisation) non-trivial running statistics.
inline model::DeepDrim random_fusion(model::DeepDrimOptions o) {
  torch::manual_seed(9);
  model::DeepDrim net(o);
  torch::NoGradGuard g;
  for (auto& p : net->named_parameters())
    if (p.key().find("bias") != std::string::npos || p.key() == "missing_image") p.value().uniform_(-0.1, 0.1);
  for (auto& b : net->named_buffers()) {
    if (b.key().find("running_mean") != std::string::npos) b.value().uniform_(-0.2, 0.2);
    if (b.key().find("running_var") != std::string::npos) b.value().uniform_(0.5, 1.5);
  }
  return net;
}

/// A label only the gene images carry: the expression is noise, and a pair is positive when its
/// TF's and target's images share their bright half (left for even genes, right for odd ones), as
/// a regulator and its target share territory.
struct ImagesOnlyTask {
  class Halves : public StoredGeneImages {
   public:
    Halves() : StoredGeneImages(40, 1, {}) {
      for (int id = 0; id < 40; ++id)
        for (int p = 0; p < 1024; ++p) values_[id * 1024 + p] = ((p % 32 < 16) == (id % 2 == 0)) ? 0.8f + 0.01f * (id % 7) : 0.1f;
    }
  } images;
  Expression expr = random_expression(40, 30, 7);
  std::vector<LabelledPair> pairs;
  ImagesOnlyTask() {
    for (int a = 0; a < 40; a += 3)
      for (int b = 1; b < 40; b += 4)
        if (a != b) pairs.push_back({a, b, (a % 2) == (b % 2) ? 1 : 0});
  }
  /// Adam 1e-3, 4 epochs, batch 16, no dropout, no progress bar.
  static model::TrainOptions options() {
    model::TrainOptions t;
    t.optimizer = "adam";
    t.lr = 1e-3;
    t.epochs = 4;
    t.batch = 16;
    t.tower_dropout = t.head_dropout = 0.0;
    t.progress = false;
    return t;
  }
  /// Trains a `kind` model (image-only, or fusion with one neighbour) on every pair with `t`; its
  /// AUROC on them.
  double learned_auroc(model::ModelKind kind, const model::TrainOptions& t) const {
    const bool only = kind == model::ModelKind::ImageOnly;
    ImageOptions io;
    io.neighbors = only ? 0 : 1;
    io.primary_only = only;
    ImageContext ctx(expr, io);
    ContextPairImages base(ctx, pairs, only);
    GeneImagePairs src(base, images, only);
    std::vector<std::size_t> rows(pairs.size());
    std::iota(rows.begin(), rows.end(), 0);
    auto o = model::model_options(t, kind, io.neighbors);
    o.gene_image_channels = 1;
    torch::manual_seed(1);
    model::DeepDrim net(o);
    model::train(net, src, rows, {}, t, test_device());
    std::vector<int> labels;
    for (const auto& p : pairs) labels.push_back(p.label);
    return auroc(model::predict_rows(net, src, rows, test_device()), labels);
  }
};

/// Whether two same-seed training runs agree: bit for bit on the CPU; on a GPU, where cuDNN's backward
/// kernels add in any order, to float rounding.
inline bool reproduced(const torch::Tensor& a, const torch::Tensor& b) {
  if (test_device().is_cpu()) return torch::equal(a, b);
  return torch::allclose(a.to(torch::kCPU), b.to(torch::kCPU), 1e-4, 1e-6);
}

/// TFs 0..19 each with one strongly co-expressed target (label 1) and one independent gene (0).
struct Learnable {
  Expression expr;
  std::vector<LabelledPair> pairs;
};

inline Learnable learnable_set(int tfs, int cells) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> nrm(0.0, 1.0);
  Learnable s;
  const int G = 3 * tfs;
  for (int g = 0; g < G; ++g) s.expr.genes.push_back("g" + std::to_string(g));
  for (int c = 0; c < cells; ++c) s.expr.cells.push_back("c" + std::to_string(c));
  s.expr.values.resize(static_cast<std::size_t>(G) * cells);
  for (int t = 0; t < tfs; ++t) {
    for (int c = 0; c < cells; ++c) {
      double a = std::exp(nrm(rng));
      s.expr.values[(3 * t) * cells + c] = a;
      s.expr.values[(3 * t + 1) * cells + c] = a * std::exp(0.1 * nrm(rng));
      s.expr.values[(3 * t + 2) * cells + c] = std::exp(nrm(rng));
    }
    s.pairs.push_back({3 * t, 3 * t + 1, 1});
    s.pairs.push_back({3 * t, 3 * t + 2, 0});
  }
  return s;
}

/// A source like a drim-images file: another source's pairs and images, without the context
/// (expression matrix) that label-free pretraining draws gene pairs from.
class NoContext : public PairImageSource {
 public:
  explicit NoContext(const PairImageSource& inner) : inner_(inner) {}
  std::size_t size() const override { return inner_.size(); }
  int images_per_pair() const override { return inner_.images_per_pair(); }
  const LabelledPair& pair(std::size_t i) const override { return inner_.pair(i); }
  void images(std::size_t i, float* out) const override { inner_.images(i, out); }

 private:
  const PairImageSource& inner_;
};

}  // namespace drim::test
