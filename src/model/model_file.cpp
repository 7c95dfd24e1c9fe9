#include "drim/model/model_file.hpp"

#include "drim/error.hpp"
#include "drim/model/archive_file.hpp"

namespace drim::model {

namespace {
constexpr const char* kMetaKey = "drim_metadata";
constexpr const char* kFormat = "drim-model-1";
}  // namespace

void save_model(const std::string& path, DeepDrim& net, const nlohmann::json& meta) {
  nlohmann::json m = meta;
  m["format"] = kFormat;
  m["norm"] = to_string(net->opts.norm);
  m["aux_head"] = net->opts.aux_head;
  torch::serialize::OutputArchive archive;
  net->save(archive);
  save_archive(archive, kMetaKey, m, path);
}

LoadedModel load_model(const std::string& path) {
  torch::serialize::InputArchive archive;
  LoadedModel out;
  out.meta = load_archive(path, kMetaKey, "drim model", archive);
  if (out.meta.value("format", "") != kFormat)
    throw Error(quote(path) + ": unsupported model format " + quote(out.meta.value("format", "?")) + " (expected " + kFormat + ")");
  DeepDrimOptions opts;
  opts.kind = parse_model_kind(out.meta.at("kind").get<std::string>());
  opts.neighbors = out.meta.at("neighbors").get<int>();
  opts.norm = parse_norm(out.meta.value("norm", "none"));
  opts.aux_head = out.meta.value("aux_head", false);
  out.net = DeepDrim(opts);
  try {
    out.net->load(archive);
  } catch (const c10::Error& e) {
    throw Error(quote(path) + ": weights do not match a " + to_string(opts.kind) + " model with " +
                std::to_string(opts.neighbors) + " neighbours: " + e.what_without_backtrace());
  }
  return out;
}

}  // namespace drim::model
