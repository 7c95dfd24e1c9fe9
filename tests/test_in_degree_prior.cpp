// InDegreePrior: the leave-one-TF-out count by hand, against brute force and against the
// in-degree baseline's own leave-one-TF-out count, and its named form.
#include <cmath>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "drim/baselines.hpp"
#include "drim/in_degree_prior.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

TEST(InDegreePrior, LeaveOneTfOutCountsByHand) {
  // Target 5: regulated by TFs 0 and 1 (the repeated pair counts once); target 6: by 0 and 3; 7: none.
  const std::vector<LabelledPair> pairs = {{0, 5, 1}, {1, 5, 1}, {2, 5, 0}, {0, 6, 1}, {3, 6, 1}, {3, 7, 0}, {0, 5, 1}};
  InDegreePrior p(pairs);
  EXPECT_EQ(p.n_edges(), 4u);
  EXPECT_EQ(p.count(0, 5), 1u);  // TF 1 only: the pair's own TF is left out
  EXPECT_EQ(p.count(1, 5), 1u);
  EXPECT_EQ(p.count(2, 5), 2u);  // a negative pair sees both regulators
  EXPECT_EQ(p.count(4, 5), 2u);  // a TF the network never saw
  EXPECT_EQ(p.count(0, 6), 1u);
  EXPECT_EQ(p.count(1, 6), 2u);
  EXPECT_EQ(p.count(3, 7), 0u);
  EXPECT_EQ(p.count(0, 9), 0u);  // a target the network never saw
  const auto f = p.features({0, 2, 3}, {5, 5, 7});
  EXPECT_FLOAT_EQ(f[0], static_cast<float>(std::log(2.0)));
  EXPECT_FLOAT_EQ(f[1], static_cast<float>(std::log(3.0)));
  EXPECT_FLOAT_EQ(f[2], 0.0f);
  test::expect_error([&] { p.features({0, 1}, {5}); }, {"2 TFs", "1 targets"});
}

TEST(InDegreePrior, MatchesBruteForceAndTheBaselinesCount) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<LabelledPair> pairs;
    std::set<std::pair<int, int>> seen;
    for (int i = 0; i < 300; ++i) {
      const int tf = static_cast<int>(rng() % 15), target = static_cast<int>(rng() % 40);
      if (seen.insert({tf, target}).second) pairs.push_back({tf, target, static_cast<int>(rng() % 3 == 0)});
    }
    InDegreePrior p(pairs);
    const auto loo = leave_one_tf_out_in_degree(pairs);  // the baseline's count, computed independently
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      std::size_t brute = 0;
      for (const auto& q : pairs) brute += q.label == 1 && q.target == pairs[i].target && q.tf != pairs[i].tf;
      ASSERT_EQ(p.count(pairs[i].tf, pairs[i].target), brute) << "seed " << seed;
      ASSERT_DOUBLE_EQ(static_cast<double>(brute), loo[i]) << "seed " << seed;
    }
  }
}

TEST(InDegreePrior, NamedEdgesRoundTripOverAnotherGeneOrder) {
  const std::vector<std::string> genes = {"A", "B", "C", "D", "E"};
  InDegreePrior p({{0, 2, 1}, {1, 2, 1}, {0, 3, 1}, {4, 3, 0}});
  const auto edges = p.named_edges(genes);
  ASSERT_EQ(edges.size(), 3u);
  EXPECT_EQ(edges[0], (std::pair<std::string, std::string>{"A", "C"}));
  // Another matrix: other order, TF B missing (it still counts for C), an extra gene.
  const std::vector<std::string> other = {"E", "D", "C", "A", "Z"};
  InDegreePrior q(edges, GeneIndex(other));
  EXPECT_EQ(q.count(3, 2), 1u);  // A -> C: B is left in
  EXPECT_EQ(q.count(0, 2), 2u);  // E -> C: A and B
  EXPECT_EQ(q.count(3, 1), 0u);  // A -> D: A itself left out
  EXPECT_EQ(q.count(4, 1), 1u);
  test::expect_error([&] { InDegreePrior(edges, GeneIndex(std::vector<std::string>{"X", "Y"})); },
                     {"none of the 3 edges", "2 genes", "'A'"});
}

}  // namespace
}  // namespace drim
