#include "drim/baselines.hpp"
#include "drim/error.hpp"

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

std::vector<double> leave_one_tf_out_in_degree(const std::vector<LabelledPair>& train) {
  std::unordered_map<int, double> degree;
  for (const auto& p : train)
    if (p.label == 1) degree[p.target] += 1;
  std::vector<double> s;
  s.reserve(train.size());
  for (const auto& p : train) s.push_back(degree[p.target] - (p.label == 1 ? 1.0 : 0.0));  // a TF has one pair per target
  return s;
}

std::vector<double> fit_logistic(const std::vector<std::vector<double>>& features, const std::vector<int>& labels, double l2) {
  const std::size_t n = labels.size(), d = features.empty() ? 1 : features.size() + 1;
  for (const auto& f : features)
    if (f.size() != n) throw Error("logistic regression: a feature has " + std::to_string(f.size()) + " values for " + std::to_string(n) + " labels");
  auto x = [&](std::size_t i, std::size_t j) { return j == 0 ? 1.0 : features[j - 1][i]; };
  std::vector<double> w(d, 0.0);
  for (int iter = 0; iter < 100; ++iter) {  // Newton (IRLS) on the L2-penalised log-likelihood
    std::vector<double> g(d, 0.0), h(d * d, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      double z = 0;
      for (std::size_t j = 0; j < d; ++j) z += w[j] * x(i, j);
      const double p = 1.0 / (1.0 + std::exp(-z));
      for (std::size_t j = 0; j < d; ++j) {
        g[j] += (labels[i] - p) * x(i, j);
        for (std::size_t k = 0; k < d; ++k) h[j * d + k] += p * (1 - p) * x(i, j) * x(i, k);
      }
    }
    for (std::size_t j = 1; j < d; ++j) {  // the intercept is not penalised
      g[j] -= l2 * w[j];
      h[j * d + j] += l2;
    }
    for (std::size_t j = 0; j < d; ++j) h[j * d + j] += 1e-12;
    // Solve h * step = g by Gaussian elimination with partial pivoting (d is tiny).
    std::vector<double> a = h, b = g;
    for (std::size_t c = 0; c < d; ++c) {
      std::size_t piv = c;
      for (std::size_t r = c + 1; r < d; ++r)
        if (std::abs(a[r * d + c]) > std::abs(a[piv * d + c])) piv = r;
      for (std::size_t k = 0; k < d; ++k) std::swap(a[c * d + k], a[piv * d + k]);
      std::swap(b[c], b[piv]);
      for (std::size_t r = c + 1; r < d; ++r) {
        const double f = a[r * d + c] / a[c * d + c];
        for (std::size_t k = c; k < d; ++k) a[r * d + k] -= f * a[c * d + k];
        b[r] -= f * b[c];
      }
    }
    std::vector<double> step(d, 0.0);
    for (std::size_t c = d; c-- > 0;) {
      double v = b[c];
      for (std::size_t k = c + 1; k < d; ++k) v -= a[c * d + k] * step[k];
      step[c] = v / a[c * d + c];
    }
    double change = 0;
    for (std::size_t j = 0; j < d; ++j) {
      w[j] += step[j];
      change = std::max(change, std::abs(step[j]));
    }
    if (change < 1e-10) break;
  }
  return w;
}

}  // namespace drim
