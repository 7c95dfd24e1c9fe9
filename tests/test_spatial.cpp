// Per-gene images: spatial binning and smoothing against hand-computed and brute-force
// references, bilinear resizing against PyTorch's values, gene-name alignment, the files, and the
// spatial simulation.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "drim/error.hpp"
#include "drim/expression_io.hpp"
#include "drim/spatial/aligned_gene_maps.hpp"
#include "drim/spatial/gene_maps.hpp"
#include "drim/spatial/gene_maps_io.hpp"
#include "drim/spatial/simulate_spatial.hpp"
#include "drim/spatial/spatial_binning.hpp"
#include "test_util.hpp"

namespace drim::spatial {
namespace {

Expression tiny(const std::vector<std::vector<double>>& rows) {
  Expression e;
  for (std::size_t g = 0; g < rows.size(); ++g) e.genes.push_back("g" + std::to_string(g));
  for (std::size_t c = 0; c < rows[0].size(); ++c) e.cells.push_back("c" + std::to_string(c));
  for (const auto& r : rows) e.values.insert(e.values.end(), r.begin(), r.end());
  return e;
}

TEST(BinSpatial, BinMeansOfLog1pByHandScaledToTheirMaximum) {
  // Cells at the four corners of the unit square and one more near (0, 0); bins of 2 x 2.
  const std::vector<double> xy = {0, 0, 1, 0, 0, 1, 1, 1, 0.1, 0.1};
  const double e = std::exp(1.0);
  Expression expr = tiny({{e - 1, 0, e * e - 1, std::pow(e, 4) - 1, std::pow(e, 3) - 1}, {0, 0, 0, 0, 0}});
  GeneMaps m = bin_spatial(expr, xy, {2, 0.0});
  ASSERT_EQ(m.height, 2);
  ASSERT_EQ(m.values.size(), 8u);
  // Bin (row 0, col 0): cells 0 and 4, log1p 1 and 3, mean 2; (0, 1): cell 1, 0; (1, 0): cell 2, 2;
  // (1, 1): cell 3, 4. Divided by the maximum, 4.
  const std::vector<float> want = {0.5f, 0.0f, 0.5f, 1.0f};
  for (int b = 0; b < 4; ++b) EXPECT_NEAR(m.image(0)[b], want[b], 1e-6) << b;
  for (int b = 0; b < 4; ++b) EXPECT_EQ(m.image(1)[b], 0.0f);  // an all-zero gene stays 0
}

TEST(BinSpatial, SmoothingIsTheSupportNormalisedGaussianOfTheBinMeans) {
  // 4 x 4 bins, cells in all but two bins; compare with a direct 2-D sum.
  std::vector<double> xy;
  std::vector<double> v;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  for (int by = 0; by < 4; ++by)
    for (int bx = 0; bx < 4; ++bx) {
      if ((by == 1 && bx == 2) || (by == 3 && bx == 0)) continue;
      for (int k = 0; k < 2; ++k) {
        xy.push_back((bx + 0.25 + 0.5 * u(rng)) / 4.0 * 3.0);  // x in [0, 3]
        xy.push_back((by + 0.25 + 0.5 * u(rng)) / 4.0 * 3.0);
        v.push_back(std::floor(10 * u(rng)));
      }
    }
  xy.push_back(0), xy.push_back(0), v.push_back(1);  // pin the bounding box to [0, 3]^2
  xy.push_back(3), xy.push_back(3), v.push_back(2);
  Expression expr = tiny({v});
  const double sigma = 0.8;
  GeneMaps plain = bin_spatial(expr, xy, {4, 0.0}), smooth = bin_spatial(expr, xy, {4, sigma});
  // Unscaled bin means: plain is scaled by its maximum; the ratio below does not depend on it.
  std::vector<double> ref(16, 0.0);
  const int r = static_cast<int>(std::ceil(3 * sigma));
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) {
      double num = 0, den = 0;
      for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx) {
          const int yy = y + dy, xx = x + dx;
          if (yy < 0 || yy > 3 || xx < 0 || xx > 3) continue;
          const bool held = !((yy == 1 && xx == 2) || (yy == 3 && xx == 0));
          const double w = std::exp(-0.5 * (dx * dx + dy * dy) / (sigma * sigma));
          num += w * plain.image(0)[yy * 4 + xx];
          den += w * held;
        }
      const bool held = !((y == 1 && x == 2) || (y == 3 && x == 0));
      ref[y * 4 + x] = held ? num / den : 0.0;
    }
  const double top = *std::max_element(ref.begin(), ref.end());
  for (int b = 0; b < 16; ++b) EXPECT_NEAR(smooth.image(0)[b], ref[b] / top, 1e-5) << b;
  EXPECT_EQ(smooth.image(0)[1 * 4 + 2], 0.0f);  // empty bins stay 0
  EXPECT_FLOAT_EQ(*std::max_element(smooth.image(0), smooth.image(0) + 16), 1.0f);
}

TEST(BinSpatial, BadCoordinatesAreNamed) {
  Expression expr = tiny({{1, 2}});
  test::expect_error([&] { bin_spatial(expr, {0, 0, 1}); }, {"3 values for 2 cells"});
  test::expect_error([&] { bin_spatial(expr, {0, 0, NAN, 1}); }, {"'c1'", "not finite"});
  test::expect_error([&] { bin_spatial(expr, {0, 0, 1, 1}, {0, 1.0}); }, {"'0'"});
}

TEST(ResizeGeneMaps, BilinearAsPyTorchWithoutAlignCorners) {
  GeneMaps m;
  m.genes = {"a"};
  m.height = m.width = 2;
  m.values = {0, 1, 2, 3};
  // torch.nn.functional.interpolate(torch.tensor([[[[0., 1], [2, 3]]]]), size=4, mode="bilinear",
  // align_corners=False)
  const std::vector<float> want = {0.00f, 0.25f, 0.75f, 1.00f, 0.50f, 0.75f, 1.25f, 1.50f,
                                   1.50f, 1.75f, 2.25f, 2.50f, 2.00f, 2.25f, 2.75f, 3.00f};
  GeneMaps r = resize_gene_maps(m, 4);
  ASSERT_EQ(r.values.size(), 16u);
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(r.values[i], want[i], 1e-6) << i;
  EXPECT_EQ(resize_gene_maps(r, 4).values, r.values);  // already that size: unchanged
  // Down to 2 x 2 takes the points between the source pixels: the mean of each 2 x 2 block here.
  GeneMaps d = resize_gene_maps(r, 2);
  EXPECT_NEAR(d.values[0], (0.00f + 0.25f + 0.50f + 0.75f) / 4, 1e-6);
  EXPECT_NEAR(d.values[3], (2.25f + 2.50f + 2.75f + 3.00f) / 4, 1e-6);
}

TEST(AlignGeneMaps, OrderDiffersAndMissingGenesArePolicy) {
  GeneMaps m;
  m.genes = {"B", "A", "C"};
  m.height = m.width = 1;
  m.values = {1, 2, 3};
  EXPECT_EQ(align_gene_maps(m, {"A", "D", "C"}, true, "ish.h5"), (std::vector<int>{1, -1, 2}));
  test::expect_error([&] { align_gene_maps(m, {"A", "D", "C", "E"}, false, "ish.h5"); },
                     {"ish.h5", "2 of the 4 genes", "'D'", "'E'", "--allow-missing-images"});
}

TEST(GeneMapsFile, RoundTripAndBadFilesAreNamed) {
  test::ScratchDir dir;
  GeneMaps m;
  m.genes = {"TF1", "G7"};
  m.channels = 2;
  m.height = 3;
  m.width = 4;
  for (int i = 0; i < 48; ++i) m.values.push_back(0.5f * i);
  write_gene_maps(m, dir.file("maps.h5"));
  GeneMaps back = read_gene_maps(dir.file("maps.h5"));
  EXPECT_EQ(back.genes, m.genes);
  EXPECT_EQ(back.channels, 2);
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.width, 4);
  EXPECT_EQ(back.values, m.values);
  m.genes = {"TF1", "TF1"};
  test::expect_error([&] { write_gene_maps(m, dir.file("dup.h5")); }, {"'TF1'", "two images"});
  EXPECT_FALSE(std::filesystem::exists(dir.file("dup.h5")));
  std::ofstream(dir.file("not.h5")) << "not hdf5\n";
  EXPECT_THROW(read_gene_maps(dir.file("not.h5")), Error);
  test::expect_error([&] { read_gene_maps(dir.file("missing.h5")); }, {"missing.h5"});
}

TEST(Obsm, SpatialCoordinatesRoundTripThroughTheH5ad) {
  test::ScratchDir dir;
  Expression expr = tiny({{1, 2, 3}, {0, 5, 0}});
  const std::vector<double> xy = {0.1, 0.2, 1.5, -2.0, 3.0, 4.0};
  write_h5ad(expr, dir.file("s.h5ad"), {}, {{"spatial", 2, &xy}});
  std::size_t cols = 0;
  EXPECT_EQ(read_obsm(dir.file("s.h5ad"), "spatial", 3, cols), xy);
  EXPECT_EQ(cols, 2u);
  EXPECT_EQ(read_expression(dir.file("s.h5ad")).values, expr.values);  // X unchanged beside obsm
  test::expect_error([&] { read_obsm(dir.file("s.h5ad"), "spatial", 4, cols); }, {"4 cells", "[3, 2]"});
  test::expect_error([&] { read_obsm(dir.file("s.h5ad"), "X_umap", 3, cols); }, {"obsm/X_umap"});
  const std::vector<double> short_xy = {1, 2};
  test::expect_error([&] { write_h5ad(expr, dir.file("bad.h5ad"), {}, {{"spatial", 2, &short_xy}}); }, {"'spatial'", "3 cells x 2"});
  EXPECT_FALSE(std::filesystem::exists(dir.file("bad.h5ad")));
}

TEST(SimulateSpatial, MasterTfsFollowTheDomainsAndTheSeedFixesEverything) {
  SpatialSimOptions o;
  o.grn.genes = 60;
  o.grn.tfs = 10;
  o.grn.cells = 800;
  o.domains = 4;
  o.grn.seed = 7;
  SpatialSimResult a = simulate_spatial(o), b = simulate_spatial(o);
  EXPECT_EQ(a.sim.expr.values, b.sim.expr.values);
  EXPECT_EQ(a.xy, b.xy);
  ASSERT_EQ(a.xy.size(), 1600u);
  std::vector<int> per(4, 0);
  for (int d : a.domain) per.at(d)++;
  for (int n : per) EXPECT_GT(n, 0);
  // A master TF (row 0: no regulators) has one level per domain: its domain means spread far more
  // than with the same cells' domains shuffled.
  auto spread = [&](const std::vector<int>& dom) {
    std::vector<double> sum(4, 0.0), n(4, 0.0);
    for (std::size_t c = 0; c < dom.size(); ++c) sum[dom[c]] += std::log1p(a.sim.expr.row(0)[c]), n[dom[c]] += 1;
    double lo = 1e9, hi = -1e9;
    for (int d = 0; d < 4; ++d) lo = std::min(lo, sum[d] / n[d]), hi = std::max(hi, sum[d] / n[d]);
    return hi - lo;
  };
  std::vector<int> shuffled = a.domain;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(1));
  EXPECT_GT(spread(a.domain), 0.5);
  EXPECT_GT(spread(a.domain), 5 * spread(shuffled));
  o.domains = 0;
  test::expect_error([&] { simulate_spatial(o); }, {"domain", "'0'"});
  GrnSimOptions g;
  g.cell_states = {0, 1};
  test::expect_error([&] { simulate_grn(g); }, {"cell_states", "400 cells", "got 2"});
}

TEST(GeneImagePairs, AppendsTheTfsThenTheTargetsChannelsAfterThePairsImages) {
  Expression expr = test::random_expression(6, 40, 2);
  ImageOptions io;
  io.neighbors = 1;
  ImageContext ctx(expr, io);
  ContextPairImages base(ctx, {{0, 1, 1}, {2, 5, 0}});
  GeneMaps maps;
  maps.genes = {"m0", "m1", "m2"};
  maps.channels = 2;
  maps.height = maps.width = 32;
  for (std::size_t i = 0; i < 3 * maps.pixels(); ++i) maps.values.push_back(static_cast<float>(i % 977) / 977.0f);
  const std::vector<int> row_of = {2, 0, 1, -1, -1, -1};  // gene 5 has no image
  AlignedGeneMaps aligned(maps, row_of);
  EXPECT_EQ(genes_without_image(aligned, {5, 0, 3, 5}), (std::vector<int>{3, 5}));
  GeneImagePairs src(base, aligned), only(base, aligned, /*gene_images_only=*/true);
  ASSERT_EQ(src.images_per_pair(), base.images_per_pair() + 4);
  ASSERT_EQ(only.images_per_pair(), 4);
  const std::size_t k = base.images_per_pair() * kImagePixels, m = maps.pixels();
  std::vector<float> got(src.images_per_pair() * kImagePixels), want(k), got_only(4 * kImagePixels);
  for (std::size_t i = 0; i < 2; ++i) {
    src.images(i, got.data());
    only.images(i, got_only.data());
    base.images(i, want.data());
    EXPECT_TRUE(std::equal(want.begin(), want.end(), got.begin())) << "pair " << i;
    EXPECT_TRUE(std::equal(got_only.begin(), got_only.end(), got.begin() + k)) << "pair " << i;
    const auto& p = base.pair(i);
    const float* tf = maps.image(row_of[p.tf]);
    EXPECT_TRUE(std::equal(tf, tf + m, got.begin() + k)) << "pair " << i;
    if (row_of[p.target] < 0) {
      EXPECT_TRUE(std::all_of(got.begin() + k + m, got.end(), [](float v) { return v == 0.0f; }));
    } else {
      const float* tg = maps.image(row_of[p.target]);
      EXPECT_TRUE(std::equal(tg, tg + m, got.begin() + k + m));
    }
  }
  GeneMaps small = resize_gene_maps(maps, 16);
  test::expect_error([&] { AlignedGeneMaps(small, row_of); }, {"16 x 16", "32 x 32"});
  test::expect_error([&] { AlignedGeneMaps(maps, {0, 3}); }, {"'3'", "3 images"});
  AlignedGeneMaps two(maps, {0, 1});
  test::expect_error([&] { GeneImagePairs(base, two); }, {"gene id 5", "2 genes"});
}

}  // namespace
}  // namespace drim::spatial
