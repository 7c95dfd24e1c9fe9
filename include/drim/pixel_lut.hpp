#pragma once
#include <cstddef>
#include <vector>

namespace drim {

/// Maps a histogram count to its DeepDRIM pixel, (log10(count / n_cells + 1e-4) + 4) / 4,
/// computed in double and stored as float32, for every count in [0, n_cells].
class PixelLut {
 public:
  explicit PixelLut(std::size_t n_cells);
  float operator()(std::size_t count) const { return table_[count]; }
  std::size_t n_cells() const { return table_.size() - 1; }
  /// The whole table, entry k for count k.
  const std::vector<float>& table() const { return table_; }

 private:
  std::vector<float> table_;
};

}  // namespace drim
