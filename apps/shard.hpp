#pragma once
// --shard i/N parsing, and --shard slurm for a Slurm job array.
#include <cstdlib>
#include <string>

#include "drim/error.hpp"

namespace drim::cli {

/// Which 1/N of the work this process does: items with position % count == index.
struct Shard {
  int index = 0;
  int count = 1;
};

/// Parses "i/N" (0 <= i < N), or "slurm": this task of a Slurm job array, i = SLURM_ARRAY_TASK_ID
/// - SLURM_ARRAY_TASK_MIN (so --array=1-4 and --array=0-3 both give shards 0..3) and N =
/// SLURM_ARRAY_TASK_COUNT. Empty means the whole job, 0/1, whatever the environment says.
inline Shard parse_shard(const std::string& text) {
  Shard s;
  if (text.empty()) return s;
  if (text == "slurm") {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
    if (!id || !count || !min)
      throw UsageError("--shard slurm: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN must be set "
                       "(run inside a job array: sbatch --array=...)");
    try {
      s.index = std::stoi(id) - std::stoi(min);
      s.count = std::stoi(count);
    } catch (const std::exception&) {
      throw UsageError(std::string("--shard slurm: SLURM_ARRAY_TASK_ID ") + quote(id) + " / COUNT " + quote(count) + " / MIN " +
                       quote(min) + " are not numbers");
    }
    if (s.count < 1 || s.index < 0 || s.index >= s.count)
      throw UsageError("--shard slurm: task " + std::string(id) + " of an array starting at " + min + " with " + count +
                       " tasks is not shard i/N with 0 <= i < N (an array with steps, e.g. --array=0-9:2, cannot be split)");
    return s;
  }
  auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used_i = 0, used_n = 0;
    s.index = std::stoi(text.substr(0, slash), &used_i);
    s.count = std::stoi(text.substr(slash + 1), &used_n);
    if (used_i != slash || used_n != text.size() - slash - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw UsageError("--shard " + quote(text) + " must look like i/N, e.g. 0/8, or be 'slurm'");
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count)
    throw UsageError("--shard " + quote(text) + " is out of range: need 0 <= i < N");
  return s;
}

/// True when a Slurm array task runs without --shard: worth a loud warning, since every task
/// would then score everything.
inline bool slurm_array_without_shard(const std::string& text) { return text.empty() && std::getenv("SLURM_ARRAY_TASK_ID"); }

}  // namespace drim::cli
