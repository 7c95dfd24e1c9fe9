#pragma once
// Gene images matched to the genes of the data at hand: the lookup a fusion model reads.
#include <string>
#include <vector>

#include "drim/gene_images.hpp"
#include "drim/spatial/gene_maps.hpp"

namespace drim::spatial {

/// GeneMaps (32 x 32; resize_gene_maps first) looked up by the ids of another gene list:
/// `row_of[id]` is the row in `maps` of gene id, -1 where it has no image (read as zeros).
class AlignedGeneMaps : public GeneImageLookup {
 public:
  /// Throws when the maps are not 32 x 32 or a row is outside them.
  AlignedGeneMaps(GeneMaps maps, std::vector<int> row_of);
  int channels() const override { return maps_.channels; }
  std::size_t size() const override { return row_of_.size(); }
  bool has(int id) const override { return row_of_.at(id) >= 0; }
  void image(int id, float* out) const override;

 private:
  GeneMaps maps_;
  std::vector<int> row_of_;
};

/// Of `ids`, the distinct ones without an image in `genes`.
std::vector<int> genes_without_image(const GeneImageLookup& genes, const std::vector<int>& ids);

}  // namespace drim::spatial
