#include "drim/ranked_edges.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <queue>

#include <unistd.h>

#include "drim/error.hpp"

namespace drim {
namespace {
auto worse_first = [](const ScoredEdge& a, const ScoredEdge& b) { return ranks_before(a, b); };
}  // namespace

RankedEdges::RankedEdges(std::size_t top_k, float min_score, std::string tmp_dir, std::size_t run_size)
    : top_k_(top_k), min_score_(min_score), tmp_dir_(std::move(tmp_dir)), run_size_(std::max<std::size_t>(run_size, 1)) {}

RankedEdges::~RankedEdges() {
  for (const auto& f : run_files_) std::remove(f.c_str());
}

void RankedEdges::add(const ScoredEdge& e) {
  if (!(e.score >= min_score_)) return;
  if (top_k_ > 0) {
    // A heap whose top is the worst kept edge.
    if (buf_.size() < top_k_) {
      buf_.push_back(e);
      std::push_heap(buf_.begin(), buf_.end(), worse_first);
    } else if (ranks_before(e, buf_.front())) {
      std::pop_heap(buf_.begin(), buf_.end(), worse_first);
      buf_.back() = e;
      std::push_heap(buf_.begin(), buf_.end(), worse_first);
    }
    return;
  }
  buf_.push_back(e);
  if (buf_.size() >= run_size_) spill();
}

void RankedEdges::spill() {
  std::sort(buf_.begin(), buf_.end(), ranks_before);
  std::string path = (std::filesystem::path(tmp_dir_) / (".drim-run-" + std::to_string(getpid()) + "-" +
                                                         std::to_string(run_files_.size()))).string();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Error("cannot create temporary file " + quote(path));
  run_files_.push_back(path);
  if (std::fwrite(buf_.data(), sizeof(ScoredEdge), buf_.size(), f) != buf_.size() || std::fclose(f) != 0)
    throw Error("cannot write temporary file " + quote(path) + " (disk full?)");
  buf_.clear();
}

void RankedEdges::emit(const std::function<void(const ScoredEdge&)>& fn) {
  if (top_k_ > 0 || run_files_.empty()) {
    std::sort(buf_.begin(), buf_.end(), ranks_before);
    for (const auto& e : buf_) fn(e);
    buf_.clear();
    return;
  }
  if (!buf_.empty()) spill();
  struct Run {
    FILE* f;
    std::vector<ScoredEdge> chunk;
    std::size_t pos = 0;
    bool next(ScoredEdge& e) {
      if (pos == chunk.size()) {
        chunk.resize(1 << 14);
        chunk.resize(std::fread(chunk.data(), sizeof(ScoredEdge), chunk.size(), f));
        pos = 0;
        if (chunk.empty()) return false;
      }
      e = chunk[pos++];
      return true;
    }
  };
  std::vector<Run> runs;
  for (const auto& path : run_files_) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw Error("cannot reopen temporary file " + quote(path));
    runs.push_back({f, {}, 0});
  }
  using Head = std::pair<ScoredEdge, std::size_t>;
  auto cmp = [](const Head& a, const Head& b) { return ranks_before(b.first, a.first); };
  std::priority_queue<Head, std::vector<Head>, decltype(cmp)> heap(cmp);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    ScoredEdge e;
    if (runs[r].next(e)) heap.push({e, r});
  }
  while (!heap.empty()) {
    auto [e, r] = heap.top();
    heap.pop();
    fn(e);
    ScoredEdge n;
    if (runs[r].next(n)) heap.push({n, r});
  }
  for (auto& r : runs) std::fclose(r.f);
}

}  // namespace drim
