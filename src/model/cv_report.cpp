#include "drim/model/cv_report.hpp"

#include <cmath>
#include <map>

#include "drim/evaluation.hpp"
#include "drim/metrics.hpp"

namespace drim::model {

const std::vector<std::string>& cv_method_order() {
  static const std::vector<std::string> order = {"deepdrim", "cnnc", "image_only", "fusion", "pearson", "spearman", "mi", "target_detection", "in_degree", "stacking"};
  return order;
}

namespace {

nlohmann::json number_or_null(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

}  // namespace

nlohmann::json cv_report(const CvResult& res, const std::vector<LabelledPair>& pairs, const std::vector<std::string>& genes) {
  std::map<std::string, MethodSummary> summary;
  for (const auto& m : cv_method_order())
    if (res.scores.count(m)) summary[m] = summarize(pairs, res.scores.at(m));
  // What each score adds over the in-degree baseline: AUROC among pairs whose targets have the same in-degree.
  std::vector<int> labels;
  for (const auto& p : pairs) labels.push_back(p.label);
  nlohmann::json methods = nlohmann::json::object();
  for (const auto& m : cv_method_order()) {
    if (!summary.count(m)) continue;
    const auto& s = summary[m];
    const double within = res.scores.count("in_degree") ? stratified_auroc(res.scores.at(m), labels, res.scores.at("in_degree")) : NAN;
    nlohmann::json per_tf = nlohmann::json::object();
    for (const auto& [tf, a] : s.tf_auroc) per_tf[genes[tf]] = {{"auroc", a}, {"auprc", s.tf_auprc.at(tf)}};
    methods[m] = {{"auroc", s.auroc}, {"auprc", s.auprc}, {"epr", s.epr}, {"median_tf_auroc", s.median_tf_auroc},
                  {"median_tf_auprc", s.median_tf_auprc}, {"per_tf", per_tf}, {"auroc_within_in_degree", number_or_null(within)}};
    if (m != "deepdrim" && summary.count("deepdrim"))
      methods[m]["wilcoxon_p_vs_deepdrim"] = number_or_null(compare_per_tf(summary["deepdrim"], s));
  }
  nlohmann::json folds = nlohmann::json::array();
  for (const auto& t : res.timing) folds.push_back(fold_json(t));
  return {{"methods", methods}, {"folds", folds}};
}

nlohmann::json fold_json(const FoldTiming& t) {
  nlohmann::json epochs, best_epoch, on_plateau, positive_fraction, history, calibration, trained_pairs, pretrain, image_pretrain;
  for (const auto& [m, tr] : t.trained) {
    if (tr.prior_calibration.applied) calibration[m] = prior_calibration_json(tr.prior_calibration);
    epochs[m] = tr.history.size();
    positive_fraction[m] = tr.positive_fraction;
    trained_pairs[m] = tr.trained_pairs;
    if (tr.pretrain.pairs > 0) pretrain[m] = pretrain_json(tr.pretrain);
    if (tr.image_pretrain.pairs > 0) image_pretrain[m] = pretrain_json(tr.image_pretrain);
    best_epoch[m] = tr.best_epoch;
    on_plateau[m] = stayed_on_plateau(tr);
    history[m] = tr.history;
  }
  nlohmann::json j = {{"fold", t.fold}, {"train_pairs", t.train_pairs}, {"fit_pairs", t.fit_pairs}, {"validation_pairs", t.validation_pairs},
                      {"test_pairs", t.test_pairs}, {"seconds", t.seconds}, {"train_seconds", t.train_seconds}, {"epochs", epochs},
                      {"best_epoch", best_epoch}, {"on_plateau", on_plateau}, {"positive_fraction", positive_fraction}, {"trained_pairs", trained_pairs}, {"history", history}};
  if (!calibration.is_null()) j["prior_calibration"] = calibration;
  if (!pretrain.is_null()) j["pretrain"] = pretrain;
  if (!image_pretrain.is_null()) j["pretrain_images"] = image_pretrain;
  return j;
}

FoldTiming fold_from_json(const nlohmann::json& j) {
  FoldTiming t;
  t.fold = j.at("fold").get<int>();
  t.train_pairs = j.at("train_pairs").get<std::size_t>();
  t.fit_pairs = j.at("fit_pairs").get<std::size_t>();
  t.validation_pairs = j.at("validation_pairs").get<std::size_t>();
  t.test_pairs = j.at("test_pairs").get<std::size_t>();
  t.seconds = j.at("seconds").get<double>();
  t.train_seconds = j.at("train_seconds").get<std::map<std::string, double>>();
  for (const auto& [m, h] : j.at("history").items()) {
    TrainResult tr;
    tr.history = h.get<std::vector<EpochRecord>>();
    tr.best_epoch = j.at("best_epoch").at(m).get<int>();
    tr.positive_fraction = j.at("positive_fraction").at(m).get<double>();
    if (j.contains("trained_pairs")) tr.trained_pairs = j.at("trained_pairs").at(m).get<std::size_t>();
    if (j.contains("pretrain") && j.at("pretrain").contains(m)) tr.pretrain = pretrain_from_json(j.at("pretrain").at(m));
    if (j.contains("pretrain_images") && j.at("pretrain_images").contains(m))
      tr.image_pretrain = pretrain_from_json(j.at("pretrain_images").at(m));
    if (j.contains("prior_calibration") && j.at("prior_calibration").contains(m))
      tr.prior_calibration = prior_calibration_from_json(j.at("prior_calibration").at(m));
    t.trained[m] = tr;
  }
  return t;
}

}  // namespace drim::model
