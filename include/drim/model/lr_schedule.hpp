#pragma once
// The learning rate at each optimiser step. Free of LibTorch headers.
#include "drim/model/train_options.hpp"

namespace drim::model {

/// Learning rate for 0-based `step` of a run of opts.epochs epochs of `steps_per_epoch` steps:
/// a linear warm-up over opts.warmup_epochs (lr * (step + 1) / warm-up steps), then schedule
/// "keras" (lr / (1 + decay * step), the reference) or "cosine" (lr * (1 + cos(pi * t)) / 2, t
/// going from 0 after the warm-up to 1 at the last step).
double learning_rate(const TrainOptions& opts, long step, long steps_per_epoch);

}  // namespace drim::model
