// The ggm and grn simulations, dropout and subsampling against their definitions.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <numeric>
#include <set>

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include "drim/expression_io.hpp"
#include "drim/simulate_ggm.hpp"
#include "drim/simulate_grn.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

TEST(SimulateGgm, ThetaIsPositiveDefiniteAndAsSparseAsAsked) {
  GgmSimOptions o;
  o.datasets = 400;
  o.cells = 20;
  auto res = simulate_ggm(o);
  ASSERT_EQ(res.datasets.size(), 400u);
  ASSERT_EQ(res.expr.n_genes(), 1600u);
  double nonzero = 0, total = 0;
  for (const auto& d : res.datasets) {
    Eigen::Map<const Eigen::MatrixXd> theta(d.theta.data(), 4, 4);
    EXPECT_NEAR(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(theta).eigenvalues().minCoeff(), 0.1, 1e-9);
    for (int i = 0; i < 4; ++i)
      for (int j = i + 1; j < 4; ++j) {
        EXPECT_EQ(theta(i, j), theta(j, i));
        if (theta(i, j) != 0) EXPECT_TRUE(std::abs(theta(i, j)) >= 0.25 && std::abs(theta(i, j)) <= 1.0);
        nonzero += theta(i, j) != 0;
        total += 1;
      }
  }
  EXPECT_NEAR(nonzero / total, 0.5, 0.03);
  // Labels follow Theta; a transitive negative is one whose genes connect through others.
  for (std::size_t p = 0; p < res.pairs.size(); ++p) {
    const auto& pr = res.pairs[p];
    const int d = pr.tf / 4, i = pr.tf % 4, j = pr.target % 4;
    ASSERT_EQ(pr.target / 4, d);
    const double* th = res.datasets[d].theta.data();
    EXPECT_EQ(pr.label == 1, th[i * 4 + j] != 0.0);
    if (pr.label == 1) EXPECT_EQ(res.transitive[p], 0);
  }
  EXPECT_GT(std::accumulate(res.transitive.begin(), res.transitive.end(), 0), 0);
}

TEST(SimulateGgm, ReferenceProtocolDrawsPositivesFromEveryNonZeroEntryDiagonalIncluded) {
  GgmSimOptions o;
  o.datasets = 600;
  o.cells = 200;
  o.reference_protocol = true;
  auto res = simulate_ggm(o);
  // Expected share of self pairs among positives: mean over datasets of 4 / (4 + 2 x edges).
  double expected_self = 0, self = 0, positives = 0;
  for (const auto& d : res.datasets) {
    int edges = 0;
    for (int i = 0; i < 4; ++i)
      for (int j = i + 1; j < 4; ++j) edges += d.theta[i * 4 + j] != 0;
    expected_self += 4.0 / (4 + 2 * edges);
  }
  expected_self /= res.datasets.size();
  for (const auto& p : res.pairs) {
    const double* th = res.datasets[p.tf / 4].theta.data();
    EXPECT_EQ(p.label == 1, th[(p.tf % 4) * 4 + p.target % 4] != 0.0);
    if (p.label == 1) {
      positives += 1;
      self += p.tf == p.target;
    } else {
      EXPECT_NE(p.tf, p.target);
    }
  }
  EXPECT_NEAR(self / positives, expected_self, 0.05);
  EXPECT_GT(self / positives, 0.3);  // the reference's trap: a large share of self pairs
  // abs(N(mu, Theta^-1)) with per-gene means in [10, 10^4]: non-negative, each gene near its mean.
  for (std::size_t g = 0; g < 40; ++g) {
    const double* r = res.expr.row(g);
    double mean = std::accumulate(r, r + o.cells, 0.0) / o.cells;
    EXPECT_GT(mean, 9.0);
    EXPECT_LT(mean, 1e4 + 1);
    EXPECT_GE(*std::min_element(r, r + o.cells), 0.0);
  }
  o.reference_protocol = false;
  for (const auto& p : simulate_ggm(o).pairs) EXPECT_LT(p.tf, p.target);
}

TEST(SimulateGgm, SampleCovarianceApproachesInverseTheta) {
  GgmSimOptions o;
  o.datasets = 1;
  o.cells = 200000;
  o.seed = 3;
  auto res = simulate_ggm(o);
  Eigen::Map<const Eigen::MatrixXd> theta(res.datasets[0].theta.data(), 4, 4);
  Eigen::MatrixXd sigma = theta.inverse();
  Eigen::MatrixXd z(4, o.cells);
  for (int i = 0; i < 4; ++i)
    for (int c = 0; c < o.cells; ++c) z(i, c) = std::log(res.expr.row(i)[c]);
  Eigen::MatrixXd centered = z.colwise() - z.rowwise().mean();
  Eigen::MatrixXd cov = centered * centered.transpose() / (o.cells - 1);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(cov(i, j), sigma(i, j), 0.02 * std::sqrt(sigma(i, i) * sigma(j, j)) + 1e-3);
}

TEST(SimulateGgm, SameSeedSameData) {
  GgmSimOptions o;
  o.datasets = 5;
  o.cells = 30;
  EXPECT_EQ(simulate_ggm(o).expr.values, simulate_ggm(o).expr.values);
}

TEST(SimulateGgm, SameSeedSameFileBitForBit) {
  test::ScratchDir dir;
  GgmSimOptions o;
  o.datasets = 3;
  o.cells = 25;
  write_h5ad(simulate_ggm(o).expr, dir.file("a.h5ad"));
  write_h5ad(simulate_ggm(o).expr, dir.file("b.h5ad"));
  auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(bytes(dir.file("a.h5ad")), bytes(dir.file("b.h5ad")));
  o.seed = 2;
  write_h5ad(simulate_ggm(o).expr, dir.file("c.h5ad"));
  EXPECT_NE(bytes(dir.file("a.h5ad")), bytes(dir.file("c.h5ad")));
}

TEST(Dropout, HitsTheRequestedFraction) {
  Expression e;
  const int G = 50, C = 1000;
  for (int c = 0; c < C; ++c) e.cells.push_back("c" + std::to_string(c));
  for (int g = 0; g < G; ++g) {
    e.genes.push_back("g" + std::to_string(g));
    for (int c = 0; c < C; ++c) e.values.push_back(1.0 + (c * 7919 + g * 31) % C);  // a permutation of 1..1000
  }
  Expression before = e;
  std::size_t zeroed = apply_dropout(e, 0.5, 0.3, 9);
  // Bottom half: values below numpy's quantile 500.5, i.e. 1..500; each dropped with p = 0.3.
  EXPECT_NEAR(static_cast<double>(zeroed) / (G * 500), 0.3, 0.02);
  for (std::size_t i = 0; i < e.values.size(); ++i) {
    if (e.values[i] == 0.0) EXPECT_LE(before.values[i], 500.0);
    else EXPECT_EQ(e.values[i], before.values[i]);
  }
  Expression again = before;
  apply_dropout(again, 0.5, 0.3, 9);
  EXPECT_EQ(again.values, e.values);
  Expression none = before;
  EXPECT_EQ(apply_dropout(none, 0.0, 1.0, 1), 0u);
}

TEST(Subsample, KeepsOrderAndValues) {
  Expression e = test::random_expression(4, 30, 1);
  Expression s = subsample_cells(e, 10, 2);
  ASSERT_EQ(s.n_cells(), 10u);
  std::size_t last = 0;
  for (std::size_t k = 0; k < 10; ++k) {
    std::size_t c = std::stoul(s.cells[k].substr(1));
    if (k) EXPECT_GT(c, last);
    last = c;
    for (std::size_t g = 0; g < 4; ++g) EXPECT_EQ(s.row(g)[k], e.row(g)[c]);
  }
  EXPECT_THROW(subsample_cells(e, 31, 1), std::runtime_error);
}

}  // namespace
}  // namespace drim

namespace drim {
namespace {

TEST(SimulateGrn, FirstConditionIsThePlainSimulationByteForByte) {
  GrnSimOptions o;
  o.genes = 60;
  o.tfs = 10;
  o.cells = 50;
  o.seed = 9;
  auto plain = simulate_grn(o);
  auto conds = simulate_grn_conditions(o, 3, 0.3);
  ASSERT_EQ(conds.size(), 3u);
  EXPECT_EQ(conds[0].expr.values, plain.expr.values);
  EXPECT_EQ(conds[0].expr.cells, plain.expr.cells);
  ASSERT_EQ(conds[0].edges.size(), plain.edges.size());
  EXPECT_EQ(conds[1].expr.genes, plain.expr.genes);
  EXPECT_EQ(conds[1].expr.cells[0].substr(conds[1].expr.cells[0].size() - 2), "_B");
  EXPECT_EQ(conds[2].expr.cells[0].substr(conds[2].expr.cells[0].size() - 2), "_C");
  EXPECT_NE(conds[1].expr.values, plain.expr.values);
}

TEST(SimulateGrn, RewiringMovesTheAskedShareOfEdgesAndKeepsTargetsAndAcyclicity) {
  GrnSimOptions o;
  o.genes = 200;
  o.tfs = 20;
  o.cells = 20;
  o.seed = 4;
  for (double f : {0.0, 0.25, 1.0}) {
    auto c = simulate_grn_conditions(o, 2, f);
    const auto& a = c[0].edges;
    const auto& b = c[1].edges;
    ASSERT_EQ(a.size(), b.size());
    std::set<std::pair<int, int>> ea, eb;
    std::map<int, int> in_a, in_b;
    for (const auto& e : a) {
      ea.insert(std::make_pair(e.tf, e.target));
      in_a[e.target]++;
    }
    for (const auto& e : b) {
      eb.insert(std::make_pair(e.tf, e.target));
      in_b[e.target]++;
      if (e.target < o.tfs) EXPECT_LT(e.tf, e.target) << "TF targets keep the network acyclic";
    }
    EXPECT_EQ(eb.size(), b.size()) << "no duplicate regulator";
    EXPECT_EQ(in_a, in_b) << "every target keeps its number of regulators";
    std::size_t moved = 0;
    for (const auto& e : eb) moved += !ea.count(e);
    const double want = f * static_cast<double>(a.size());
    // a few edges cannot move (a target that already has every allowed TF), never more than asked
    EXPECT_LE(moved, std::lround(want));
    EXPECT_GE(static_cast<double>(moved), 0.9 * want - 1);
  }
}

}  // namespace
}  // namespace drim
