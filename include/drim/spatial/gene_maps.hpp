#pragma once
// Per-gene images (in-situ hybridisation pictures, or spatial expression maps binned from a
// spatial matrix): one [channels, height, width] image per gene.
#include <cstddef>
#include <string>
#include <vector>

namespace drim::spatial {

/// Images of genes, gene-major: values[((g * channels + c) * height + y) * width + x].
struct GeneMaps {
  std::vector<std::string> genes;
  int channels = 1;
  int height = 0;
  int width = 0;
  std::vector<float> values;

  std::size_t n_genes() const { return genes.size(); }
  std::size_t pixels() const { return static_cast<std::size_t>(channels) * height * width; }
  /// The channels x height x width values of gene g.
  const float* image(std::size_t g) const { return values.data() + g * pixels(); }
  float* image(std::size_t g) { return values.data() + g * pixels(); }
};

/// Throws naming `source` when the shape and the value count disagree, a size is not positive,
/// a gene name repeats or is empty, or a value is not finite.
void validate_gene_maps(const GeneMaps& maps, const std::string& source);

/// Every image resized to size x size by bilinear interpolation with pixel centres at half
/// integers (torch.nn.functional.interpolate(mode="bilinear", align_corners=False, no
/// antialiasing)); an image already that size is copied unchanged.
GeneMaps resize_gene_maps(const GeneMaps& maps, int size);

/// Where each of `genes` is in `maps` (-1: no image). With allow_missing false, a gene without an
/// image is an error naming the first few such genes, how many there are, and `source`.
std::vector<int> align_gene_maps(const GeneMaps& maps, const std::vector<std::string>& genes, bool allow_missing,
                                 const std::string& source);

}  // namespace drim::spatial
