#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace drim {

/// Layout and provenance of an images file.
struct ImagesFileOptions {
  std::size_t n_pairs = 0;
  int images_per_pair = 23;
  int compression = 1;                       ///< gzip level 0-9 (0 = none)
  std::map<std::string, std::string> attrs;  ///< string attributes recorded on the root
  std::map<std::string, long long> int_attrs;  ///< integer attributes recorded on the root
};

/// Streams pair images into one HDF5 file: `images` float32 [pairs, images, 32, 32] (chunked per
/// pair, compressed), then `tf`, `target` strings and `label` int8 at finish(). Writes to a
/// temporary name; the final path appears only when finish() succeeds.
class ImagesWriter {
 public:
  ImagesWriter(const std::string& path, const ImagesFileOptions& opts);
  ~ImagesWriter();
  ImagesWriter(const ImagesWriter&) = delete;
  ImagesWriter& operator=(const ImagesWriter&) = delete;

  /// Writes `count` pairs starting at pair `first` (count * images_per_pair * 1024 floats).
  void write(std::size_t first, std::size_t count, const float* images);
  /// Writes names and labels (labels may be empty), closes and renames the file.
  void finish(const std::vector<std::string>& tf, const std::vector<std::string>& target,
              const std::vector<std::int8_t>& label);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace drim
