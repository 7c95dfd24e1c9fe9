#include "drim/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
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

double stratified_auroc(const std::vector<double>& scores, const std::vector<int>& labels, const std::vector<double>& strata) {
  std::map<double, std::pair<std::vector<double>, std::vector<int>>> by;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    by[strata[i]].first.push_back(scores[i]);
    by[strata[i]].second.push_back(labels[i]);
  }
  double won = 0, compared = 0;
  for (const auto& [stratum, sl] : by) {
    const double n_pos = std::count(sl.second.begin(), sl.second.end(), 1);
    const double pairs = n_pos * (static_cast<double>(sl.second.size()) - n_pos);
    if (pairs == 0) continue;
    won += auroc(sl.first, sl.second) * pairs;
    compared += pairs;
  }
  return compared > 0 ? won / compared : std::numeric_limits<double>::quiet_NaN();
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

double early_precision(const std::vector<double>& scores, const std::vector<int>& labels) {
  const std::size_t k = std::count(labels.begin(), labels.end(), 1);
  if (k == 0) return std::numeric_limits<double>::quiet_NaN();
  auto idx = order_desc(scores);
  std::size_t hits = 0;
  for (std::size_t i = 0; i < k; ++i) hits += labels[idx[i]] == 1;
  return static_cast<double>(hits) / k;
}

double wilcoxon_signed_rank_p(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> d;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i]) && !std::isnan(y[i]) && x[i] != y[i]) d.push_back(x[i] - y[i]);
  const std::size_t n = d.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return std::abs(d[a]) < std::abs(d[b]); });
  std::vector<double> rank(n);
  bool ties = false;
  double tie_term = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && std::abs(d[idx[j]]) == std::abs(d[idx[i]])) ++j;
    const double t = static_cast<double>(j - i);
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    for (std::size_t k = i; k < j; ++k) rank[idx[k]] = 0.5 * (i + 1 + j);
    i = j;
  }
  double w_plus = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (d[i] > 0) w_plus += rank[i];
  if (n <= 50 && !ties) {
    // Exact: number of subsets of {1..n} with each rank sum.
    const std::size_t max_sum = n * (n + 1) / 2;
    std::vector<double> count(max_sum + 1, 0.0);
    count[0] = 1;
    for (std::size_t r = 1; r <= n; ++r)
      for (std::size_t s = max_sum; s >= r; --s) count[s] += count[s - r];
    const double total = std::ldexp(1.0, static_cast<int>(n));
    const auto w = static_cast<std::size_t>(std::llround(w_plus));
    double lower = 0, upper = 0;
    for (std::size_t s = 0; s <= max_sum; ++s) {
      if (s <= w) lower += count[s];
      if (s >= w) upper += count[s];
    }
    return std::min(1.0, 2.0 * std::min(lower, upper) / total);
  }
  const double nn = static_cast<double>(n);
  const double mean = nn * (nn + 1) / 4;
  const double var = nn * (nn + 1) * (2 * nn + 1) / 24 - tie_term / 48;
  const double z = (w_plus - mean) / std::sqrt(var);
  return std::min(1.0, std::erfc(std::abs(z) / std::sqrt(2.0)));
}

double mann_whitney_p(const std::vector<double>& x, const std::vector<double>& y) {
  const double nx = static_cast<double>(x.size()), ny = static_cast<double>(y.size());
  if (x.empty() || y.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<std::pair<double, int>> all;  // value, sample (0 = x)
  for (double v : x) all.emplace_back(v, 0);
  for (double v : y) all.emplace_back(v, 1);
  std::sort(all.begin(), all.end());
  const std::size_t n = all.size();
  double rank_x = 0, tie_term = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && all[j].first == all[i].first) ++j;
    const double t = static_cast<double>(j - i), r = 0.5 * static_cast<double>(i + 1 + j);
    tie_term += t * t * t - t;
    for (std::size_t k = i; k < j; ++k)
      if (all[k].second == 0) rank_x += r;
    i = j;
  }
  const double u = rank_x - nx * (nx + 1) / 2, mean = nx * ny / 2, nn = nx + ny;
  const double var = nx * ny / 12 * ((nn + 1) - tie_term / (nn * (nn - 1)));
  if (!(var > 0)) return std::numeric_limits<double>::quiet_NaN();
  const double z = (std::abs(u - mean) - 0.5) / std::sqrt(var);
  return std::min(1.0, std::erfc(std::max(z, 0.0) / std::sqrt(2.0)));
}

double median(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double accuracy(const std::vector<double>& scores, const std::vector<int>& labels) {
  if (scores.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::size_t ok = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) ok += (scores[i] >= 0.5) == (labels[i] == 1);
  return static_cast<double>(ok) / scores.size();
}

}  // namespace drim
