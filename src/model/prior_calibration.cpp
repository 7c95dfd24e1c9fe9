#include "drim/model/prior_calibration.hpp"

#include <algorithm>

#include "drim/baselines.hpp"
#include "drim/model/trainer.hpp"

namespace drim::model {

nlohmann::json prior_calibration_json(const PriorCalibration& c) {
  return {{"pairs", c.pairs}, {"image_scale", c.image_scale}, {"prior_weight", c.prior_weight}, {"bias", c.bias}};
}

PriorCalibration prior_calibration_from_json(const nlohmann::json& j) {
  PriorCalibration c;
  c.applied = true;
  c.pairs = j.at("pairs").get<std::size_t>();
  c.image_scale = j.at("image_scale").get<double>();
  c.prior_weight = j.at("prior_weight").get<double>();
  c.bias = j.at("bias").get<double>();
  return c;
}

PriorCalibration calibrate_prior(DeepDrim& net, const PairImageSource& source, const std::vector<std::size_t>& rows,
                                 torch::Device device, int batch) {
  PriorCalibration c;
  if (net->opts.prior_features != 1 || rows.empty()) return c;
  const auto pairs = source.pairs();
  std::vector<int> tf, target, labels;
  for (std::size_t r : rows) {
    tf.push_back(pairs[r].tf);
    target.push_back(pairs[r].target);
    labels.push_back(pairs[r].label > 0 ? 1 : 0);
  }
  const auto positives = std::count(labels.begin(), labels.end(), 1);
  if (positives == 0 || positives == static_cast<long>(labels.size())) return c;
  torch::NoGradGuard guard;
  const long cols = net->out->weight.size(1);
  // With the prior's weight and the bias at 0 the logits are the image part alone.
  net->out->weight.select(1, cols - 1).zero_();
  net->out->bias.zero_();
  const torch::Tensor s = logits_rows(net, source, rows, device, batch).to(torch::kFloat64).contiguous();
  const std::vector<double> image_part(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
  const std::vector<float> f = net->in_degree.features(tf, target);
  const std::vector<double> prior(f.begin(), f.end());
  std::vector<double> w = fit_logistic({image_part, prior}, labels);
  if (w[1] < 0) {
    const auto p = fit_logistic({prior}, labels);
    w = {p[0], 0.0, p[1]};
  }
  c.applied = true;
  c.pairs = labels.size();
  c.image_scale = w[1];
  c.prior_weight = w[2];
  c.bias = w[0];
  net->out->weight.narrow(1, 0, cols - 1).mul_(c.image_scale);
  net->out->weight.select(1, cols - 1).fill_(c.prior_weight);
  net->out->bias.fill_(c.bias);
  return c;
}

}  // namespace drim::model
