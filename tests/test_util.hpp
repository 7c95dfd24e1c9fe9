#pragma once
// Helpers shared by the unit tests: seeded random matrices and scratch files.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <ftw.h>
#include <random>
#include <stdio.h>
#include <unistd.h>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "drim/expression.hpp"

namespace drim::test {

/// Pearson's r of two equally long sequences, the textbook two-pass formula.
inline double brute_pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

/// Five genes over `cells` cells (values 10^(1 + 0.3 v), v standard normal mixtures): a -> c -> b
/// (a reaches b only through c), d -> b directly, e independent; genes in that order
/// {"a", "c", "b", "d", "e"}. The conditional images' test case.
inline Expression chain_expression(int cells = 2000) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> nrm(0.0, 1.0);
  Expression e;
  e.genes = {"a", "c", "b", "d", "e"};
  for (int c = 0; c < cells; ++c) e.cells.push_back("c" + std::to_string(c));
  e.values.resize(5 * static_cast<std::size_t>(cells));
  for (int c = 0; c < cells; ++c) {
    const double a = nrm(rng), cc = a + 0.5 * nrm(rng), d = nrm(rng), b = cc + d + 0.5 * nrm(rng);
    const double v[5] = {a, cc, b, d, nrm(rng)};
    for (int g = 0; g < 5; ++g) e.values[static_cast<std::size_t>(g) * cells + c] = std::pow(10.0, 1.0 + 0.3 * v[g]);
  }
  return e;
}

/// A genes x cells matrix of zero-inflated log-normal values, named g0.. and c0.., seeded.
inline Expression random_expression(std::size_t genes, std::size_t cells, std::uint64_t seed, double zero_frac = 0.3) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> norm(0.0, 1.0);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  Expression e;
  for (std::size_t g = 0; g < genes; ++g) e.genes.push_back("g" + std::to_string(g));
  for (std::size_t c = 0; c < cells; ++c) e.cells.push_back("c" + std::to_string(c));
  e.values.resize(genes * cells);
  for (auto& v : e.values) v = unif(rng) < zero_frac ? 0.0 : std::exp(norm(rng));
  return e;
}

/// histogram2d's bins of `v` on one axis, by brute force: 32 equal bins from min to max (a
/// constant widened to +-0.5), the maximum in the last bin.
inline std::vector<int> brute_bins(const std::vector<double>& v) {
  double lo = *std::min_element(v.begin(), v.end()), hi = *std::max_element(v.begin(), v.end());
  if (lo == hi) { lo -= 0.5; hi += 0.5; }
  std::vector<int> b(v.size());
  for (std::size_t c = 0; c < v.size(); ++c) {
    int k = 0;
    while (k < 32 && lo + (k + 1) * ((hi - lo) / 32) <= v[c]) ++k;
    b[c] = std::min(k, 31);
  }
  return b;
}

/// The reference's image of x (columns) against y (rows), by brute force: histogram2d of the
/// two value vectors, each pixel (log10(count / n + 1e-4) + 4) / 4.
inline std::vector<float> brute_image(const std::vector<double>& x, const std::vector<double>& y) {
  auto bx = brute_bins(x), by = brute_bins(y);
  std::vector<double> h(1024, 0.0);
  for (std::size_t c = 0; c < x.size(); ++c) h[by[c] * 32 + bx[c]] += 1;
  std::vector<float> img(1024);
  for (int p = 0; p < 1024; ++p) img[p] = static_cast<float>((std::log10(h[p] / x.size() + 1e-4) + 4) / 4);
  return img;
}

/// A fresh scratch folder for one test, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("drim-test-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" + std::to_string(::getpid()));
    remove_tree(path_.string());
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { remove_tree(path_.string()); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

  /// rm -rf through POSIX nftw: PyTorch's wheels export a broken copy of std::filesystem::remove_all
  /// that crashes programs linking them (pytorch/pytorch#133437).
  static void remove_tree(const std::string& dir) {
    ::nftw(dir.c_str(), [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16, FTW_DEPTH | FTW_PHYS);
  }

 private:
  std::filesystem::path path_;
};

/// Runs `fn`, expects a drim::Error whose message contains every fragment.
template <typename Fn>
void expect_error(Fn fn, std::initializer_list<std::string> fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    std::string msg = e.what();
    for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "'" << f << "' not in: " << msg;
  }
}

}  // namespace drim::test
