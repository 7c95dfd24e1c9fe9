#pragma once
// --shard i/N parsing, with defaults from a Slurm job array.
#include <cstdlib>
#include <string>

#include "drim/error.hpp"

namespace drim::cli {

/// Which 1/N of the work this process does: items with position % count == index.
struct Shard {
  int index = 0;
  int count = 1;
};

/// Parses "i/N" (0 <= i < N); an empty string takes SLURM_ARRAY_TASK_ID (minus
/// SLURM_ARRAY_TASK_MIN) and SLURM_ARRAY_TASK_COUNT when set, else 0/1.
inline Shard parse_shard(const std::string& text) {
  Shard s;
  if (text.empty()) {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
    if (!id || !count) return s;
    s.index = std::atoi(id) - (min ? std::atoi(min) : 0);
    s.count = std::atoi(count);
  } else {
    auto slash = text.find('/');
    try {
      if (slash == std::string::npos) throw std::invalid_argument("no slash");
      s.index = std::stoi(text.substr(0, slash));
      s.count = std::stoi(text.substr(slash + 1));
    } catch (const std::exception&) {
      throw Error("--shard " + quote(text) + " must look like i/N, e.g. 0/8");
    }
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count)
    throw Error("shard " + std::to_string(s.index) + "/" + std::to_string(s.count) + " is out of range: need 0 <= i < N");
  return s;
}

}  // namespace drim::cli
