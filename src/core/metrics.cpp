#include "drim/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace drim {
namespace {

std::vector<std::size_t> order_desc(const std::vector<double>& s) {
  std::vector<std::size_t> idx(s.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return s[a] > s[b]; });
  return idx;
}

}  // namespace

double auroc(const std::vector<double>& scores, const std::vector<int>& labels) {
  std::vector<std::size_t> idx(scores.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double rank_sum = 0.0, n_pos = 0.0;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j < idx.size() && scores[idx[j]] == scores[idx[i]]) ++j;
    const double mid_rank = 0.5 * (i + 1 + j);  // average 1-based rank of the tie group
    for (std::size_t k = i; k < j; ++k)
      if (labels[idx[k]] == 1) {
        rank_sum += mid_rank;
        n_pos += 1;
      }
    i = j;
  }
  const double n_neg = static_cast<double>(scores.size()) - n_pos;
  if (n_pos == 0 || n_neg == 0) return std::numeric_limits<double>::quiet_NaN();
  return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg);
}

double auprc(const std::vector<double>& scores, const std::vector<int>& labels) {
  const double n_pos = std::count(labels.begin(), labels.end(), 1);
  if (n_pos == 0) return std::numeric_limits<double>::quiet_NaN();
  auto idx = order_desc(scores);
  double tp = 0, fp = 0, prev_recall = 0, ap = 0;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j < idx.size() && scores[idx[j]] == scores[idx[i]]) {
      (labels[idx[j]] == 1 ? tp : fp) += 1;
      ++j;
    }
    const double recall = tp / n_pos, precision = tp / (tp + fp);
    ap += (recall - prev_recall) * precision;
    prev_recall = recall;
    i = j;
  }
  return ap;
}

double accuracy(const std::vector<double>& scores, const std::vector<int>& labels) {
  if (scores.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::size_t ok = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) ok += (scores[i] >= 0.5) == (labels[i] == 1);
  return static_cast<double>(ok) / scores.size();
}

}  // namespace drim
