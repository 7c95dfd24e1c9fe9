#pragma once
// What one training epoch measured; free of LibTorch so reports and logs can use it.
#include <nlohmann/json_fwd.hpp>

namespace drim::model {

/// What one epoch measured.
struct EpochRecord {
  int epoch = 0;
  double loss = 0, accuracy = 0;
  double val_loss = 0, val_accuracy = 0, val_auroc = 0, val_auprc = 0;
  double seconds = 0, pairs_per_s = 0;
  /// Data parallel: seconds of the epoch spent summing gradients over the ranks (0 for one process).
  double gradient_sync_seconds = 0;
};

/// JSON object with every field under its own name (nlohmann's ADL hooks: `json j = rec;`).
void to_json(nlohmann::json& j, const EpochRecord& r);
/// Reads what to_json wrote; val_auroc and val_auprc may be missing (older checkpoints).
void from_json(const nlohmann::json& j, EpochRecord& r);

}  // namespace drim::model
