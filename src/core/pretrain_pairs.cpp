#include "drim/pretrain_pairs.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "drim/bin_codes.hpp"
#include "drim/error.hpp"

namespace drim {

double histogram_correlation(const std::uint32_t* counts) {
  double n = 0, sx = 0, sy = 0;
  for (int y = 0; y < kBins; ++y)
    for (int x = 0; x < kBins; ++x) {
      const double c = counts[y * kBins + x];
      n += c;
      sx += c * x;
      sy += c * y;
    }
  if (n == 0) return 0.0;
  const double mx = sx / n, my = sy / n;
  double vxx = 0, vyy = 0, vxy = 0;
  for (int y = 0; y < kBins; ++y)
    for (int x = 0; x < kBins; ++x) {
      const double c = counts[y * kBins + x];
      vxx += c * (x - mx) * (x - mx);
      vyy += c * (y - my) * (y - my);
      vxy += c * (x - mx) * (y - my);
    }
  if (vxx <= 0 || vyy <= 0) return 0.0;
  return vxy / std::sqrt(vxx * vyy);
}

double pixel_correlation(const float* x, const float* y, std::size_t n) {
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double vxx = 0, vyy = 0, vxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    vxx += dx * dx;
    vyy += dy * dy;
    vxy += dx * dy;
  }
  if (vxx <= 0 || vyy <= 0) return 0.0;
  return vxy / std::sqrt(vxx * vyy);
}

void primary_correlations(const ImageContext& ctx, int a, int b, float* out) {
  std::vector<std::uint32_t> counts(kImagePixels);
  ctx.image_counts(a, b, counts.data());
  out[0] = static_cast<float>(histogram_correlation(counts.data()));
  if (ctx.primary_images() > 1) {
    ctx.conditional_counts(a, b, counts.data());
    out[1] = static_cast<float>(histogram_correlation(counts.data()));
  }
}

std::vector<std::pair<int, int>> random_gene_pairs(std::size_t n_genes, std::size_t count, std::uint64_t seed) {
  if (n_genes < 2) throw Error("random gene pairs need at least 2 genes, got " + quote(std::to_string(n_genes)));
  std::mt19937_64 rng(seed);
  // Multiply-shift to [0, n): the same draws on every platform, unlike uniform_int_distribution.
  auto draw = [&](std::size_t n) { return static_cast<int>((static_cast<unsigned __int128>(rng()) * n) >> 64); };
  std::vector<std::pair<int, int>> out(count);
  for (auto& [a, b] : out) {
    a = draw(n_genes);
    b = draw(n_genes - 1);
    if (b >= a) ++b;
  }
  return out;
}

std::vector<std::pair<int, int>> random_gene_pairs(const std::vector<int>& group, std::size_t count, std::uint64_t seed) {
  std::map<int, std::vector<int>> members;
  for (std::size_t g = 0; g < group.size(); ++g) members[group[g]].push_back(static_cast<int>(g));
  std::vector<int> eligible;
  for (std::size_t g = 0; g < group.size(); ++g)
    if (members[group[g]].size() >= 2) eligible.push_back(static_cast<int>(g));
  if (eligible.empty())
    throw Error("random gene pairs within groups need a group of at least 2 genes; the " + std::to_string(group.size()) +
                " gene(s) are in " + std::to_string(members.size()) + " group(s) of one");
  std::mt19937_64 rng(seed);
  auto draw = [&](std::size_t n) { return static_cast<std::size_t>((static_cast<unsigned __int128>(rng()) * n) >> 64); };
  std::vector<std::pair<int, int>> out(count);
  for (auto& [a, b] : out) {
    a = eligible[draw(eligible.size())];
    const auto& same = members[group[a]];
    const std::size_t pos = std::find(same.begin(), same.end(), a) - same.begin();
    std::size_t j = draw(same.size() - 1);
    if (j >= pos) ++j;
    b = same[j];
  }
  return out;
}

}  // namespace drim
