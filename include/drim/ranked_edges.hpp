#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace drim {

/// A scored edge between two gene ids.
struct ScoredEdge {
  float score;
  std::int32_t tf;
  std::int32_t target;
};

/// Order of an edge list: score descending, then tf, then target ascending.
inline bool ranks_before(const ScoredEdge& a, const ScoredEdge& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.tf != b.tf) return a.tf < b.tf;
  return a.target < b.target;
}

/// Collects scored edges and gives them back best first, in bounded memory: with top_k only the
/// k best are kept (a heap); otherwise sorted runs of `run_size` edges spill to temporary files
/// in `tmp_dir` and are merged at the end.
class RankedEdges {
 public:
  RankedEdges(std::size_t top_k, float min_score, std::string tmp_dir, std::size_t run_size = std::size_t(1) << 22);
  ~RankedEdges();
  RankedEdges(const RankedEdges&) = delete;
  RankedEdges& operator=(const RankedEdges&) = delete;

  /// Adds one edge (dropped when below min_score).
  void add(const ScoredEdge& e);
  /// Calls `fn` on every kept edge, best first. Call once.
  void emit(const std::function<void(const ScoredEdge&)>& fn);
  /// Temporary runs written so far.
  std::size_t runs() const { return run_files_.size(); }

 private:
  void spill();
  std::size_t top_k_;
  float min_score_;
  std::string tmp_dir_;
  std::size_t run_size_;
  std::vector<ScoredEdge> buf_;
  std::vector<std::string> run_files_;
};

}  // namespace drim
