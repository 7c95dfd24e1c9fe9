#pragma once
// Self-supervised training of ER-Net on GenoMap images (TCER): mask a random share of each
// image's non-zero pixels with a placeholder and learn to restore them.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "drim/model/er_net.hpp"

namespace drim::model {

/// Settings of train_er_net (defaults: drim-impute's --preset drim; the paper's recipe differs in
/// `squared` and `mask_zeros`, docs/imputation.md).
struct ImputeTrainOptions {
  int epochs = 100;            ///< passes over the cells
  int batch = 64;              ///< GenoMaps per step
  double lr = 1e-3;            ///< Adam's learning rate, halved every `halve_every` epochs
  int halve_every = 40;        ///< epochs between learning-rate halvings (0 = never)
  double mask_min = 0.1;       ///< per GenoMap, the masked share of non-zero pixels ~ U[mask_min, mask_max]
  double mask_max = 0.5;
  float placeholder = 0.999f;  ///< the value a masked pixel is given
  bool squared = true;         ///< squared error on pixels (conditional means); false: the paper's L1
  bool mask_zeros = true;      ///< mask a share of every gene pixel, zero or not; false: the paper's non-zero pixels only
  double fft_weight = 0.1;     ///< lambda: loss = L1(pixels) + lambda * L1(FFT)
  std::uint64_t seed = 42;
  bool progress = true;        ///< a progress bar per epoch on stderr
  std::string checkpoint;      ///< written after every epoch when not empty
  bool resume = false;         ///< continue from `checkpoint`
};

/// One epoch of training.
struct ImputeEpoch {
  int epoch = 0;
  double loss = 0, pixel_l1 = 0, fft_l1 = 0, lr = 0, seconds = 0;
};

/// One epoch as JSON (checkpoints, the TCER model's history) and back.
nlohmann::json to_json(const ImputeEpoch& e);
ImputeEpoch impute_epoch_from_json(const nlohmann::json& j);

/// Masks `images` [B, 1, H, W]: in image b, floor(ratios[b] * n + 0.5) of its n candidate pixels,
/// drawn uniformly (torch's generator), become `placeholder`. Candidates are the non-zero pixels,
/// or, when `candidates` [H, W] (bool) is given, those pixels whatever their value. Returns the
/// masked images and the mask (bool, same shape).
std::pair<torch::Tensor, torch::Tensor> mask_genomaps(const torch::Tensor& images, const torch::Tensor& ratios, float placeholder,
                                                      const torch::Tensor& candidates = {});

/// Mean absolute difference of the two images' orthonormal 2-D FFTs (complex modulus), over
/// batch, channels and frequencies.
torch::Tensor fft_l1(const torch::Tensor& a, const torch::Tensor& b);

/// Trains `net` on `images` [N, 1, H, W] (CPU, values in [0, 1]; `gene_pixels` [H, W] marks the
/// pixels that hold a gene): Adam, shuffled batches, the masking above, L1 + lambda FFT-L1
/// against the unmasked images. Seeded; checkpoints and resumes. Calls `on_epoch` after each
/// epoch; returns the history.
std::vector<ImputeEpoch> train_er_net(ErNet& net, const torch::Tensor& images, const torch::Tensor& gene_pixels,
                                      const ImputeTrainOptions& opts, torch::Device device,
                                      const std::function<void(const ImputeEpoch&)>& on_epoch = {});

/// How restore_genomaps predicts each gene pixel.
struct RestoreOptions {
  int groups = 4;        ///< a cell's gene pixels are split at random into this many groups ...
  int rounds = 2;        ///< ... each masked in turn, this many times; the predictions are averaged
  float placeholder = 0.999f;
  std::uint64_t seed = 42;
  int batch = 256;
};

/// Blind-spot restoration: every gene pixel is predicted from its context while it (and the rest
/// of its group) carries the placeholder, as in training; each is masked once per round and its
/// predictions averaged. Returns [N, 1, H, W] on CPU in [0, 1], 0 outside gene pixels.
torch::Tensor restore_genomaps(ErNet& net, const torch::Tensor& images, const torch::Tensor& gene_pixels, const RestoreOptions& opts,
                               torch::Device device);

}  // namespace drim::model
