#include "drim/spatial/aligned_gene_maps.hpp"

#include <algorithm>
#include <set>

#include "drim/bin_codes.hpp"
#include "drim/error.hpp"

namespace drim::spatial {

AlignedGeneMaps::AlignedGeneMaps(GeneMaps maps, std::vector<int> row_of) : maps_(std::move(maps)), row_of_(std::move(row_of)) {
  if (maps_.height != kBins || maps_.width != kBins)
    throw Error("gene images are " + std::to_string(maps_.height) + " x " + std::to_string(maps_.width) + "; the pair images need " +
                std::to_string(kBins) + " x " + std::to_string(kBins) + " (resize them first)");
  for (int r : row_of_)
    if (r < -1 || r >= static_cast<int>(maps_.n_genes()))
      throw Error("gene image row " + quote(std::to_string(r)) + " outside the " + std::to_string(maps_.n_genes()) + " images");
}

void AlignedGeneMaps::image(int id, float* out) const {
  const int row = row_of_.at(id);
  if (row < 0) std::fill(out, out + maps_.pixels(), 0.0f);
  else std::copy(maps_.image(row), maps_.image(row) + maps_.pixels(), out);
}

std::vector<int> genes_without_image(const GeneImageLookup& genes, const std::vector<int>& ids) {
  std::set<int> missing;
  for (int id : ids)
    if (!genes.has(id)) missing.insert(id);
  return {missing.begin(), missing.end()};
}

}  // namespace drim::spatial
