// Whether a training run stayed on the initial plateau (a constant output), and what to try then.
#include "drim/model/trainer.hpp"

#include <cmath>
#include <cstdio>

namespace drim::model {

double constant_output_loss(double positive_fraction) {
  const double p = positive_fraction;
  if (p <= 0.0 || p >= 1.0) return 0.0;
  return -p * std::log(p) - (1.0 - p) * std::log(1.0 - p);
}

bool stayed_on_plateau(const TrainResult& result, double tolerance, double min_val_auroc) {
  if (result.history.empty()) return false;
  const double flat = constant_output_loss(result.positive_fraction);
  if (std::abs(result.history.back().loss - flat) > tolerance) return false;
  for (const auto& r : result.history) {
    if (r.val_loss > 0 && r.val_auroc >= min_val_auroc) return false;
  }
  return true;
}

std::string plateau_advice(const TrainOptions& opts, const TrainResult& result) {
  std::string tries = "more --epochs" + std::string(opts.patience > 0 ? " (with --patience 0 or a larger one)" : "");
  if (opts.norm == "none") tries += ", --norm batch (part of --preset drim)";
  if (opts.optimizer == "sgd") tries += ", --optimizer adamw --lr 0.001 --warmup 1";
  else if (opts.lr > 0.001) tries += ", a smaller --lr (0.001)";
  if (opts.tower_dropout > 0) tries += ", --tower-dropout 0";
  if (opts.monitor != "val_auroc") tries += ", --monitor val_auroc";
  char loss[160];
  std::snprintf(loss, sizeof loss, "%.3f, the loss of a constant output for %.0f %% positives,",
                constant_output_loss(result.positive_fraction), 100.0 * result.positive_fraction);
  return std::string("the training loss ended at ") + loss +
         " and no epoch ranked the validation pairs well: the network has not left its initial plateau, or collapsed "
         "onto it, and scores close to chance. Try " + tries + " (docs/training-recipe.md)";
}

}  // namespace drim::model
