#pragma once
// What drim-cv reports (report.json's "methods" and "folds"), for the tool and the Python API.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drim/model/cross_validation.hpp"

namespace drim::model {

/// The methods a cross-validation scores, in report order (those absent from a result are skipped).
const std::vector<std::string>& cv_method_order();

/// report.json's parts: "methods" (per method: pooled AUROC, AUPRC, early precision, median
/// per-TF AUROC/AUPRC, per_tf by TF name, AUROC among targets of equal in-degree, and the
/// Wilcoxon p-value of the method against deepdrim over TFs) and "folds" (pairs, seconds, epochs,
/// best epoch, plateau, positive share and every epoch's record, per trained model).
nlohmann::json cv_report(const CvResult& res, const std::vector<LabelledPair>& pairs, const std::vector<std::string>& genes);

/// One fold's entry of report.json's "folds".
nlohmann::json fold_json(const FoldTiming& t);

/// A fold entry read back, as much as the report needs (for merging folds run separately).
FoldTiming fold_from_json(const nlohmann::json& j);

}  // namespace drim::model
