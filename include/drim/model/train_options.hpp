#pragma once
// Training settings, kept free of LibTorch headers so command-line code can bind them.
#include <cstdint>
#include <string>

namespace drim::model {

/// Training settings; defaults are the DeepDRIM reference's.
struct TrainOptions {
  std::string optimizer = "sgd";  ///< "sgd" (the reference) or "adam"
  int epochs = 200;           ///< maximum epochs
  int batch = 32;             ///< pairs per SGD step
  double lr = 0.01;           ///< initial learning rate (the reference's SGD; with Adam use 0.0003: 0.001 collapsed on mHSC-L)
  double momentum = 0.9;      ///< SGD momentum (Nesterov)
  bool nesterov = true;
  double decay = 1e-6;        ///< Keras decay: lr / (1 + decay * step)
  double tower_dropout = 0.25;  ///< dropout after each conv block of the towers (training only)
  double head_dropout = 0.5;    ///< dropout in the MLP head (training only)
  int patience = 10;          ///< epochs without a better monitored value before stopping (0 = never stop)
  /// What picks the best epoch (whose weights are kept) and drives early stopping:
  /// "val_accuracy" (the reference), "val_auroc" or "val_loss". Without validation pairs, the
  /// training loss.
  std::string monitor = "val_accuracy";
  std::uint64_t seed = 42;    ///< shuffling and dropout; same seed, same weights on CPU
  std::string checkpoint;     ///< written after every epoch when not empty
  bool resume = false;        ///< continue from `checkpoint`
  bool progress = true;       ///< progress bar on stderr
};

}  // namespace drim::model
