#include "drim/baselines.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace drim {
namespace {

std::vector<double> average_ranks(const double* x, std::size_t n) {
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && x[idx[j]] == x[idx[i]]) ++j;
    for (std::size_t k = i; k < j; ++k) r[idx[k]] = 0.5 * (i + 1 + j);
    i = j;
  }
  return r;
}

}  // namespace

double detection_rate(const double* x, std::size_t n) {
  if (n == 0) return 0.0;
  const double lo = *std::min_element(x, x + n);
  return static_cast<double>(std::count_if(x, x + n, [lo](double v) { return v > lo; })) / n;
}

double pearson(const double* x, const double* y, std::size_t n) {
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return (sxx > 0 && syy > 0) ? sxy / std::sqrt(sxx * syy) : 0.0;
}

double spearman(const double* x, const double* y, std::size_t n) {
  auto rx = average_ranks(x, n), ry = average_ranks(y, n);
  return pearson(rx.data(), ry.data(), n);
}

double histogram_mi(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  double joint[32][32] = {};
  double pa[32] = {}, pb[32] = {};
  for (std::size_t c = 0; c < n; ++c) {
    joint[a[c]][b[c]] += 1;
    pa[a[c]] += 1;
    pb[b[c]] += 1;
  }
  double mi = 0;
  for (int i = 0; i < 32; ++i)
    for (int j = 0; j < 32; ++j)
      if (joint[i][j] > 0) mi += joint[i][j] / n * std::log(joint[i][j] * n / (pa[i] * pb[j]));
  return mi;
}

std::vector<double> in_degree_scores(const std::vector<LabelledPair>& train, const std::vector<LabelledPair>& test) {
  std::unordered_map<int, double> degree;
  for (const auto& p : train)
    if (p.label == 1) degree[p.target] += 1;
  std::vector<double> s;
  s.reserve(test.size());
  for (const auto& p : test) {
    auto it = degree.find(p.target);
    s.push_back(it == degree.end() ? 0.0 : it->second);
  }
  return s;
}

}  // namespace drim
