// GenoMap layouts (Gromov-Wasserstein + assignment), GenoMap images, the smoothing baselines,
// downsampling and layout files, against brute force and hand-computed cases.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "drim/error.hpp"
#include "drim/impute/assignment.hpp"
#include "drim/impute/downsample.hpp"
#include "drim/impute/genomap.hpp"
#include "drim/impute/genomap_images.hpp"
#include "drim/impute/layout_file.hpp"
#include "drim/impute/smoothing.hpp"

using namespace drim;
using namespace drim::impute;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

Expression random_counts(int genes, int cells, std::uint64_t seed, double zero_share = 0.3) {
  Expression e;
  for (int g = 0; g < genes; ++g) e.genes.push_back("G" + std::to_string(g));
  for (int c = 0; c < cells; ++c) e.cells.push_back("c" + std::to_string(c));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::poisson_distribution<int> pois(5.0);
  for (int i = 0; i < genes * cells; ++i) e.values.push_back(u(rng) < zero_share ? 0.0 : pois(rng));
  return e;
}

MatrixXd random_metric(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  MatrixXd pts(n, 2);
  for (int i = 0; i < n; ++i) pts.row(i) << u(rng), u(rng);
  MatrixXd D(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) D(i, j) = (pts.row(i) - pts.row(j)).norm();
  return D / D.maxCoeff();
}

}  // namespace

TEST(Assignment, MatchesBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1, 1);
    const int n = 4, m = 6;
    MatrixXd cost(n, m);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < m; ++j) cost(i, j) = u(rng);
    const auto got = min_cost_assignment(cost);
    double got_cost = 0;
    std::vector<int> seen;
    for (int i = 0; i < n; ++i) {
      got_cost += cost(i, got[i]);
      seen.push_back(got[i]);
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << "columns must be distinct";
    std::vector<int> perm(m);
    std::iota(perm.begin(), perm.end(), 0);
    double best = 1e300;
    do {
      double c = 0;
      for (int i = 0; i < n; ++i) c += cost(i, perm[i]);
      best = std::min(best, c);
    } while (std::next_permutation(perm.begin(), perm.end()));
    EXPECT_NEAR(got_cost, best, 1e-12) << "seed " << seed;
  }
  EXPECT_THROW(min_cost_assignment(MatrixXd::Zero(3, 2)), Error);
}

TEST(GromovWasserstein, CouplingHasTheMarginals) {
  const MatrixXd C1 = random_metric(7, 1), C2 = grid_distances(3, 3);
  VectorXd p(7), q = VectorXd::Constant(9, 1.0 / 9);
  p << 0.1, 0.2, 0.1, 0.15, 0.15, 0.2, 0.1;
  GenomapOptions o;
  o.epsilon = 0.01;
  o.sinkhorn_iterations = 2000;
  const MatrixXd T = entropic_gromov_wasserstein(C1, C2, p, q, o);
  EXPECT_LT((T.rowwise().sum() - p).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((T.colwise().sum().transpose() - q).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_GE(T.minCoeff(), 0.0);
}

TEST(GromovWasserstein, CostMatchesQuadrupleSum) {
  const MatrixXd C1 = random_metric(4, 2), C2 = random_metric(5, 3);
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> u(0, 1);
  MatrixXd T(4, 5);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 5; ++j) T(i, j) = u(rng);
  double brute = 0;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 5; ++j)
      for (int k = 0; k < 4; ++k)
        for (int l = 0; l < 5; ++l) brute += std::pow(C1(i, k) - C2(j, l), 2) * T(i, j) * T(k, l);
  EXPECT_NEAR(gromov_wasserstein_cost(C1, C2, T), brute, 1e-10);
}

TEST(Genomap, RecoversAKnownLayout) {
  // Genes whose distances are those of a shuffled 3 x 4 grid: the optimal layout is an isometry
  // of the grid, so the placed genes' grid distances must equal their distances exactly.
  const int rows = 3, cols = 4, n = rows * cols;
  const MatrixXd grid = grid_distances(rows, cols);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    std::vector<int> truth(n);
    std::iota(truth.begin(), truth.end(), 0);
    std::shuffle(truth.begin(), truth.end(), std::mt19937_64(seed));
    MatrixXd C1(n, n);
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b) C1(a, b) = grid(truth[a], truth[b]);
    std::vector<std::string> genes;
    for (int g = 0; g < n; ++g) genes.push_back("g" + std::to_string(g));
    GenomapOptions o;
    o.rows = rows;
    o.cols = cols;
    o.seed = seed;
    const GenomapFit fit = fit_layout(C1, genes, o);
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        ASSERT_NEAR(grid(fit.layout.position[a], fit.layout.position[b]), C1(a, b), 1e-12) << "seed " << seed;
    EXPECT_NEAR(fit.gw_cost, 0.0, 1e-3);
  }
}

TEST(Genomap, DistancesAreOneMinusAbsoluteCorrelation) {
  Expression e;
  e.genes = {"a", "b", "c", "d"};
  e.cells = {"1", "2", "3"};
  // log1p values: a = (0, 1, 2) up to log1p, b its mirror (r = -1), c constant, d = a.
  const double x0 = 0, x1 = std::expm1(1.0), x2 = std::expm1(2.0);
  e.values = {x0, x1, x2, x2, x1, x0, 3, 3, 3, x0, x1, x2};
  const MatrixXd D = gene_distances(e);
  EXPECT_NEAR(D(0, 1), 0.0, 1e-12);
  EXPECT_NEAR(D(0, 3), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(D(0, 2), 1.0);
  EXPECT_DOUBLE_EQ(D(2, 2), 0.0);
}

TEST(Genomap, FitsAndRejectsBadInput) {
  const Expression e = random_counts(30, 50, 7);
  GenomapOptions o;
  const GenomapFit a = fit_genomap(e, o), b = fit_genomap(e, o);
  EXPECT_EQ(a.layout.rows, 6);
  EXPECT_EQ(a.layout.cols, 6);
  EXPECT_EQ(a.layout.position, b.layout.position) << "same seed, same layout";
  EXPECT_NO_THROW(validate_layout(a.layout, "fit"));
  Expression few = random_counts(3, 10, 1);
  EXPECT_THROW(fit_genomap(few, o), Error);
  Expression zero = random_counts(10, 10, 1);
  std::fill(zero.values.begin(), zero.values.end(), 0.0);
  EXPECT_THROW(fit_genomap(zero, o), Error);
  o.rows = 2;
  o.cols = 2;
  EXPECT_THROW(fit_genomap(e, o), Error);
}

TEST(GenomapImages, RoundTrip) {
  const Expression e = random_counts(10, 6, 3);
  GenomapLayout layout;
  layout.rows = 3;
  layout.cols = 4;
  layout.genes = e.genes;
  for (int g = 0; g < 10; ++g) layout.position.push_back((g * 5) % 12);
  const auto rows = layout_rows(layout, e);
  const GenomapScale scale = fit_scale(e, rows);
  std::vector<double> total(6, 0.0);
  for (int g = 0; g < 10; ++g)
    for (int c = 0; c < 6; ++c) total[c] += e.row(g)[c];
  std::vector<double> sorted = total;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_DOUBLE_EQ(scale.target_total, sorted[3]);
  const auto f = cell_factors(e, scale.target_total);
  const auto img = genomap_images(e, layout, rows, scale);
  ASSERT_EQ(img.size(), 6u * 12u);
  for (int c = 0; c < 6; ++c) {
    EXPECT_DOUBLE_EQ(f[c], sorted[3] / total[c]);
    for (int g = 0; g < 10; ++g)
      EXPECT_FLOAT_EQ(img[c * 12 + layout.position[g]], static_cast<float>(std::log1p(e.row(g)[c] * f[c]) / scale.gene_max[g]));
  }
  Expression back = e;
  std::fill(back.values.begin(), back.values.end(), 0.0);
  images_to_expression(img, layout, rows, scale, f, false, back);
  for (std::size_t i = 0; i < e.values.size(); ++i) EXPECT_NEAR(back.values[i], e.values[i], 1e-4 * (1 + e.values[i]));
  Expression missing = e;
  missing.genes[4] = "other";
  EXPECT_THROW(layout_rows(layout, missing), Error);
}

TEST(Smoothing, KnnWithOneNeighbourIsTheNormalisedData) {
  const Expression e = random_counts(12, 20, 5);
  SmoothingOptions o;
  o.k = 1;
  const Expression s = knn_smooth(e, o), n = normalize_library(e);
  for (std::size_t i = 0; i < e.values.size(); ++i) EXPECT_DOUBLE_EQ(s.values[i], n.values[i]);
}

TEST(Smoothing, KnnMatchesBruteForceNeighbours) {
  const Expression e = random_counts(8, 15, 6);
  SmoothingOptions o;
  o.k = 4;
  o.pcs = 100;  // more than the genes: distances over all log1p genes
  const Expression n = normalize_library(e), s = knn_smooth(e, o);
  for (int c = 0; c < 15; ++c) {
    std::vector<std::pair<double, int>> d;
    for (int o2 = 0; o2 < 15; ++o2) {
      double sq = 0;
      for (int g = 0; g < 8; ++g) sq += std::pow(std::log1p(n.row(g)[c]) - std::log1p(n.row(g)[o2]), 2);
      d.push_back({o2 == c ? -1.0 : sq, o2});
    }
    std::sort(d.begin(), d.end());
    for (int g = 0; g < 8; ++g) {
      double mean = 0;
      for (int i = 0; i < 4; ++i) mean += n.row(g)[d[i].second] / 4;
      EXPECT_NEAR(s.row(g)[c], mean, 1e-9);
    }
  }
}

TEST(Smoothing, MagicWithoutStepsIsTheNormalisedData) {
  const Expression e = random_counts(10, 25, 8);
  SmoothingOptions o;
  o.magic_t = 0;
  const Expression s = magic_diffuse(e, o), n = normalize_library(e);
  for (std::size_t i = 0; i < e.values.size(); ++i) EXPECT_NEAR(s.values[i], n.values[i], 1e-9 * (1 + n.values[i]));
  o.magic_t = 3;
  const Expression d = magic_diffuse(e, o);
  // Diffusion averages: each gene's spread over cells shrinks.
  for (int g = 0; g < 10; ++g) {
    auto range = [&](const Expression& x) {
      auto [lo, hi] = std::minmax_element(x.row(g), x.row(g) + 25);
      return std::log1p(*hi) - std::log1p(*lo);
    };
    EXPECT_LE(range(d), range(n) + 1e-12);
  }
}

TEST(Downsample, KeepsTheEfficiencyOnAverage) {
  Expression ref = random_counts(50, 400, 9, 0.0);
  for (double& v : ref.values) v *= 20;
  DownsampleOptions o;
  o.efficiency = 0.2;
  const Expression obs = downsample(ref, o);
  const double a = std::accumulate(ref.values.begin(), ref.values.end(), 0.0),
               b = std::accumulate(obs.values.begin(), obs.values.end(), 0.0);
  EXPECT_NEAR(b / a, 0.2, 0.01);
  for (double v : obs.values) EXPECT_EQ(v, std::floor(v));
  const Expression again = downsample(ref, o);
  EXPECT_EQ(obs.values, again.values);
  o.efficiency = 0;
  EXPECT_THROW(downsample(ref, o), Error);
}

TEST(PerGenePearson, IdentityAndConstant) {
  Expression e = random_counts(5, 30, 10);
  std::fill(e.row(2), e.row(2) + 30, 0.0);
  const auto r = per_gene_pearson(e, e);
  for (int g = 0; g < 5; ++g) {
    if (g == 2) EXPECT_TRUE(std::isnan(r[g]));
    else EXPECT_NEAR(r[g], 1.0, 1e-12);
  }
}

TEST(LayoutFile, RoundTripAndErrors) {
  GenomapLayout l;
  l.rows = 2;
  l.cols = 3;
  l.genes = {"a", "b", "c", "d"};
  l.position = {5, 0, 3, 1};
  const std::string path = testing::TempDir() + "layout.tsv";
  write_layout(l, path);
  const GenomapLayout back = read_layout(path);
  EXPECT_EQ(back.rows, 2);
  EXPECT_EQ(back.cols, 3);
  EXPECT_EQ(back.genes, l.genes);
  EXPECT_EQ(back.position, l.position);
  auto bad = [&](const std::string& text) {
    std::ofstream(path) << text;
    try {
      read_layout(path);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(bad("gene\trow\tcol\n").find("line 1"), std::string::npos);
  EXPECT_NE(bad("# drim genomap rows 2 cols 2\na\t0\t5\n").find("line 2"), std::string::npos);
  EXPECT_NE(bad("# drim genomap rows 2 cols 2\na\t0\t1\nb\t0\t1\n").find("share a pixel"), std::string::npos);
  EXPECT_NE(bad("# drim genomap rows 2 cols 2\na\t0\t1\na\t1\t1\n").find("twice"), std::string::npos);
  std::remove(path.c_str());
}
