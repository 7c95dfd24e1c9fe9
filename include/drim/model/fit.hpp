#pragma once
// Training a model end to end on labelled pairs, as drim-train does and the Python API's
// drim.train does: the TF-disjoint validation split, the seeded network, the training loop, the
// plateau check and the model file's metadata.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "drim/image_builder.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/train_options.hpp"
#include "drim/model/trainer.hpp"
#include "drim/pair_images.hpp"
#include "drim/training_pairs.hpp"

namespace drim::model {

/// What fit_model trains and records.
struct FitOptions {
  TrainOptions train;            ///< the resolved recipe (preset applied, overrides in); train.seed seeds everything
  std::string preset = "drim";   ///< recorded: the preset the recipe came from
  std::string kind = "deepdrim"; ///< deepdrim, cnnc, fusion or image-only
  double val_fraction = 0.2;     ///< pairs held out for validation, as whole TFs
  std::string expression;        ///< recorded: where the data came from
  nlohmann::json recorded = nlohmann::json::object();  ///< more "training" entries to record (negatives, ...)
  int gene_image_channels = 0;           ///< fusion, image-only: channels of one gene's image
  bool missing_image_embedding = false;  ///< fusion, image-only: learn an embedding for pairs without images
  nlohmann::json gene_images;            ///< recorded: where the gene images came from (null: none)
};

/// A trained network and what it came from.
struct FittedModel {
  DeepDrim net{nullptr};
  nlohmann::json meta;   ///< the model file's metadata
  TrainResult result;
  bool on_plateau = false;
};

/// The TF-disjoint training/validation split fit_model trains on (opts.val_fraction, seeded).
PairSplit fit_split(const PairImageSource& source, const FitOptions& opts);

/// Seeds LibTorch with opts.train.seed, builds the network (n = img.neighbors), trains it on
/// `split` (from fit_split) and fills the metadata. `genes` and `n_cells` describe the matrix
/// (recorded; prediction checks them). Call configure_threads first.
FittedModel fit_model(const PairImageSource& source, const PairSplit& split, const std::vector<std::string>& genes,
                      std::size_t n_cells, const ImageOptions& img, const FitOptions& opts, torch::Device device,
                      const EpochCallback& on_epoch = {});

}  // namespace drim::model
