// Negative sampling for training pairs, and the grn simulator's determinism.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "drim/baselines.hpp"
#include "drim/simulate_grn.hpp"
#include "drim/training_pairs.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

TEST(TrainingPairs, BalancedNegativesNeverTargetsAndSeeded) {
  std::vector<std::pair<int, int>> edges = {{0, 5}, {0, 6}, {0, 7}, {1, 5}, {2, 9}, {2, 8}};
  for (auto recipe : {NegativeRecipe::Uniform, NegativeRecipe::Degree}) {
    auto pairs = make_training_pairs(edges, {0, 1, 2, 3}, 12, {recipe}, 9);
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
    auto again = make_training_pairs(edges, {0, 1, 2, 3}, 12, {recipe}, 9);
    for (std::size_t i = 0; i < pairs.size(); ++i) EXPECT_EQ(pairs[i].target, again[i].target);
  }
}

TEST(TrainingPairs, NegativeRatioScalesNegativesPerTfUpToItsNonTargets) {
  // TF 0: 3 targets of 12 genes, so 8 non-targets (not itself); TF 1: 1 target, 10 non-targets.
  std::vector<std::pair<int, int>> edges = {{0, 5}, {0, 6}, {0, 7}, {1, 5}};
  auto count = [&](double ratio) {
    std::map<int, int> neg;
    for (const auto& p : make_training_pairs(edges, {0, 1}, 12, {NegativeRecipe::Uniform, ratio}, 4)) {
      if (p.label != 0) continue;
      ++neg[p.tf];
      EXPECT_TRUE(p.target != 5 && p.target != p.tf && (p.tf == 1 || (p.target != 6 && p.target != 7)));
    }
    return std::make_pair(neg[0], neg[1]);
  };
  EXPECT_EQ(count(1.0), std::make_pair(3, 1));
  EXPECT_EQ(count(2.0), std::make_pair(6, 2));
  EXPECT_EQ(count(0.5), std::make_pair(2, 1));   // round(1.5) = 2; at least one negative per TF
  EXPECT_EQ(count(5.0), std::make_pair(8, 5));   // TF 0 runs out of non-targets
  auto one = make_training_pairs(edges, {0, 1}, 12, {NegativeRecipe::Degree}, 4);
  auto same = make_training_pairs(edges, {0, 1}, 12, {NegativeRecipe::Degree, 1.0}, 4);
  ASSERT_EQ(one.size(), same.size());  // the default is the reference's 1:1
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].target, same[i].target);
  EXPECT_THROW(make_training_pairs(edges, {0}, 12, {NegativeRecipe::Uniform, 0.0}, 4), std::runtime_error);
}

TEST(TrainingPairs, MaxPositivesKeepsARandomSubsetAndNeverLabelsADroppedTargetNegative) {
  // TF 0 binds genes 1..30 of 40; TF 1 binds genes 2..4. Brute force over seeds: kept positives
  // are real targets, min(cap, targets) of them, negatives never any target of the TF, kept or not.
  std::vector<std::pair<int, int>> edges;
  for (int g = 1; g <= 30; ++g) edges.push_back({0, g});
  for (int g = 2; g <= 4; ++g) edges.push_back({1, g});
  std::set<std::pair<int, int>> all(edges.begin(), edges.end());
  std::map<int, int> drawn;  // how often each target of TF 0 is kept
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    for (auto recipe : {NegativeRecipe::Uniform, NegativeRecipe::Degree}) {
      auto pairs = make_training_pairs(edges, {0, 1}, 40, {recipe, 1.0, 5}, seed);
      std::map<int, int> pos, neg;
      std::set<std::pair<int, int>> seen;
      for (const auto& p : pairs) {
        EXPECT_TRUE(seen.insert({p.tf, p.target}).second) << "duplicate pair";
        EXPECT_EQ(all.count({p.tf, p.target}) > 0, p.label == 1) << "tf " << p.tf << " target " << p.target;
        ++(p.label ? pos : neg)[p.tf];
        if (p.label && p.tf == 0 && recipe == NegativeRecipe::Uniform) ++drawn[p.target];
      }
      EXPECT_EQ(pos[0], 5);
      EXPECT_EQ(neg[0], 5);
      EXPECT_EQ(pos[1], 3);  // fewer targets than the cap: all kept
      EXPECT_EQ(neg[1], 3);
      auto again = make_training_pairs(edges, {0, 1}, 40, {recipe, 1.0, 5}, seed);
      ASSERT_EQ(again.size(), pairs.size());
      for (std::size_t i = 0; i < pairs.size(); ++i) EXPECT_EQ(again[i].target, pairs[i].target);
    }
  }
  ASSERT_EQ(drawn.size(), 30u);  // every target gets kept by some seed, each about 200 x 5 / 30 times
  for (auto [g, n] : drawn) EXPECT_NEAR(n, 200.0 * 5 / 30, 18.0) << "target " << g;
  // A cap no TF reaches draws exactly what no cap (0, the default) draws: 30 + 9 pairs for TF 0
  // (it has only 9 non-targets), 3 + 3 for TF 1.
  auto loose = make_training_pairs(edges, {0, 1}, 40, {NegativeRecipe::Uniform, 1.0, 30}, 7);
  auto plain = make_training_pairs(edges, {0, 1}, 40, {}, 7);
  ASSERT_EQ(plain.size(), 45u);
  ASSERT_EQ(loose.size(), plain.size());
  for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(plain[i].target, loose[i].target);
}

TEST(TrainingPairs, DegreeRecipeFavoursHighInDegree) {
  // gene 1 is a target of 20 TFs; TF 30 has one target and may draw gene 1 or 29 others.
  std::vector<std::pair<int, int>> edges;
  for (int tf = 2; tf < 22; ++tf) edges.push_back({tf, 1});
  edges.push_back({30, 0});
  int hits_uniform = 0, hits_degree = 0;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    for (auto& p : make_training_pairs(edges, {30}, 31, {NegativeRecipe::Uniform}, seed)) hits_uniform += p.label == 0 && p.target == 1;
    for (auto& p : make_training_pairs(edges, {30}, 31, {NegativeRecipe::Degree}, seed)) hits_degree += p.label == 0 && p.target == 1;
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

TEST(SimulateGrn, GroundTruthEdgesAreTheRegulatorsThatDriveExpression) {
  // One cell state (master TFs vary independently), one regulator per gene, little noise.
  GrnSimOptions o;
  o.genes = 80;
  o.tfs = 10;
  o.cells = 3000;
  o.states = 1;
  o.max_regulators = 1;
  o.nb_size = 1000;
  o.dropout = 0;
  o.size_factor_sd = 0;  // library size would correlate every pair of genes
  auto sim = simulate_grn(o);
  std::map<int, int> regulator;
  for (const auto& e : sim.edges) regulator[e.target] = e.tf;
  auto ancestors = [&](int g) {
    std::set<int> a;
    for (auto it = regulator.find(g); it != regulator.end(); it = regulator.find(it->second)) a.insert(it->second);
    return a;
  };
  const std::size_t C = sim.expr.n_cells();
  auto logrow = [&](int g) {
    std::vector<double> v(C);
    for (std::size_t c = 0; c < C; ++c) v[c] = std::log1p(sim.expr.row(g)[c]);
    return v;
  };
  int checked = 0;
  for (int g = o.tfs; g < o.genes; ++g) {
    auto y = logrow(g);
    auto anc = ancestors(g);
    ASSERT_EQ(anc.count(regulator.at(g)), 1u);
    auto x = logrow(regulator.at(g));
    EXPECT_GT(std::abs(pearson(x.data(), y.data(), C)), 0.1) << "gene " << g << " and its regulator";
    for (int t = 0; t < o.tfs; ++t) {
      auto anc_t = ancestors(t);
      anc_t.insert(t);
      // Only TFs sharing no ancestry with g: siblings correlate through their common regulator.
      if (std::any_of(anc_t.begin(), anc_t.end(), [&](int a) { return anc.count(a) > 0; })) continue;
      auto z = logrow(t);
      EXPECT_LT(std::abs(pearson(z.data(), y.data(), C)), 0.1) << "gene " << g << " and unrelated TF " << t;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace drim

namespace drim {
namespace {

/// Random labelled pairs over `genes` genes, the first `tfs` of them TFs (TF-TF pairs included).
std::vector<LabelledPair> random_pairs(int genes, int tfs, int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<LabelledPair> out;
  std::set<std::pair<int, int>> seen;
  while (static_cast<int>(out.size()) < n) {
    const int tf = static_cast<int>(rng() % static_cast<std::uint64_t>(tfs));
    const int target = static_cast<int>(rng() % static_cast<std::uint64_t>(genes));
    if (tf == target || !seen.emplace(tf, target).second) continue;
    LabelledPair p;
    p.tf = tf;
    p.target = target;
    p.label = static_cast<int>(rng() % 2);
    out.push_back(p);
  }
  return out;
}

TEST(SplitProtocol, EachSplitKeepsItsPromiseOverManySeeds) {
  for (std::uint64_t seed = 0; seed < 25; ++seed) {
    const auto pairs = random_pairs(60, 12, 300, seed);
    for (auto split : {SplitProtocol::Tf, SplitProtocol::Target, SplitProtocol::Both, SplitProtocol::Pair}) {
      const int k = 3;
      const auto folds = assign_folds(pairs, k, seed, split);
      ASSERT_EQ(folds.size(), pairs.size());
      std::vector<std::size_t> size(k, 0);
      for (int f : folds) {
        ASSERT_GE(f, split == SplitProtocol::Both ? -1 : 0);
        ASSERT_LT(f, k);
        if (f >= 0) ++size[f];
      }
      for (int f = 0; f < k; ++f) {
        ASSERT_GT(size[f], 0u) << split_name(split) << " seed " << seed << " fold " << f;
        std::set<int> train_tf, train_target, train_gene;
        for (std::size_t i = 0; i < pairs.size(); ++i)
          if (folds[i] >= 0 && folds[i] != f) {
            train_tf.insert(pairs[i].tf);
            train_target.insert(pairs[i].target);
            train_gene.insert(pairs[i].tf);
            train_gene.insert(pairs[i].target);
          }
        for (std::size_t i = 0; i < pairs.size(); ++i) {
          if (folds[i] != f) continue;
          const auto& p = pairs[i];
          if (split == SplitProtocol::Tf) EXPECT_FALSE(train_tf.count(p.tf)) << "seed " << seed;
          if (split == SplitProtocol::Target) EXPECT_FALSE(train_target.count(p.target)) << "seed " << seed;
          if (split == SplitProtocol::Both) {
            EXPECT_FALSE(train_gene.count(p.tf)) << "seed " << seed;
            EXPECT_FALSE(train_gene.count(p.target)) << "seed " << seed;
          }
        }
      }
      if (split == SplitProtocol::Pair) {  // a random partition, sizes within one
        EXPECT_LE(*std::max_element(size.begin(), size.end()) - *std::min_element(size.begin(), size.end()), 1u);
      }
    }
  }
}

TEST(SplitProtocol, BothDropsOnlyPairsAcrossFoldsAndSaysHowMany) {
  // Hand-made: TFs 0 and 1 in different folds; gene 5 is a target of both, so one of its pairs goes.
  std::vector<LabelledPair> pairs = {{0, 5, 1}, {1, 5, 0}, {0, 6, 1}, {1, 7, 0}, {0, 8, 0}, {1, 9, 1}};
  auto folds = assign_folds(pairs, 2, 3, SplitProtocol::Both);
  EXPECT_NE(folds[0] == -1, folds[1] == -1);  // exactly one of gene 5's pairs is dropped
  for (std::size_t i = 2; i < pairs.size(); ++i) EXPECT_GE(folds[i], 0);
  auto kept = pairs;
  EXPECT_EQ(drop_unassigned(kept, folds), 1u);
  EXPECT_EQ(kept.size(), 5u);
  EXPECT_EQ(folds.size(), 5u);
  test::expect_error([&] { parse_split("genes"); }, {"split 'genes'", "tf, target, both or pair"});
}

}  // namespace
}  // namespace drim
