#pragma once
// Label-free pretraining of the image towers: each tower learns to read, from the histogram
// image of a random gene pair, the correlation that image shows (histogram_correlation).
#include <cstddef>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "drim/gene_images.hpp"
#include "drim/image_builder.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/train_options.hpp"
#include "drim/pair_images.hpp"

namespace drim::model {

/// What a pretraining run did; `pairs` is 0 when none ran.
struct PretrainResult {
  std::size_t pairs = 0;       ///< gene pairs seen, each once
  double first_loss = 0.0;     ///< mean squared error per tower (and target) over the first tenth of the pairs
  double last_loss = 0.0;      ///< the same over the last tenth
  /// Variance of the targets over the last tenth, averaged like the loss (the loss of the best constant).
  double target_variance = 0.0;
  double seconds = 0.0;
};

/// As recorded in drim-cv's fold JSON and drim-train's log.
nlohmann::json pretrain_json(const PretrainResult& r);
PretrainResult pretrain_from_json(const nlohmann::json& j);

/// Pretrains `net`'s expression towers on `opts.pretrain_pairs` random pairs of distinct genes of
/// `ctx` (random_gene_pairs, seeded by `opts.seed`; within the neighbour groups when the context
/// has them, ImageOptions::neighbor_group, since genes of different groups share no cells'
/// joint distribution), each seen once, in batches of 64: tower A
/// takes the pair's primary images (ImageContext::primary) and tower B, when the model has one,
/// the image I(a, b); each feeds a linear read-out (starting at 0, discarded afterwards) fitted
/// by mean squared error to the histogram_correlation of each image it sees (primary_correlations:
/// with a conditional image, tower A's read-out has two outputs, I(a, b)'s and I(a, b | K)'s). AdamW at `opts.lr` with
/// `opts.weight_decay` and `opts.clip_norm`. No labels are used. Does nothing for an image-only
/// model (its one tower reads gene images); refuses a context with fewer than 2 genes.
PretrainResult pretrain_towers(DeepDrim& net, const ImageContext& ctx, const TrainOptions& opts, torch::Device device);

/// Pretrains the image branch of a model that reads gene images (fusion: tower I; image-only:
/// tower A) on `opts.pretrain_pairs` random pairs of distinct genes that have an image (seeded by
/// `opts.seed`), each seen once, in batches of 64: the tower takes the two genes' images stacked
/// as channels (GeneImageLookup::pair_image) and a linear read-out (starting at 0, discarded
/// afterwards) is fitted by mean squared error to the Pearson correlation of the two images'
/// pixels (pixel_correlation), with the optimiser of pretrain_towers. No labels are used. Does
/// nothing unless pretrains_image_branch; throws when fewer than 2 genes have an image.
/// Whether `opts` asks to pretrain `net`'s image branch (TrainOptions::pretrain_image_branch and
/// pretrain_pairs; the model reads gene images); throws on an unknown pretrain_image_branch.
bool pretrains_image_branch(const DeepDrim& net, const TrainOptions& opts);

PretrainResult pretrain_image_tower(DeepDrim& net, const GeneImageLookup& genes, const TrainOptions& opts, torch::Device device);

/// The same with the gene images of `source` (PairImageSource::gene_images); nothing when it has none.
PretrainResult pretrain_image_tower(DeepDrim& net, const PairImageSource& source, const TrainOptions& opts, torch::Device device);

/// The same on the context `source` builds its images from (PairImageSource::context); throws
/// when `opts.pretrain_pairs` asks for pretraining and the images were read from a file.
PretrainResult pretrain_towers(DeepDrim& net, const PairImageSource& source, const TrainOptions& opts, torch::Device device);

}  // namespace drim::model
