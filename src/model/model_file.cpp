#include "drim/model/model_file.hpp"

#include <filesystem>

#include "drim/error.hpp"
#include "drim/temp_path.hpp"

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
  archive.write(kMetaKey, c10::IValue(m.dump()));
  net->save(archive);
  TempPath tmp(path);
  try {
    archive.save_to(tmp.path());
  } catch (const c10::Error& e) {
    throw Error("cannot write model file " + quote(path) + ": " + e.what_without_backtrace());
  }
  tmp.commit();
}

LoadedModel load_model(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error("cannot open model file " + quote(path) + ": no such file");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path, torch::kCPU);
  } catch (const c10::Error&) {
    throw Error(quote(path) + " is not a drim model file, or it is truncated or corrupt");
  }
  c10::IValue v;
  if (!archive.try_read(kMetaKey, v) || !v.isString())
    throw Error(quote(path) + " is a LibTorch archive but not a drim model (no drim metadata)");
  LoadedModel out;
  try {
    out.meta = nlohmann::json::parse(v.toStringRef());
  } catch (const nlohmann::json::exception& e) {
    throw Error(quote(path) + ": unreadable model metadata: " + e.what());
  }
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
