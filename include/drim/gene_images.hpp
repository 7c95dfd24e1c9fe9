#pragma once
// A second modality beside the expression images: one image per gene (in-situ hybridisation
// pictures, spatial expression maps), and pair images with the TF's and target's appended, the
// input of a fusion model's image branch (SDINet's arrangement: the two genes stacked as channels).
#include <cstddef>

#include "drim/pair_images.hpp"

namespace drim {

/// Per-gene images by gene id, each channels() x 32 x 32. Safe to read from many threads.
class GeneImageLookup {
 public:
  virtual ~GeneImageLookup() = default;
  /// Channels of one gene's image.
  virtual int channels() const = 0;
  /// Gene ids covered: 0 .. size() - 1.
  virtual std::size_t size() const = 0;
  /// Whether gene `id` has an image.
  virtual bool has(int id) const = 0;
  /// Writes gene id's channels() * 1024 floats; zeros when it has no image.
  virtual void image(int id, float* out) const = 0;
  /// The TF's image, then the target's: 2 * channels() * 1024 floats.
  void pair_image(int tf, int target, float* out) const;
};

/// Wraps a PairImageSource (which, like `genes`, must outlive this object): each pair's images,
/// then the TF's gene-image channels, then the target's. With `gene_images_only`, the base's
/// images are left out (an image-only model's input; the base then only supplies the pairs).
class GeneImagePairs : public PairImageSource {
 public:
  /// Throws when a pair's gene id is outside the lookup's ids.
  GeneImagePairs(const PairImageSource& base, const GeneImageLookup& genes, bool gene_images_only = false);
  std::size_t size() const override { return base_.size(); }
  int images_per_pair() const override { return (only_ ? 0 : base_.images_per_pair()) + 2 * genes_.channels(); }
  const LabelledPair& pair(std::size_t i) const override { return base_.pair(i); }
  void images(std::size_t i, float* out) const override;
  /// The base's cells (the genes' images are not resampled).
  std::size_t cell_count() const override { return base_.cell_count(); }
  void resampled_images(std::size_t i, float* out, const CellSample& cells) const override;
  /// The base's context: the expression images' matrix (label-free pretraining draws from it).
  const ImageContext* context() const override { return base_.context(); }
  const GeneImageLookup* gene_images() const override { return &genes_; }

 private:
  void build(std::size_t i, float* out, const CellSample* cells) const;

  const PairImageSource& base_;
  const GeneImageLookup& genes_;
  bool only_;
};

}  // namespace drim
