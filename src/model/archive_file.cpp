#include "drim/model/archive_file.hpp"

#include <filesystem>

#include "drim/error.hpp"
#include "drim/temp_path.hpp"

namespace drim::model {

void save_archive(torch::serialize::OutputArchive& archive, const std::string& key, const nlohmann::json& meta,
                  const std::string& path) {
  archive.write(key, c10::IValue(meta.dump()));
  TempPath tmp(path);
  try {
    archive.save_to(tmp.path());
  } catch (const c10::Error& e) {
    throw Error("cannot write model file " + quote(path) + ": " + e.what_without_backtrace());
  }
  tmp.commit();
}

nlohmann::json load_archive(const std::string& path, const std::string& key, const std::string& what,
                            torch::serialize::InputArchive& archive) {
  if (!std::filesystem::exists(path)) throw Error("cannot open model file " + quote(path) + ": no such file");
  try {
    archive.load_from(path, torch::kCPU);
  } catch (const c10::Error&) {
    throw Error(quote(path) + " is not a " + what + " file, or it is truncated or corrupt");
  }
  c10::IValue v;
  if (!archive.try_read(key, v) || !v.isString())
    throw Error(quote(path) + " is a LibTorch archive but not a " + what + " (no drim metadata)");
  try {
    return nlohmann::json::parse(v.toStringRef());
  } catch (const nlohmann::json::exception& e) {
    throw Error(quote(path) + ": unreadable model metadata: " + e.what());
  }
}

}  // namespace drim::model
