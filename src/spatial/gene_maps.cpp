#include "drim/spatial/gene_maps.hpp"

#include <cmath>
#include <unordered_map>

#include "drim/error.hpp"

namespace drim::spatial {

void validate_gene_maps(const GeneMaps& maps, const std::string& source) {
  if (maps.channels < 1 || maps.height < 1 || maps.width < 1)
    throw Error(source + ": images of " + std::to_string(maps.channels) + " x " + std::to_string(maps.height) + " x " +
                std::to_string(maps.width) + " (channels x height x width): every size must be positive");
  if (maps.values.size() != maps.n_genes() * maps.pixels())
    throw Error(source + ": " + std::to_string(maps.values.size()) + " values for " + std::to_string(maps.n_genes()) +
                " genes of " + std::to_string(maps.pixels()) + " pixels");
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t g = 0; g < maps.n_genes(); ++g) {
    if (maps.genes[g].empty()) throw Error(source + ": gene " + std::to_string(g + 1) + " has an empty name");
    auto [it, fresh] = seen.emplace(maps.genes[g], g);
    if (!fresh) throw Error(source + ": gene " + quote(maps.genes[g]) + " has two images (rows " + std::to_string(it->second + 1) +
                            " and " + std::to_string(g + 1) + ")");
  }
  for (std::size_t i = 0; i < maps.values.size(); ++i)
    if (!std::isfinite(maps.values[i]))
      throw Error(source + ": gene " + quote(maps.genes[i / maps.pixels()]) + " has a value that is not finite");
}

namespace {
/// Source positions of bilinear resizing along one axis (align_corners false).
struct Taps {
  std::vector<int> i0, i1;
  std::vector<float> w1;
};

Taps taps(int in, int out) {
  Taps t;
  const double scale = static_cast<double>(in) / out;
  for (int i = 0; i < out; ++i) {
    double src = scale * (i + 0.5) - 0.5;
    if (src < 0) src = 0;
    const int a = static_cast<int>(src);
    t.i0.push_back(a);
    t.i1.push_back(a < in - 1 ? a + 1 : a);
    t.w1.push_back(static_cast<float>(src - a));
  }
  return t;
}
}  // namespace

GeneMaps resize_gene_maps(const GeneMaps& maps, int size) {
  if (size < 1) throw Error("map size must be positive, got " + quote(std::to_string(size)));
  if (maps.height == size && maps.width == size) return maps;
  GeneMaps out;
  out.genes = maps.genes;
  out.channels = maps.channels;
  out.height = out.width = size;
  out.values.resize(out.n_genes() * out.pixels());
  const Taps ty = taps(maps.height, size), tx = taps(maps.width, size);
  const std::size_t planes = maps.n_genes() * maps.channels;
  const std::size_t in_plane = static_cast<std::size_t>(maps.height) * maps.width, out_plane = static_cast<std::size_t>(size) * size;
#pragma omp parallel for schedule(static)
  for (long p = 0; p < static_cast<long>(planes); ++p) {
    const float* src = maps.values.data() + p * in_plane;
    float* dst = out.values.data() + p * out_plane;
    for (int y = 0; y < size; ++y) {
      const float* r0 = src + static_cast<std::size_t>(ty.i0[y]) * maps.width;
      const float* r1 = src + static_cast<std::size_t>(ty.i1[y]) * maps.width;
      const float wy = ty.w1[y];
      for (int x = 0; x < size; ++x) {
        const float wx = tx.w1[x];
        const float top = (1 - wx) * r0[tx.i0[x]] + wx * r0[tx.i1[x]];
        const float bottom = (1 - wx) * r1[tx.i0[x]] + wx * r1[tx.i1[x]];
        dst[y * size + x] = (1 - wy) * top + wy * bottom;
      }
    }
  }
  return out;
}

std::vector<int> align_gene_maps(const GeneMaps& maps, const std::vector<std::string>& genes, bool allow_missing,
                                 const std::string& source) {
  std::unordered_map<std::string, int> row;
  for (std::size_t g = 0; g < maps.n_genes(); ++g) row.emplace(maps.genes[g], static_cast<int>(g));
  std::vector<int> where(genes.size(), -1);
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < genes.size(); ++i) {
    auto it = row.find(genes[i]);
    if (it != row.end()) where[i] = it->second;
    else missing.push_back(genes[i]);
  }
  if (!missing.empty() && !allow_missing) {
    std::string names;
    for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i) names += (i ? ", " : "") + quote(missing[i]);
    throw Error(source + " has no image for " + std::to_string(missing.size()) + " of the " + std::to_string(genes.size()) +
                " genes (" + names + (missing.size() > 5 ? ", ..." : "") + "); --allow-missing-images gives them a blank image");
  }
  return where;
}

}  // namespace drim::spatial
