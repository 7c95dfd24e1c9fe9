#include "drim/model/prior_calibration.hpp"

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
  torch::NoGradGuard guard;
  net->to(device);
  const bool was_training = net->is_training();
  net->eval();
  const auto pairs = source.pairs();
  std::vector<double> image_part, prior;
  std::vector<int> labels;
  int positives = 0;
  const double bias = net->out->bias.to(torch::kCPU).item<double>();
  for (std::size_t first = 0; first < rows.size(); first += batch) {
    const std::size_t count = std::min<std::size_t>(batch, rows.size() - first);
    std::vector<int> tf(count), target(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto& p = pairs[rows[first + i]];
      tf[i] = p.tf;
      target[i] = p.target;
      labels.push_back(p.label > 0 ? 1 : 0);
      positives += labels.back();
    }
    const torch::Tensor f = net->prior_input(tf, target);
    // With the prior input at 0 the logit is the image part plus the bias.
    auto z = net->forward(batch_images(source, rows, first, count).to(device), torch::zeros_like(f)).to(torch::kCPU).to(torch::kFloat64);
    auto fp = f.to(torch::kCPU).to(torch::kFloat64).contiguous();
    for (std::size_t i = 0; i < count; ++i) {
      image_part.push_back(z[i].item<double>() - bias);
      prior.push_back(fp[i][0].item<double>());
    }
  }
  net->train(was_training);
  if (positives == 0 || positives == static_cast<int>(labels.size())) return c;
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
  const long cols = net->out->weight.size(1);
  net->out->weight.narrow(1, 0, cols - 1).mul_(c.image_scale);
  net->out->weight.select(1, cols - 1).fill_(c.prior_weight);
  net->out->bias.fill_(c.bias);
  return c;
}

}  // namespace drim::model
