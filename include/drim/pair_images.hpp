#pragma once
// Labelled pairs whose images are produced on demand: built from bin codes, or read from a
// drim-images file. The trainer sees only this interface.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "drim/image_builder.hpp"
#include "drim/training_pairs.hpp"

namespace drim {

class GeneImageLookup;

/// Labelled pairs and their images, by position. images() is safe to call from many threads.
class PairImageSource {
 public:
  virtual ~PairImageSource() = default;
  virtual std::size_t size() const = 0;
  virtual int images_per_pair() const = 0;
  /// The pair's TF and target ids (rows, or ids of names in a file) and its label.
  virtual const LabelledPair& pair(std::size_t i) const = 0;
  /// Writes the pair's images_per_pair() * 1024 floats.
  virtual void images(std::size_t i, float* out) const = 0;
  /// Cells the images are histograms of, or 0 when they cannot be rebuilt from a resample of
  /// the cells (images read from a file).
  virtual std::size_t cell_count() const { return 0; }
  /// The pair's images built from a bootstrap replicate of the cells (a CellSample of
  /// cell_count() cells; ImageContext::image); throws where cell_count() is 0.
  virtual void resampled_images(std::size_t i, float* out, const CellSample& cells) const;
  /// The context the images are built from, or null when they are read from a file.
  virtual const ImageContext* context() const { return nullptr; }
  /// The per-gene images appended to each pair's (GeneImagePairs), or null when there are none.
  virtual const GeneImageLookup* gene_images() const { return nullptr; }
  /// All pairs, in order.
  std::vector<LabelledPair> pairs() const;
};

/// Images built on the fly from an ImageContext (which must outlive this object); with
/// `primary_only`, just each pair's primary image I(a, b) (CNNC's input) from the same context.
class ContextPairImages : public PairImageSource {
 public:
  ContextPairImages(const ImageContext& ctx, std::vector<LabelledPair> pairs, bool primary_only = false)
      : ctx_(ctx), pairs_(std::move(pairs)), primary_only_(primary_only) {}
  std::size_t size() const override { return pairs_.size(); }
  int images_per_pair() const override { return primary_only_ ? 1 : ctx_.images_per_pair(); }
  const LabelledPair& pair(std::size_t i) const override { return pairs_[i]; }
  void images(std::size_t i, float* out) const override { build(i, out, nullptr); }
  std::size_t cell_count() const override { return ctx_.n_cells(); }
  const ImageContext* context() const override { return &ctx_; }
  void resampled_images(std::size_t i, float* out, const CellSample& cells) const override { build(i, out, &cells); }

 private:
  void build(std::size_t i, float* out, const CellSample* cells) const {
    if (primary_only_) ctx_.image(pairs_[i].tf, pairs_[i].target, out, cells);
    else ctx_.pair_images(pairs_[i].tf, pairs_[i].target, out, cells);
  }

  const ImageContext& ctx_;
  std::vector<LabelledPair> pairs_;
  bool primary_only_;
};

/// Images read pair by pair from a drim-images HDF5 file (which must have labels). TF and
/// target ids number the names in order of first appearance; names() maps them back.
class FilePairImages : public PairImageSource {
 public:
  explicit FilePairImages(const std::string& path);
  ~FilePairImages() override;
  std::size_t size() const override { return pairs_.size(); }
  int images_per_pair() const override { return images_per_pair_; }
  const LabelledPair& pair(std::size_t i) const override { return pairs_[i]; }
  void images(std::size_t i, float* out) const override;
  const std::vector<std::string>& names() const { return names_; }
  /// The file's integer attribute `name`, or `fallback`.
  long long attribute(const std::string& name, long long fallback) const;

 private:
  struct Handles;
  std::unique_ptr<Handles> h_;
  std::string path_;
  int images_per_pair_ = 0;
  std::vector<LabelledPair> pairs_;
  std::vector<std::string> names_;
};

}  // namespace drim
