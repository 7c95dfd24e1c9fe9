#pragma once
// The output layer of a prior-aware model refit on held-out pairs: how much of the image part
// to keep beside the in-degree prior, judged on TFs the network did not train on.
#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "drim/model/deepdrim.hpp"
#include "drim/pair_images.hpp"

namespace drim::model {

/// What the refit found (TrainOptions::prior_calibration); `applied` is false when there was
/// nothing to fit on (no model prior, no held-out pairs, or only one class among them).
struct PriorCalibration {
  bool applied = false;
  std::size_t pairs = 0;      ///< held-out pairs the refit used
  double image_scale = 1.0;   ///< factor on the image part of the output logit (0: the prior alone)
  double prior_weight = 0.0;  ///< the prior feature's weight after the refit
  double bias = 0.0;          ///< the output bias after the refit
};

/// As recorded in a model file and a drim-cv report, and read back.
nlohmann::json prior_calibration_json(const PriorCalibration& c);
PriorCalibration prior_calibration_from_json(const nlohmann::json& j);

/// Refits the last layer of a model with an in-degree prior on the pairs of `source` at `rows`
/// (validation pairs, whose TFs are not among the training TFs). The output logit is
/// s(x) + w p + c, where s is the image part (the output layer without the prior column and
/// bias), p the prior feature; a logistic regression of the labels on (s, p) gives the new
/// factor on s, w and c. A negative factor on s (the images rank held-out TFs' pairs against
/// their labels once the prior is known) is set to 0 and the regression refit on p alone.
/// The change is exact: the model's logits become that regression's. Does nothing (and returns
/// applied = false) for a model without a prior or when the rows hold only one class.
PriorCalibration calibrate_prior(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                                 torch::Device device, int batch = 64);

}  // namespace drim::model
