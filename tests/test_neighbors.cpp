// Blocked top-n covariance ranking against a brute-force full covariance matrix.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "drim/neighbors.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

std::vector<int> brute_force(const Expression& e, int n, bool exclude_self, const std::vector<int>& group = {},
                             const std::vector<char>& pool = {}) {
  const std::size_t G = e.n_genes(), C = e.n_cells();
  std::vector<double> mean(G, 0.0);
  for (std::size_t g = 0; g < G; ++g) {
    for (std::size_t c = 0; c < C; ++c) mean[g] += e.row(g)[c];
    mean[g] /= C;
  }
  std::vector<int> out;
  for (std::size_t a = 0; a < G; ++a) {
    std::vector<double> cov(G, 0.0);
    for (std::size_t b = 0; b < G; ++b) {
      for (std::size_t c = 0; c < C; ++c) cov[b] += (e.row(a)[c] - mean[a]) * (e.row(b)[c] - mean[b]);
      cov[b] /= (C - 1);
    }
    std::vector<int> order(G);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return cov[x] > cov[y]; });
    int taken = 0;
    for (int j : order) {
      if (exclude_self && j == static_cast<int>(a)) continue;
      if (!group.empty() && group[j] != group[a]) continue;
      if (!pool.empty() && !pool[j]) continue;
      if (taken++ == n) break;
      out.push_back(j);
    }
  }
  return out;
}

TEST(Neighbors, MatchesBruteForceOverSizesAndBlocks) {
  for (auto [G, C] : std::vector<std::pair<int, int>>{{12, 5}, {40, 30}, {97, 61}}) {
    Expression e = test::random_expression(G, C, 100 + G);
    for (int n : {1, 3, 10}) {
      for (bool excl : {false, true}) {
        auto want = brute_force(e, n, excl);
        for (std::size_t block : {1, 7, 512}) {
          NeighborOptions o;
          o.n = n;
          o.exclude_self = excl;
          o.block = block;
          NeighborTable t = rank_neighbors(e, o);
          EXPECT_EQ(t.index, want) << G << "x" << C << " n=" << n << " exclude_self=" << excl << " block=" << block;
        }
      }
    }
  }
}

TEST(Neighbors, ExactTiesGoToLowerGeneIndex) {
  // Integer rows whose means are integers give exact covariances; duplicate rows give exact ties.
  Expression e;
  e.cells = {"c0", "c1", "c2", "c3"};
  std::vector<std::vector<double>> rows = {{1, 3, 5, 7}, {0, 0, 4, 4}, {1, 3, 5, 7}, {2, 2, 2, 2}, {0, 0, 4, 4}, {7, 5, 3, 1}};
  for (std::size_t g = 0; g < rows.size(); ++g) {
    e.genes.push_back("g" + std::to_string(g));
    e.values.insert(e.values.end(), rows[g].begin(), rows[g].end());
  }
  NeighborOptions o;
  o.n = 6;
  NeighborTable t = rank_neighbors(e, o);
  EXPECT_EQ(t.index, brute_force(e, 6, false));
  // gene 0: cov with 0 and 2 tie (6.667), then 1 and 4 tie (5.333), then 3 (0), then 5 (negative)
  EXPECT_EQ(std::vector<int>(t.of(0), t.of(0) + 6), (std::vector<int>{0, 2, 1, 4, 3, 5}));
  EXPECT_EQ(std::vector<int>(t.of(2), t.of(2) + 6), (std::vector<int>{0, 2, 1, 4, 3, 5}));
}

TEST(Neighbors, GroupsKeepNeighboursWithinTheirGroupLikeBruteForce) {
  Expression e = test::random_expression(23, 40, 5);
  std::vector<int> group(23);
  for (int g = 0; g < 23; ++g) group[g] = (g * 7) % 4;  // interleaved groups of 5 or 6 genes
  for (bool excl : {false, true}) {
    NeighborOptions o;
    o.n = 4;
    o.exclude_self = excl;
    o.group = group;
    o.block = 5;
    NeighborTable t = rank_neighbors(e, o);
    EXPECT_EQ(t.index, brute_force(e, 4, excl, group)) << "exclude_self " << excl;
    for (int g = 0; g < 23; ++g)
      for (int k = 0; k < 4; ++k) EXPECT_EQ(group[t.of(g)[k]], group[g]);
  }
  NeighborOptions o;
  o.n = 5;
  o.exclude_self = true;
  o.group = group;
  test::expect_error([&] { rank_neighbors(e, o); }, {"candidate neighbour", "fewer than the 5"});
  o.group.pop_back();
  test::expect_error([&] { rank_neighbors(e, o); }, {"22 genes", "23"});
}

TEST(Neighbors, PoolLimitsNeighboursToFlaggedGenesLikeBruteForce) {
  Expression e = test::random_expression(31, 45, 9);
  std::vector<char> pool(31, 0);
  for (int g : {0, 3, 4, 9, 17, 20, 28, 30}) pool[g] = 1;  // the "TFs"
  std::vector<int> group(31);
  for (int g = 0; g < 31; ++g) group[g] = g % 2;
  for (bool excl : {false, true}) {
    NeighborOptions o;
    o.n = 3;
    o.exclude_self = excl;
    o.candidate = pool;
    o.block = 4;
    NeighborTable t = rank_neighbors(e, o);
    EXPECT_EQ(t.index, brute_force(e, 3, excl, {}, pool)) << "exclude_self " << excl;
    for (int g = 0; g < 31; ++g)
      for (int k = 0; k < 3; ++k) EXPECT_TRUE(pool[t.of(g)[k]]) << "gene " << g;
    o.group = group;  // both: flagged genes of the gene's own group (3 or 5 of them)
    o.n = 2;
    EXPECT_EQ(rank_neighbors(e, o).index, brute_force(e, 2, excl, group, pool)) << "exclude_self " << excl;
  }
  NeighborOptions o;
  o.n = 8;
  o.exclude_self = true;  // a flagged gene then has 7 candidates
  o.candidate = pool;
  test::expect_error([&] { rank_neighbors(e, o); }, {"'g0'", "7 candidate neighbour(s) in the neighbour pool", "fewer than the 8"});
  o.candidate.pop_back();
  test::expect_error([&] { rank_neighbors(e, o); }, {"pool flags 30 genes", "31"});
}

TEST(Neighbors, CorrelationRanksByAbsolutePearsonLikeBruteForce) {
  Expression e = test::random_expression(26, 35, 4);
  for (std::size_t c = 0; c < 35; ++c) e.values[5 * 35 + c] = 100.0 - 7.0 * e.values[2 * 35 + c] + 0.1 * e.values[c];  // g5 ~ -7 g2
  for (std::size_t c = 0; c < 35; ++c) e.values[9 * 35 + c] = 3.0;                                  // a constant gene
  const std::size_t G = 26, C = 35;
  std::vector<std::vector<double>> z(G, std::vector<double>(C));
  for (std::size_t g = 0; g < G; ++g) {
    double m = 0, ss = 0;
    for (std::size_t c = 0; c < C; ++c) m += e.row(g)[c];
    m /= C;
    for (std::size_t c = 0; c < C; ++c) ss += (e.row(g)[c] - m) * (e.row(g)[c] - m);
    for (std::size_t c = 0; c < C; ++c) z[g][c] = g != 9 ? (e.row(g)[c] - m) / std::sqrt(ss) : 0.0;  // g9 is constant
  }
  std::vector<int> want;
  for (std::size_t a = 0; a < G; ++a) {
    std::vector<double> r(G, 0.0);
    for (std::size_t b = 0; b < G; ++b)
      for (std::size_t c = 0; c < C; ++c) r[b] += z[a][c] * z[b][c];
    std::vector<int> order(G);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return std::abs(r[x]) > std::abs(r[y]) + 1e-12; });
    for (int k = 0; k < 3; ++k) want.push_back(order[k]);
  }
  NeighborOptions o;
  o.n = 3;
  o.rank = parse_neighbor_rank("correlation");
  o.block = 6;
  NeighborTable t = rank_neighbors(e, o);
  EXPECT_EQ(t.index, want);
  EXPECT_EQ(t.of(2)[1], 5);  // a near-perfect repressor ranks next to the gene itself
  EXPECT_EQ(t.of(5)[1], 2);
  EXPECT_EQ(std::vector<int>(t.of(9), t.of(9) + 3), (std::vector<int>{0, 1, 2}));  // a constant gene: all ties at r = 0
  EXPECT_EQ(to_string(o.rank), "correlation");
  test::expect_error([&] { parse_neighbor_rank("spearman"); }, {"'spearman'", "covariance or correlation"});
}

TEST(Neighbors, RejectsImpossibleCounts) {
  Expression e = test::random_expression(5, 10, 1);
  NeighborOptions o;
  o.n = 6;
  test::expect_error([&] { rank_neighbors(e, o); }, {"'6'", "[1, 5]"});
  o.n = 5;
  o.exclude_self = true;
  test::expect_error([&] { rank_neighbors(e, o); }, {"'5'", "[1, 4]"});
}

}  // namespace
}  // namespace drim
