#include "drim/spatial/gene_map_pair_images.hpp"

#include <algorithm>

#include "drim/error.hpp"

namespace drim::spatial {

GeneMapPairImages::GeneMapPairImages(const PairImageSource& base, const GeneMaps& maps, std::vector<int> row_of)
    : base_(base), maps_(maps), row_of_(std::move(row_of)) {
  if (maps_.height != static_cast<int>(kBins) || maps_.width != static_cast<int>(kBins))
    throw Error("gene images are " + std::to_string(maps_.height) + " x " + std::to_string(maps_.width) + "; the pair images need " +
                std::to_string(kBins) + " x " + std::to_string(kBins) + " (resize them first)");
  for (int r : row_of_)
    if (r < -1 || r >= static_cast<int>(maps_.n_genes()))
      throw Error("gene image row " + quote(std::to_string(r)) + " outside the " + std::to_string(maps_.n_genes()) + " images");
  for (std::size_t i = 0; i < base_.size(); ++i) {
    const auto& p = base_.pair(i);
    if (p.tf < 0 || p.target < 0 || static_cast<std::size_t>(std::max(p.tf, p.target)) >= row_of_.size())
      throw Error("pair " + std::to_string(i + 1) + " names gene id " + std::to_string(std::max(p.tf, p.target)) + ", but only " +
                  std::to_string(row_of_.size()) + " genes have an image row (or -1)");
  }
}

void GeneMapPairImages::gene(int id, float* out) const {
  const int row = row_of_[id];
  if (row < 0) std::fill(out, out + maps_.pixels(), 0.0f);
  else std::copy(maps_.image(row), maps_.image(row) + maps_.pixels(), out);
}

void GeneMapPairImages::images(std::size_t i, float* out) const {
  base_.images(i, out);
  float* extra = out + static_cast<std::size_t>(base_.images_per_pair()) * kImagePixels;
  const auto& p = base_.pair(i);
  gene(p.tf, extra);
  gene(p.target, extra + maps_.pixels());
}

}  // namespace drim::spatial
