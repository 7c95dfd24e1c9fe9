#pragma once
// A pair's images with its two genes' images appended: the input of a fusion model's image
// branch (SDINet's arrangement: TF and target stacked as channels).
#include <vector>

#include "drim/pair_images.hpp"
#include "drim/spatial/gene_maps.hpp"

namespace drim::spatial {

/// Wraps a PairImageSource (which, like `maps`, must outlive this object): each pair's images,
/// then the TF's gene-image channels, then the target's. `row_of[id]` is the row in `maps` of
/// gene id (the ids of the source's pairs; -1: no image, written as zeros). The maps must be
/// 32 x 32 (resize_gene_maps first).
class GeneMapPairImages : public PairImageSource {
 public:
  GeneMapPairImages(const PairImageSource& base, const GeneMaps& maps, std::vector<int> row_of);
  std::size_t size() const override { return base_.size(); }
  int images_per_pair() const override { return base_.images_per_pair() + 2 * maps_.channels; }
  const LabelledPair& pair(std::size_t i) const override { return base_.pair(i); }
  void images(std::size_t i, float* out) const override;

 private:
  void gene(int id, float* out) const;
  const PairImageSource& base_;
  const GeneMaps& maps_;
  std::vector<int> row_of_;
};

}  // namespace drim::spatial
