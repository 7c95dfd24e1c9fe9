#include "drim/network/edge_selection.hpp"

#include <algorithm>

namespace drim {

EdgeSelector::EdgeSelector(EdgeSelectionOptions opts) : opts_(opts) {}

void EdgeSelector::push_bounded(std::vector<ScoredEdge>& heap, const ScoredEdge& e, std::size_t k) {
  // A max-heap under ranks_before keeps the worst kept edge on top.
  if (heap.size() < k) {
    heap.push_back(e);
    std::push_heap(heap.begin(), heap.end(), ranks_before);
  } else if (ranks_before(e, heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), ranks_before);
    heap.back() = e;
    std::push_heap(heap.begin(), heap.end(), ranks_before);
  }
}

void EdgeSelector::add(const ScoredEdge& e) {
  if (!(e.score >= opts_.min_score)) return;
  ++passed_;
  if (opts_.top_per_tf > 0) {
    if (static_cast<std::size_t>(e.tf) >= per_tf_.size()) per_tf_.resize(static_cast<std::size_t>(e.tf) + 1);
    push_bounded(per_tf_[e.tf], e, opts_.top_per_tf);
  } else if (opts_.top > 0) {
    push_bounded(kept_, e, opts_.top);
  } else {
    kept_.push_back(e);
  }
}

std::vector<ScoredEdge> EdgeSelector::finish() {
  std::vector<ScoredEdge> out;
  if (opts_.top_per_tf > 0) {
    for (auto& h : per_tf_) out.insert(out.end(), h.begin(), h.end());
    per_tf_.clear();
  } else {
    out.swap(kept_);
  }
  std::sort(out.begin(), out.end(), ranks_before);
  if (opts_.top > 0 && out.size() > opts_.top) out.resize(opts_.top);
  return out;
}

}  // namespace drim
