#pragma once
// Fast exact scoring of many pairs with a trained network.
#include <optional>
#include <vector>

#include <torch/torch.h>

#include "drim/gene_images.hpp"
#include "drim/image_builder.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/frozen_tower.hpp"

namespace drim::model {

/// Scores pairs with a trained network in eval mode. With the context cache, a neighbour image's
/// embedding depends on one gene alone (TF side: I(a,a), I(a,nA_k); target side: I(b,b),
/// I(nB_k,b)), so each gene's side is pushed through tower B and the first dense layer once; a
/// pair then costs one tower-A pass plus a 512 x 512 product. The towers run frozen
/// (FrozenTower: normalisation folded, oneDNN layout on CPU); CNNC uses the frozen tower A.
/// Same scores as the plain forward pass (use_cache false) up to float rounding. A fusion model's
/// image branch is per pair (its two genes' images through tower I, plus one 512 x 512 product);
/// an image-only model is CNNC on the gene images. Not thread-safe; one scorer per thread.
class PairScorer {
 public:
  /// `towers`: how the cached path runs its towers (FrozenTowerOptions; frozen = false runs the
  /// network's modules, the slower path kept for A/B checks).
  /// `genes`: the genes' images (ids as the context's genes), which a fusion or image-only model
  /// needs; must outlive the scorer.
  PairScorer(DeepDrim net, const ImageContext& ctx, torch::Device device, bool use_cache = true, int batch = 256,
             FrozenTowerOptions towers = {}, const GeneImageLookup* genes = nullptr);

  /// Probabilities that tf[i] regulates target[i].
  std::vector<float> score(const std::vector<int>& tf, const std::vector<int>& target);

  /// Precomputes the context terms of these genes (TF side or target side); optional.
  void prepare(const std::vector<int>& genes, bool tf_side);

 private:
  torch::Tensor context_terms(const std::vector<int>& genes, bool tf_side);
  DeepDrim net_;
  torch::Tensor gene_images(const std::vector<int>& tf, const std::vector<int>& target, std::size_t first, std::size_t count) const;
  std::optional<FrozenTower> tower_a_, tower_b_, tower_i_;  // the net's towers, frozen for inference
  const ImageContext& ctx_;
  const GeneImageLookup* genes_;
  torch::Device device_;
  bool cache_;
  int batch_;
  torch::Tensor w_primary_, w_tf_, w_target_, w_image_, bias_;  // blocks of the first dense layer
  torch::Tensor u_tf_, u_target_;                    // [genes, 512] context terms
  std::vector<char> have_tf_, have_target_;
};

}  // namespace drim::model
