#pragma once
// Training DeepDRIM on labelled pairs, images built on the fly from an ImageContext.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "drim/gene_images.hpp"
#include "drim/image_builder.hpp"
#include "drim/pair_images.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/model/epoch_record.hpp"
#include "drim/model/pretrain.hpp"
#include "drim/model/prior_calibration.hpp"
#include "drim/model/train_options.hpp"
#include "drim/training_pairs.hpp"

namespace drim::model {

/// The run's history, and the epoch whose weights the model holds at the end.
struct TrainResult {
  std::vector<EpochRecord> history;
  int best_epoch = 0;
  bool stopped_early = false;
  /// Share of positives among the training pairs (0.5 when balanced), weighted by the loss weights.
  double positive_fraction = 0.5;
  /// Training pairs the loss used: all of them, or with TrainOptions::balance "target" those whose
  /// target has both classes.
  std::size_t trained_pairs = 0;
  /// The label-free pretraining before the first epoch (TrainOptions::pretrain_pairs).
  PretrainResult pretrain;
  /// The same for the image branch of a model that reads gene images (pretrain_image_tower).
  PretrainResult image_pretrain;
  /// The output layer's refit on the validation pairs (models with a prior).
  PriorCalibration prior_calibration;
};

/// The training loss of the best constant output: the binary entropy (in nats) of the positive
/// share p, ln 2 = 0.693 for balanced pairs, 0.647 for p = 0.65.
double constant_output_loss(double positive_fraction);

/// True when training ended on the plateau of a constant output: the last epoch's training loss
/// is within `tolerance` of constant_output_loss(result.positive_fraction) and, if there was a
/// validation set, no epoch reached a validation AUROC of `min_val_auroc`. Such a model scores
/// close to chance. Both the initial plateau and a collapse (too large a learning rate) look so.
bool stayed_on_plateau(const TrainResult& result, double tolerance = 0.01, double min_val_auroc = 0.6);

/// What to tell a user whose run with `opts` gave `result`, which stayed on the plateau: its loss,
/// which of the options that help are not already in use, and where to read more.
std::string plateau_advice(const TrainOptions& opts, const TrainResult& result);

/// Called after every epoch (for logging).
using EpochCallback = std::function<void(const EpochRecord&)>;

/// Whether the shared-gene step gives exactly the plain step's loss and gradients with these
/// options: tower dropout 0 and no batch normalisation (whose statistics see each distinct
/// image once instead of once per pair).
bool shared_gene_step_exact(const TrainOptions& opts);

/// Trains `net` in place on the pairs of `source` at positions `train_rows`. With validation
/// rows, early stopping watches `opts.monitor` (validation accuracy by default) and the best
/// epoch's weights are restored at the end; on ties the earlier epoch wins. The model must have
/// been built with the options' architecture (model_options()).
TrainResult train(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& train_rows,
                  const std::vector<std::size_t>& validation_rows, const TrainOptions& opts, torch::Device device,
                  const EpochCallback& on_epoch = {});

/// The architecture `opts` asks for (dropout, normalisation, initialisation, auxiliary head).
DeepDrimOptions model_options(const TrainOptions& opts, ModelKind kind, int neighbors);

/// Output logits (float32, on the CPU) for the pairs of `source` at `rows`, by the plain forward
/// pass in batches of `batch`, with the model's prior features when it has any.
torch::Tensor logits_rows(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                          torch::Device device, int batch = 64);

/// Probabilities for the pairs of `source` at `rows`: the sigmoid of logits_rows().
std::vector<double> predict_rows(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                                 torch::Device device, int batch = 64);

/// Probabilities for pairs by the plain forward pass (every image through its tower); a fusion or
/// image-only model also needs the genes' images (`genes`, ids as the context's genes).
std::vector<double> predict_naive(DeepDrim& net, const ImageContext& ctx, const std::vector<int>& tf,
                                  const std::vector<int>& target, torch::Device device, int batch = 64,
                                  const GeneImageLookup* genes = nullptr);

/// The images of `source` at rows[first, first + count) as a [count, K, 32, 32] float tensor,
/// built by an OpenMP team unless `parallel` is false (a helper thread beside LibTorch's); with
/// `cells`, from that bootstrap replicate of the cells (PairImageSource::resampled_images).
torch::Tensor batch_images(const PairImageSource& source, const std::vector<std::size_t>& rows, std::size_t first,
                           std::size_t count, bool parallel = true, const CellSample* cells = nullptr);

}  // namespace drim::model
