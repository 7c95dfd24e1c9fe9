#pragma once
// --shard i/N parsing, and --shard slurm for a Slurm job array.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
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

/// FNV-1a, 64 bits: a cheap fingerprint of what a sharded run scores.
class RunKey {
 public:
  void add(const std::string& text) {
    for (unsigned char c : text) h_ = (h_ ^ c) * 1099511628211ull;
    h_ = (h_ ^ 0xffu) * 1099511628211ull;  // separator, so ("ab","c") != ("a","bc")
  }
  /// Adds a file's bytes (e.g. the model).
  void add_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) add(std::string(buf, static_cast<std::size_t>(in.gcount())));
  }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h_));
    return out;
  }

 private:
  std::uint64_t h_ = 14695981039346656037ull;
};

/// What a shard's edge list says of itself in its first line, so drim-merge can check that the
/// shards of one run are all there, once each.
struct ShardTag {
  int index = 0, count = 1;
  std::string run;  ///< RunKey::hex() of the whole run (model, what is scored, --top, --min-score)
};

/// "# drim-predict shard i/N run KEY".
inline std::string shard_line(const Shard& s, const std::string& run) {
  return "# drim-predict shard " + std::to_string(s.index) + "/" + std::to_string(s.count) + " run " + run;
}

/// The tag of a shard_line(), or nullopt for any other line.
inline std::optional<ShardTag> parse_shard_line(const std::string& line) {
  ShardTag t;
  char run[64] = {0};
  int used = 0;
  if (std::sscanf(line.c_str(), "# drim-predict shard %d/%d run %63s%n", &t.index, &t.count, run, &used) != 3 ||
      used != static_cast<int>(line.size()) || t.count < 1 || t.index < 0 || t.index >= t.count)
    return std::nullopt;
  t.run = run;
  return t;
}

}  // namespace drim::cli
