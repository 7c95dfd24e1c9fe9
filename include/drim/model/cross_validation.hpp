#pragma once
// TF-aware k-fold cross-validation of DeepDRIM (and CNNC) beside training-free baselines.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "drim/expression.hpp"
#include "drim/gene_images.hpp"
#include "drim/image_builder.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/train_options.hpp"
#include "drim/model/trainer.hpp"
#include "drim/training_pairs.hpp"

namespace drim::model {

/// Cross-validation settings.
struct CvOptions {
  TrainOptions train;          ///< per-fold training (seed, epochs, optimizer, ...)
  ImageOptions images;         ///< neighbours and self handling for DeepDRIM
  double val_fraction = 0.2;   ///< of each fold's training pairs, as whole TFs, for early stopping
  double train_fraction = 1.0; ///< share of each fold's fitting TFs actually trained on (whole TFs, seeded)
  bool with_cnnc = false;      ///< also train the primary-image CNNC model
  /// Gene images (ids as the expression's genes; must outlive the call): also train the
  /// image-only and fusion models on the same folds (methods "image_only" and "fusion").
  const GeneImageLookup* gene_images = nullptr;
  bool missing_image_embedding = false;  ///< with gene_images: a learned embedding for pairs without images
  int only_fold = -1;          ///< run this fold alone (folds are seeded each on their own, so it scores as in a full run); -1 = all
  torch::Device device = torch::kCPU;
};

/// Wall time of one fold.
struct FoldTiming {
  int fold = 0;
  std::size_t train_pairs = 0, test_pairs = 0;
  std::size_t fit_pairs = 0, validation_pairs = 0;  ///< of train_pairs: trained on (after train_fraction), and validation
  std::map<std::string, double> train_seconds;  ///< per trained model
  std::map<std::string, TrainResult> trained;   ///< per trained model: every epoch's record and the kept epoch, which scored the fold
  double seconds = 0;                           ///< whole fold
};

/// Per-pair scores of every method on every pair, each scored while its fold was held out.
struct CvResult {
  std::vector<int> fold;                                ///< fold of each pair
  std::map<std::string, std::vector<double>> scores;    ///< method -> score per pair
  std::vector<FoldTiming> timing;
};

/// Called with a line of progress (fold started, model trained, ...).
using CvLogger = std::function<void(const std::string&)>;

/// Called after every training epoch with the fold (0-based), the model ("deepdrim", "cnnc", "image_only", "fusion") and the epoch's record.
using CvEpochCallback = std::function<void(int fold, const std::string& model, const EpochRecord&)>;

/// For each fold (folds[i] of pair i, 0..k-1): trains on the other folds (validation TFs drawn
/// from them), scores the fold's pairs, and scores the same pairs with the baselines
/// (pearson, spearman, mi, target_detection, in_degree).
CvResult cross_validate(const Expression& expr, const std::vector<LabelledPair>& pairs, const std::vector<int>& folds,
                        const CvOptions& opts, const CvLogger& log = {}, const CvEpochCallback& on_epoch = {});

}  // namespace drim::model
