#pragma once
// Training settings, kept free of LibTorch headers so command-line code can bind them.
// Defaults here are the DeepDRIM reference's; presets (preset.hpp) set them all at once.
#include <cstddef>
#include <cstdint>
#include <string>

namespace drim::model {

/// Training settings (architecture switches included, since they are chosen with the recipe);
/// in-class defaults are the reference's (`--preset reference`).
struct TrainOptions {
  std::string optimizer = "sgd";  ///< "sgd" (the reference), "adam" or "adamw"
  int epochs = 200;           ///< maximum epochs
  int batch = 32;             ///< pairs per step
  double lr = 0.01;           ///< peak learning rate
  double momentum = 0.9;      ///< SGD momentum (Nesterov)
  bool nesterov = true;
  double decay = 1e-6;        ///< with schedule "keras": lr / (1 + decay * step)
  double weight_decay = 0.0;  ///< L2 (sgd, adam) or decoupled (adamw) weight decay
  /// Learning-rate schedule: "keras" (the reference's decay per step) or "cosine" (cosine from
  /// lr to 0 over `epochs` after the warm-up).
  std::string schedule = "keras";
  double warmup_epochs = 0.0;   ///< linear warm-up from 0 to lr over this many epochs
  double clip_norm = 0.0;       ///< clip the gradients' global L2 norm to this (0 = off)
  double tower_dropout = 0.25;  ///< dropout after each conv block of the towers (training only)
  double head_dropout = 0.5;    ///< dropout in the MLP head (training only)
  std::string norm = "none";    ///< normalisation after each tower convolution: none, group or batch
  std::string init = "glorot";  ///< weight initialisation: glorot (Keras) or he (Kaiming, for the ReLU convolutions)
  /// Weight of an auxiliary loss on tower A alone through its own CNNC head (0 = no auxiliary
  /// head): keeps DeepDRIM's primary-image part a working CNNC.
  double aux_weight = 0.0;
  /// "none" or "in-degree": the output layer also takes log1p of the target's leave-one-TF-out
  /// in-degree in the training network (`InDegreePrior`), for DeepDRIM and CNNC alike.
  std::string prior = "none";
  /// With a prior and validation pairs: "validation" refits the output layer on the validation
  /// pairs after training (calibrate_prior: how much of the image part to keep beside the prior,
  /// judged on held-out TFs), "none" keeps the trained layer.
  std::string prior_calibration = "validation";
  /// How a prior enters training: "feature" (an input from the first step, its weight starting at
  /// the logistic fit of the training labels on it) or "held" (its weight held at 0 while
  /// training, so the network learns from the images alone; the refit on the validation pairs,
  /// which "held" requires, weighs it against them after). Why "held" exists: within one target
  /// the leave-one-TF-out count is one lower for a positive pair than for a negative one, so a
  /// network that recognises the target from its images can learn to rank against the count.
  std::string prior_training = "feature";
  /// Loss weights: "none" (the reference: every pair weighs 1) or "target" (within each target
  /// gene, positives and negatives weigh the same, target_balance_weights; targets with one class
  /// are left out): the images then learn which TFs regulate a target rather than how popular
  /// the target is. With a prior, implies prior_training "held".
  std::string balance = "none";
  /// How pairs are grouped into batches: "random" (the reference), "balanced" (each batch has
  /// the training set's positive share), "target" or "tf" (pairs of a gene kept together, so the
  /// shared-gene step has fewer distinct genes per batch).
  std::string batch_order = "random";
  /// Within a batch, run each distinct gene's neighbour side through tower B once (exact with
  /// tower dropout 0 and norm none or group; tower dropout draws one mask per gene side and batch,
  /// and batch normalisation takes its statistics over each distinct image once). On CPU and GPU.
  bool shared_genes = false;
  bool prefetch = true;       ///< build the next batch's images while the current one trains
  /// Each epoch's training images are built from a bootstrap replicate of the cells (n cells
  /// drawn with replacement, seeded by the seed and the epoch; the bins and neighbours stay the
  /// full data's): augmentation against overfitting. Validation and prediction use every cell.
  /// Needs images built from an expression matrix, not read from a file.
  bool resample_cells = false;
  /// Arithmetic of the training forward pass: "fp32", or "bf16" (autocast: convolutions and
  /// matrix products in bfloat16, weights, optimiser and loss in float32; on CPUs with AVX-512
  /// BF16 or AMX, or on CUDA). Validation and prediction stay float32. "fp64": the supervised
  /// epochs in float64 (slow; for checks of exactness, e.g. data-parallel against one process,
  /// where float32 rounding would grow over the steps); the trained weights are kept as float32.
  std::string precision = "fp32";
  /// Label-free pretraining before the supervised epochs: the expression towers learn, from this
  /// many random gene pairs of the matrix (each seen once), to read the correlation a pair's
  /// histogram image shows (pretrain_towers). 0 = off (the reference). Needs images built from an
  /// expression matrix.
  std::size_t pretrain_pairs = 0;
  /// Which models' image branch (gene images or maps) is pretrained on pretrain_pairs pairs of
  /// gene images as well (pretrain_image_tower): "image-only" (an image-only model's one tower;
  /// fusion's tower I starts from its initialisation: measured better, docs/spatial.md), "all"
  /// (fusion too) or "none" (the reference).
  std::string pretrain_image_branch = "none";
  /// Fusion models: "early" (the image branch's embedding joins DeepDRIM's first dense layer,
  /// SDINet's arrangement) or "late" (the branch has its own head and the two logits are added;
  /// with aux_weight > 0 each logit is also trained on its own: DeepDrimOptions::late_fusion).
  std::string fusion = "early";
  std::size_t max_batches = 0;  ///< end each epoch after this many batches (0 = all); for benchmarks
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
