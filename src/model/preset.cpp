#include "drim/model/preset.hpp"

#include <nlohmann/json.hpp>

#include "drim/error.hpp"

namespace drim::model {
namespace {

/// One preset-controlled field: its command-line option, its JSON key, how to copy it and how to
/// write it out.
struct Field {
  std::string option, key;
  std::function<void(TrainOptions&, const TrainOptions&)> copy;
  std::function<nlohmann::json(const TrainOptions&)> get;
  std::function<void(TrainOptions&, const nlohmann::json&)> set;
};

template <typename T>
Field field(const char* option, const char* key, T TrainOptions::*member) {
  return {option, key, [member](TrainOptions& to, const TrainOptions& from) { to.*member = from.*member; },
          [member](const TrainOptions& o) { return nlohmann::json(o.*member); },
          [member](TrainOptions& o, const nlohmann::json& v) { o.*member = v.get<T>(); }};
}

const std::vector<Field>& fields() {
  static const std::vector<Field> f = {
      field("--optimizer", "optimizer", &TrainOptions::optimizer),
      field("--epochs", "epochs", &TrainOptions::epochs),
      field("--batch", "batch", &TrainOptions::batch),
      field("--lr", "lr", &TrainOptions::lr),
      field("--momentum", "momentum", &TrainOptions::momentum),
      field("--no-nesterov", "nesterov", &TrainOptions::nesterov),
      field("--decay", "decay", &TrainOptions::decay),
      field("--weight-decay", "weight_decay", &TrainOptions::weight_decay),
      field("--schedule", "schedule", &TrainOptions::schedule),
      field("--warmup", "warmup_epochs", &TrainOptions::warmup_epochs),
      field("--clip-norm", "clip_norm", &TrainOptions::clip_norm),
      field("--tower-dropout", "tower_dropout", &TrainOptions::tower_dropout),
      field("--head-dropout", "head_dropout", &TrainOptions::head_dropout),
      field("--norm", "norm", &TrainOptions::norm),
      field("--init", "init", &TrainOptions::init),
      field("--aux-weight", "aux_weight", &TrainOptions::aux_weight),
      field("--prior", "prior", &TrainOptions::prior),
      field("--prior-calibration", "prior_calibration", &TrainOptions::prior_calibration),
      field("--prior-training", "prior_training", &TrainOptions::prior_training),
      field("--balance", "balance", &TrainOptions::balance),
      field("--batch-order", "batch_order", &TrainOptions::batch_order),
      field("--shared-genes", "shared_genes", &TrainOptions::shared_genes),
      field("--prefetch", "prefetch", &TrainOptions::prefetch),
      field("--resample-cells", "resample_cells", &TrainOptions::resample_cells),
      field("--precision", "precision", &TrainOptions::precision),
      field("--pretrain-pairs", "pretrain_pairs", &TrainOptions::pretrain_pairs),
      field("--pretrain-image-branch", "pretrain_image_branch", &TrainOptions::pretrain_image_branch),
      field("--fusion", "fusion", &TrainOptions::fusion),
      field("--patience", "patience", &TrainOptions::patience),
      field("--monitor", "monitor", &TrainOptions::monitor),
  };
  return f;
}

/// The measured best recipe (docs/training-recipe.md has the comparison behind each value).
TrainOptions drim_preset() {
  TrainOptions o;
  o.optimizer = "adamw";
  o.epochs = 20;
  o.batch = 32;
  o.lr = 1e-3;
  o.weight_decay = 1e-4;
  o.schedule = "cosine";
  o.warmup_epochs = 1.0;
  o.clip_norm = 1.0;
  o.tower_dropout = 0.0;
  o.head_dropout = 0.1;
  o.norm = "batch";
  o.init = "he";
  o.aux_weight = 1.0;
  o.batch_order = "random";
  o.shared_genes = true;
  o.pretrain_pairs = 20000;
  o.pretrain_image_branch = "image-only";
  o.patience = 6;
  o.monitor = "val_auroc";
  return o;
}

}  // namespace

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = {"drim", "reference"};
  return names;
}

TrainOptions preset_options(const std::string& name) {
  if (name == "drim") return drim_preset();
  if (name == "reference") return TrainOptions{};
  throw Error("unknown preset " + quote(name) + " (expected drim or reference)");
}

const std::vector<std::string>& preset_option_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& f : fields()) n.push_back(f.option);
    return n;
  }();
  return names;
}

void apply_preset(TrainOptions& opts, const std::string& name, const std::function<bool(const std::string&)>& given) {
  const TrainOptions p = preset_options(name);
  for (const auto& f : fields())
    if (!given || !given(f.option)) f.copy(opts, p);
}

nlohmann::json resolved_options_json(const TrainOptions& opts) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : fields()) j[f.key] = f.get(opts);
  return j;
}

bool holds_prior(const TrainOptions& o) { return o.prior != "none" && (o.prior_training == "held" || o.balance == "target"); }

void validate(const TrainOptions& o) {
  std::vector<std::string> bad;
  auto one_of = [&](const std::string& what, const std::string& v, std::initializer_list<const char*> ok) {
    std::string list;
    for (const char* s : ok) {
      if (v == s) return;
      list += (list.empty() ? "" : ", ") + std::string(s);
    }
    bad.push_back("unknown " + what + " " + quote(v) + " (expected " + list + ")");
  };
  one_of("optimizer", o.optimizer, {"sgd", "adam", "adamw"});
  one_of("schedule", o.schedule, {"keras", "cosine"});
  one_of("norm", o.norm, {"none", "group", "batch"});
  one_of("init", o.init, {"glorot", "he"});
  one_of("prior", o.prior, {"none", "in-degree"});
  one_of("prior calibration", o.prior_calibration, {"validation", "none"});
  one_of("balance", o.balance, {"none", "target"});
  one_of("prior training", o.prior_training, {"feature", "held"});
  if (holds_prior(o) && o.prior_calibration != "validation")
    bad.push_back("prior training 'held' (implied by balance 'target') needs the refit on the validation pairs to weigh the prior "
                  "(prior calibration 'validation'), got " + quote(o.prior_calibration));
  one_of("batch order", o.batch_order, {"random", "balanced", "target", "tf"});
  one_of("precision", o.precision, {"fp32", "bf16", "fp64"});
  one_of("fusion", o.fusion, {"early", "late"});
  one_of("monitor", o.monitor, {"val_accuracy", "val_auroc", "val_loss"});
  if (o.epochs < 1) bad.push_back("epochs must be at least 1, got " + quote(std::to_string(o.epochs)));
  if (o.batch < 1) bad.push_back("batch must be at least 1, got " + quote(std::to_string(o.batch)));
  if (!(o.lr > 0)) bad.push_back("lr must be positive, got " + quote(std::to_string(o.lr)));
  if (o.warmup_epochs < 0) bad.push_back("warm-up must be >= 0 epochs, got " + quote(std::to_string(o.warmup_epochs)));
  if (o.clip_norm < 0) bad.push_back("clip norm must be >= 0, got " + quote(std::to_string(o.clip_norm)));
  if (o.aux_weight < 0) bad.push_back("aux weight must be >= 0, got " + quote(std::to_string(o.aux_weight)));
  if (o.weight_decay < 0) bad.push_back("weight decay must be >= 0, got " + quote(std::to_string(o.weight_decay)));
  if (bad.empty()) return;
  std::string msg = "invalid training options: ";
  for (std::size_t i = 0; i < bad.size(); ++i) msg += (i ? "; " : "") + bad[i];
  throw Error(msg);
}

std::string set_option(TrainOptions& opts, const std::string& name, const nlohmann::json& value) {
  std::string option = name;
  if (option.rfind("--", 0) != 0) {
    option = "--" + name;
    for (auto& c : option) c = c == '_' ? '-' : c;
  }
  std::string bare = name;
  while (!bare.empty() && bare[0] == '-') bare.erase(0, 1);
  for (const auto& f : fields()) {
    if (f.option != option && f.key != bare) continue;
    try {
      f.set(opts, value);
    } catch (const nlohmann::json::exception&) {
      throw UsageError("training option " + quote(bare) + " cannot be " + value.dump() + " (expected a value like " + f.get(opts).dump() + ")");
    }
    return f.option;
  }
  std::string known;
  for (const auto& f : fields()) known += (known.empty() ? "" : ", ") + f.key;
  throw UsageError("unknown training option " + quote(bare) + "; the recipe options are " + known);
}

}  // namespace drim::model
