#pragma once
// Seeded data sets shared by the model tests.
#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "drim/expression.hpp"
#include "drim/gene_images.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/pair_images.hpp"
#include "drim/training_pairs.hpp"

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
