#include "drim/model/epoch_record.hpp"

#include <nlohmann/json.hpp>

namespace drim::model {

void to_json(nlohmann::json& j, const EpochRecord& r) {
  j = {{"epoch", r.epoch}, {"loss", r.loss}, {"accuracy", r.accuracy}, {"val_loss", r.val_loss},
       {"val_accuracy", r.val_accuracy}, {"val_auroc", r.val_auroc}, {"val_auprc", r.val_auprc},
       {"seconds", r.seconds}, {"pairs_per_s", r.pairs_per_s}};
  if (r.gradient_sync_seconds > 0) j["gradient_sync_seconds"] = r.gradient_sync_seconds;
}

void from_json(const nlohmann::json& j, EpochRecord& r) {
  r.epoch = j.at("epoch");
  r.loss = j.at("loss");
  r.accuracy = j.at("accuracy");
  r.val_loss = j.at("val_loss");
  r.val_accuracy = j.at("val_accuracy");
  r.val_auroc = j.value("val_auroc", 0.0);
  r.val_auprc = j.value("val_auprc", 0.0);
  r.seconds = j.at("seconds");
  r.pairs_per_s = j.at("pairs_per_s");
  r.gradient_sync_seconds = j.value("gradient_sync_seconds", 0.0);
}

}  // namespace drim::model
