#include "drim/model/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace drim::model {

double learning_rate(const TrainOptions& o, long step, long steps_per_epoch) {
  const double warm = o.warmup_epochs * steps_per_epoch;
  const double total = static_cast<double>(o.epochs) * steps_per_epoch;
  double lr = o.lr;
  if (o.schedule == "cosine") {
    const double span = std::max(1.0, total - warm);
    const double t = std::clamp((step - warm) / span, 0.0, 1.0);
    lr = o.lr * 0.5 * (1.0 + std::cos(M_PI * t));
  } else {
    lr = o.lr / (1.0 + o.decay * step);
  }
  if (warm > 0 && step < warm) lr *= (step + 1) / warm;
  return lr;
}

}  // namespace drim::model
