#pragma once
// Training DeepDRIM on labelled pairs, images built on the fly from an ImageContext.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "drim/image_builder.hpp"
#include "drim/pair_images.hpp"
#include "drim/model/deepdrim.hpp"
#include "drim/training_pairs.hpp"

namespace drim::model {

/// Training settings; defaults are the DeepDRIM reference's.
struct TrainOptions {
  std::string optimizer = "sgd";  ///< "sgd" (the reference) or "adam"
  int epochs = 200;           ///< maximum epochs
  int batch = 32;             ///< pairs per SGD step
  double lr = 0.01;           ///< initial learning rate (Adam: 0.001 is the usual choice)
  double momentum = 0.9;      ///< SGD momentum (Nesterov)
  bool nesterov = true;
  double decay = 1e-6;        ///< Keras decay: lr / (1 + decay * step)
  int patience = 10;          ///< epochs without a better validation accuracy before stopping (0 = never stop)
  std::uint64_t seed = 42;    ///< shuffling and dropout; same seed, same weights on CPU
  std::string checkpoint;     ///< written after every epoch when not empty
  bool resume = false;        ///< continue from `checkpoint`
  bool progress = true;       ///< progress bar on stderr
};

/// What one epoch measured.
struct EpochRecord {
  int epoch = 0;
  double loss = 0, accuracy = 0;
  double val_loss = 0, val_accuracy = 0, val_auroc = 0, val_auprc = 0;
  double seconds = 0, pairs_per_s = 0;
};

/// The run's history, and the epoch whose weights the model holds at the end.
struct TrainResult {
  std::vector<EpochRecord> history;
  int best_epoch = 0;
  bool stopped_early = false;
};

/// Called after every epoch (for logging).
using EpochCallback = std::function<void(const EpochRecord&)>;

/// Trains `net` in place on the pairs of `source` at positions `train_rows`. With validation
/// rows, early stopping watches validation accuracy and the best epoch's weights are restored at
/// the end.
TrainResult train(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& train_rows,
                  const std::vector<std::size_t>& validation_rows, const TrainOptions& opts, torch::Device device,
                  const EpochCallback& on_epoch = {});

/// Probabilities for the pairs of `source` at `rows`, by the plain forward pass.
std::vector<double> predict_rows(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                                 torch::Device device, int batch = 64);

/// Probabilities for pairs by the plain forward pass (every image through its tower).
std::vector<double> predict_naive(DeepDrim& net, const ImageContext& ctx, const std::vector<int>& tf,
                                  const std::vector<int>& target, torch::Device device, int batch = 64);

/// The images of `source` at rows[first, first + count) as a [count, K, 32, 32] float tensor.
torch::Tensor batch_images(const PairImageSource& source, const std::vector<std::size_t>& rows, std::size_t first,
                           std::size_t count);

}  // namespace drim::model
