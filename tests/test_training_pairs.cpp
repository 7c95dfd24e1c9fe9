// Negative sampling for training pairs, and the grn simulator's determinism.
#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "drim/simulate_grn.hpp"
#include "drim/training_pairs.hpp"

namespace drim {
namespace {

TEST(TrainingPairs, BalancedNegativesNeverTargetsAndSeeded) {
  std::vector<std::pair<int, int>> edges = {{0, 5}, {0, 6}, {0, 7}, {1, 5}, {2, 9}, {2, 8}};
  for (auto recipe : {NegativeRecipe::Uniform, NegativeRecipe::Degree}) {
    auto pairs = make_training_pairs(edges, {0, 1, 2, 3}, 12, recipe, 9);
    std::set<std::pair<int, int>> pos(edges.begin(), edges.end());
    std::map<int, int> balance;
    for (const auto& p : pairs) {
      balance[p.tf] += p.label ? 1 : -1;
      EXPECT_EQ(pos.count({p.tf, p.target}) > 0, p.label == 1);
      EXPECT_NE(p.tf, p.target);
    }
    for (auto [tf, b] : balance) EXPECT_EQ(b, 0) << "tf " << tf;
    EXPECT_EQ(balance.count(3), 0u);  // a TF without targets gets no pairs
    EXPECT_EQ(pairs.size(), 12u);
    auto again = make_training_pairs(edges, {0, 1, 2, 3}, 12, recipe, 9);
    for (std::size_t i = 0; i < pairs.size(); ++i) EXPECT_EQ(pairs[i].target, again[i].target);
  }
}

TEST(TrainingPairs, DegreeRecipeFavoursHighInDegree) {
  // gene 1 is a target of 20 TFs; TF 30 has one target and may draw gene 1 or 29 others.
  std::vector<std::pair<int, int>> edges;
  for (int tf = 2; tf < 22; ++tf) edges.push_back({tf, 1});
  edges.push_back({30, 0});
  int hits_uniform = 0, hits_degree = 0;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    for (auto& p : make_training_pairs(edges, {30}, 31, NegativeRecipe::Uniform, seed)) hits_uniform += p.label == 0 && p.target == 1;
    for (auto& p : make_training_pairs(edges, {30}, 31, NegativeRecipe::Degree, seed)) hits_degree += p.label == 0 && p.target == 1;
  }
  EXPECT_NEAR(hits_uniform / 400.0, 1.0 / 29, 0.03);  // 29 candidates: genes 1..29 (not 0, not 30)
  EXPECT_NEAR(hits_degree / 400.0, 21.0 / 49, 0.08);  // weights: 21 for gene 1, 1 for the other 28
}

TEST(SimulateGrn, SameSeedSameDataAndEdgesComeFromTfs) {
  GrnSimOptions o;
  o.genes = 60;
  o.tfs = 8;
  o.cells = 50;
  auto a = simulate_grn(o), b = simulate_grn(o);
  EXPECT_EQ(a.expr.values, b.expr.values);
  ASSERT_EQ(a.edges.size(), b.edges.size());
  o.seed = 2;
  EXPECT_NE(simulate_grn(o).expr.values, a.expr.values);
  for (const auto& e : a.edges) {
    EXPECT_LT(e.tf, 8);
    if (e.target < 8) EXPECT_LT(e.tf, e.target);  // TFs are regulated only by earlier TFs
  }
  for (double v : a.expr.values) EXPECT_EQ(v, std::floor(v));
}

}  // namespace
}  // namespace drim
