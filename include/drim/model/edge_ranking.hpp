#pragma once
// Scoring many pairs with a trained model into one ranked edge list: what drim-predict and the
// Python API's Model.predict share.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "drim/gene_images.hpp"
#include "drim/image_builder.hpp"
#include "drim/model/deepdrim.hpp"

namespace drim::model {

/// Image options a model was trained with (its metadata), its neighbour groups (if any) mapped
/// onto `genes` by name. `model_name` names the model in errors.
ImageOptions image_options_from_meta(const nlohmann::json& meta, const std::vector<std::string>& genes,
                                     const std::string& model_name);

/// What to score: every TF x every target except self pairs (grid), or the listed pairs.
struct ScoreRequest {
  bool grid = true;
  std::vector<int> tfs;       ///< grid: the TF rows; pairs: each pair's TF row
  std::vector<int> targets;   ///< grid: the target rows; pairs: each pair's target row
  /// Pairs scored: grid |tfs| x |targets| less self pairs; else |tfs|.
  std::size_t size() const;
};

/// How edges are kept and scored.
struct RankOptions {
  std::size_t top = 0;        ///< keep the K best (0 = all)
  float min_score = 0.0f;     ///< drop edges scoring below this
  bool cache = true;          ///< the exact context cache (PairScorer); false = plain forward pass
  int batch = 256;            ///< pairs per forward pass; on a CPU at least 64 per thread
  bool frozen_towers = true;  ///< with the cache: FrozenTower (false: the modules, for A/B checks)
  bool bf16 = false;          ///< with frozen towers on a CPU with bf16 kernels: bfloat16 convolutions in the per-pair towers (A, I); B stays float32
  std::string tmp_dir;        ///< where sorted runs spill when everything is kept (default: the system's)
  std::function<void(std::size_t done)> progress;  ///< called after each block of pairs
};

/// Scores the request and calls emit(tf row, target row, score) for every kept edge, best first;
/// ties rank by gene name (tf, then target), so shards merge into one run's order. A fusion or
/// image-only model reads the genes' images from `gene_images` (ids as the rows of `genes`).
void rank_edges(DeepDrim net, const ImageContext& ctx, const std::vector<std::string>& genes, const ScoreRequest& request,
                torch::Device device, const RankOptions& opts, const std::function<void(int tf, int target, float score)>& emit,
                const GeneImageLookup* gene_images = nullptr);

}  // namespace drim::model
