// Images against a brute-force histogram2d transcription, and the reference image order.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "drim/image_builder.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

/// numpy.histogram2d(log x, log y, bins=32).T, normalised, by brute force.
std::vector<float> brute_image(const Expression& e, int x, int y) {
  auto logs = [&](int g) {
    std::vector<double> v(e.n_cells());
    for (std::size_t c = 0; c < v.size(); ++c) v[c] = std::log10(e.row(g)[c] + 0.01);
    return v;
  };
  return test::brute_image(logs(x), logs(y));
}

TEST(ImageContext, SingleImageMatchesBruteForce) {
  Expression e = test::random_expression(20, 57, 11);
  ImageContext ctx(e, ImageOptions{}, 2);
  std::vector<float> img(1024);
  for (auto [x, y] : std::vector<std::pair<int, int>>{{0, 1}, {1, 0}, {3, 3}, {19, 7}}) {
    ctx.image(x, y, img.data());
    auto want = brute_image(e, x, y);
    for (int p = 0; p < 1024; ++p) ASSERT_NEAR(img[p], want[p], 1e-6) << x << "," << y << " pixel " << p;
    double total = 0;
    for (int p = 0; p < 1024; ++p) total += img[p] > 1e-6;
    EXPECT_GE(total, 1);
  }
}

TEST(ImageContext, RowsAreTheSecondGene) {
  // gene 0 spans its whole range; gene 1 constant: every count sits in row 16 (gene 1's bin).
  Expression e;
  e.genes = {"a", "b", "c"};
  e.cells = {"c1", "c2", "c3"};
  e.values = {0, 1, 9, 2, 2, 2, 0, 5, 1};
  ImageOptions o;
  o.neighbors = 2;
  ImageContext ctx(e, o);
  std::vector<float> img(1024);
  ctx.image(0, 1, img.data());
  for (int p = 0; p < 1024; ++p) {
    bool filled = img[p] > 0.5f;
    EXPECT_EQ(filled, p / 32 == 16 && (p % 32 == 0 || p % 32 == 31 || p % 32 == ctx.codes().row(0)[1]))
        << "pixel " << p;
  }
}

TEST(ImageContext, PairImagesFollowReferenceOrder) {
  Expression e = test::random_expression(30, 44, 5);
  ImageOptions o;
  o.neighbors = 4;
  ImageContext ctx(e, o);
  ASSERT_EQ(ctx.images_per_pair(), 11);
  std::vector<float> all(11 * 1024);
  const int a = 3, b = 17;
  ctx.pair_images(a, b, all.data());
  const int* na = ctx.neighbors().of(a);
  const int* nb = ctx.neighbors().of(b);
  std::vector<std::pair<int, int>> order = {{a, b}, {a, a}, {b, b}};
  for (int k = 0; k < 4; ++k) order.push_back({a, na[k]});
  for (int k = 0; k < 4; ++k) order.push_back({nb[k], b});
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto want = brute_image(e, order[i].first, order[i].second);
    for (int p = 0; p < 1024; ++p) ASSERT_NEAR(all[i * 1024 + p], want[p], 1e-6) << "image " << i;
  }
}

TEST(ImageContext, PairCountsAreTheHistogramBehindThePixels) {
  Expression e = test::random_expression(25, 61, 9);
  ImageOptions o;
  o.neighbors = 3;
  ImageContext ctx(e, o);
  const int per = ctx.images_per_pair();
  std::vector<float> pixels(per * 1024);
  std::vector<std::uint32_t> counts(per * 1024);
  for (auto [a, b] : std::vector<std::pair<int, int>>{{2, 9}, {9, 2}, {4, 4}}) {
    ctx.pair_images(a, b, pixels.data());
    ctx.pair_counts(a, b, counts.data());
    for (int i = 0; i < per; ++i) {
      std::uint64_t cells = 0;
      for (int p = 0; p < 1024; ++p) cells += counts[i * 1024 + p];
      EXPECT_EQ(cells, e.n_cells()) << "image " << i;
    }
    for (int k = 0; k < per * 1024; ++k) ASSERT_EQ(ctx.lut()(counts[k]), pixels[k]) << "value " << k;
  }
  // Hand-computed: the primary image of a pair with itself has each cell on the diagonal.
  std::vector<std::uint32_t> self(1024);
  ctx.image_counts(4, 4, self.data());
  for (int p = 0; p < 1024; ++p)
    if (p / 32 != p % 32) EXPECT_EQ(self[p], 0u) << "off-diagonal pixel " << p;
}

TEST(CellSample, BootstrapIsSeededUniformWithReplacement) {
  const std::size_t n = 4000;
  const CellSample s = bootstrap_cells(n, 7);
  ASSERT_EQ(s.cells.size(), n);
  EXPECT_EQ(bootstrap_cells(n, 7).cells, s.cells);
  EXPECT_NE(bootstrap_cells(n, 8).cells, s.cells);
  std::vector<int> drawn(n, 0);
  for (std::uint32_t c : s.cells) {
    ASSERT_LT(c, n);
    ++drawn[c];
  }
  // A bootstrap of n keeps 1 - (1 - 1/n)^n ~ 63.2 % of the cells, some of them several times.
  const double distinct = std::count_if(drawn.begin(), drawn.end(), [](int k) { return k > 0; }) / static_cast<double>(n);
  EXPECT_NEAR(distinct, 1 - std::pow(1 - 1.0 / n, n), 0.02);
  EXPECT_GT(*std::max_element(drawn.begin(), drawn.end()), 2);
  test::expect_error([] { bootstrap_cells(0, 1); }, {"'0'"});
}

TEST(CellSample, ImagesOfAResampleAreTheHistogramOfTheDrawnCells) {
  Expression e = test::random_expression(30, 80, 21);
  ImageOptions o;
  o.neighbors = 3;
  ImageContext ctx(e, o);
  const CellSample s = bootstrap_cells(e.n_cells(), 3);
  auto logs = [&](int g) {
    std::vector<double> v(e.n_cells());
    for (std::size_t c = 0; c < v.size(); ++c) v[c] = std::log10(e.row(g)[c] + 0.01);
    return v;
  };
  // Brute force: the full data's bins, a cell counted once per draw, pixels over n cells.
  auto resampled = [&](int x, int y) {
    const auto bx = test::brute_bins(logs(x)), by = test::brute_bins(logs(y));
    std::vector<double> h(1024, 0.0);
    for (std::uint32_t c : s.cells) h[by[c] * 32 + bx[c]] += 1;
    std::vector<float> img(1024);
    for (int p = 0; p < 1024; ++p) img[p] = static_cast<float>((std::log10(h[p] / e.n_cells() + 1e-4) + 4) / 4);
    return img;
  };
  const int a = 5, b = 22, per = ctx.images_per_pair();
  std::vector<float> all(per * 1024), plain(per * 1024);
  ctx.pair_images(a, b, all.data(), &s);
  ctx.pair_images(a, b, plain.data());
  std::vector<std::pair<int, int>> order = {{a, b}, {a, a}, {b, b}};
  for (int k = 0; k < 3; ++k) order.push_back({a, ctx.neighbors().of(a)[k]});
  for (int k = 0; k < 3; ++k) order.push_back({ctx.neighbors().of(b)[k], b});
  ASSERT_EQ(static_cast<int>(order.size()), per);
  for (int i = 0; i < per; ++i) {
    const auto want = resampled(order[i].first, order[i].second);
    for (int p = 0; p < 1024; ++p) ASSERT_NEAR(all[i * 1024 + p], want[p], 1e-6) << "image " << i << " pixel " << p;
  }
  EXPECT_NE(all, plain);
  // Every cell drawn once, in order: the full data's images exactly.
  CellSample identity;
  for (std::uint32_t c = 0; c < e.n_cells(); ++c) identity.cells.push_back(c);
  ctx.pair_images(a, b, all.data(), &identity);
  EXPECT_EQ(all, plain);
  CellSample short_sample{{0, 1, 2}};
  test::expect_error([&] { ctx.image(a, b, all.data(), &short_sample); }, {"'3' cells", "80"});
}

TEST(ImageContext, PrimaryOnlyHasOneImage) {
  Expression e = test::random_expression(6, 10, 2);
  ImageOptions o;
  o.primary_only = true;
  ImageContext ctx(e, o);
  EXPECT_EQ(ctx.images_per_pair(), 1);
  EXPECT_TRUE(ctx.neighbors().index.empty());
}

}  // namespace
}  // namespace drim
