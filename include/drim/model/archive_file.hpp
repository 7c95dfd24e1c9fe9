#pragma once
// A LibTorch archive with JSON metadata on disk: the shared part of drim's model files.
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace drim::model {

/// Writes `meta` under `key` into `archive`, then the archive to `path` through a temporary
/// name renamed when complete; throws naming the file.
void save_archive(torch::serialize::OutputArchive& archive, const std::string& key, const nlohmann::json& meta,
                  const std::string& path);

/// Opens `path` into `archive` and returns the JSON metadata stored under `key`; throws naming
/// the file when it is missing, not a LibTorch archive, truncated, or holds no such metadata
/// (`what` names the expected kind, e.g. "drim model").
nlohmann::json load_archive(const std::string& path, const std::string& key, const std::string& what,
                            torch::serialize::InputArchive& archive);

}  // namespace drim::model
