#pragma once
// Named training recipes: `--preset drim` (the default, the measured best) and `--preset
// reference` (the published DeepDRIM recipe). Free of LibTorch headers.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "drim/model/train_options.hpp"

namespace drim::model {

/// The preset names, the default first.
const std::vector<std::string>& preset_names();

/// Every preset-controlled value of the named preset ("drim" or "reference"); other fields
/// (seed, checkpoint, resume, progress) keep TrainOptions' defaults. Throws on an unknown name.
TrainOptions preset_options(const std::string& name);

/// The command-line option ("--lr", ...) of every field a preset sets.
const std::vector<std::string>& preset_option_names();

/// Overwrites every preset-controlled field of `opts` with the preset's value, except those
/// whose command-line option `given(option)` reports as given by the user (they win).
void apply_preset(TrainOptions& opts, const std::string& name, const std::function<bool(const std::string& option)>& given);

/// Every preset-controlled value, keyed by field name (for model files and reports).
nlohmann::json resolved_options_json(const TrainOptions& opts);

/// Sets one preset-controlled field by its command-line option ("--tower-dropout") or its key
/// ("tower_dropout"); returns the option, for apply_preset's `given`. Throws naming the option
/// for an unknown name or a value of the wrong type.
std::string set_option(TrainOptions& opts, const std::string& name, const nlohmann::json& value);

/// True when a model trained with `opts` has a prior whose weight is held at 0 while training
/// (prior_training "held", or balance "target").
bool holds_prior(const TrainOptions& opts);

/// Checks values and combinations (optimizer, schedule, norm, ...) and throws one error listing
/// every problem.
void validate(const TrainOptions& opts);

}  // namespace drim::model
