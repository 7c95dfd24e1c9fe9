#include "drim/gene_images.hpp"

#include <algorithm>
#include <string>

#include "drim/error.hpp"

namespace drim {

void GeneImageLookup::pair_image(int tf, int target, float* out) const {
  image(tf, out);
  image(target, out + static_cast<std::size_t>(channels()) * kImagePixels);
}

GeneImagePairs::GeneImagePairs(const PairImageSource& base, const GeneImageLookup& genes, bool gene_images_only)
    : base_(base), genes_(genes), only_(gene_images_only) {
  for (std::size_t i = 0; i < base_.size(); ++i) {
    const auto& p = base_.pair(i);
    const int id = std::max(p.tf, p.target);
    if (std::min(p.tf, p.target) < 0 || static_cast<std::size_t>(id) >= genes_.size())
      throw Error("pair " + std::to_string(i + 1) + " names gene id " + std::to_string(id) + ", but the gene images cover " +
                  std::to_string(genes_.size()) + " genes");
  }
}

void GeneImagePairs::images(std::size_t i, float* out) const { build(i, out, nullptr); }

void GeneImagePairs::resampled_images(std::size_t i, float* out, const CellSample& cells) const { build(i, out, &cells); }

void GeneImagePairs::build(std::size_t i, float* out, const CellSample* cells) const {
  if (!only_) {
    if (cells) base_.resampled_images(i, out, *cells);
    else base_.images(i, out);
    out += static_cast<std::size_t>(base_.images_per_pair()) * kImagePixels;
  }
  const auto& p = base_.pair(i);
  genes_.pair_image(p.tf, p.target, out);
}

}  // namespace drim
