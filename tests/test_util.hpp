#pragma once
// Helpers shared by the unit tests: seeded random matrices and scratch files.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <ftw.h>
#include <random>
#include <stdio.h>
#include <unistd.h>
#include <string>

#include <gtest/gtest.h>

#include "drim/expression.hpp"

namespace drim::test {

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
