#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace drim {

/// What the `images` dataset holds.
enum class ImageStorage {
  pixels,  ///< float32 pixels, ready to use
  counts,  ///< uint16 histogram counts (uint32 past 65,535 cells); pixel = pixel_lut[count]
};

/// Layout and provenance of an images file.
struct ImagesFileOptions {
  std::size_t n_pairs = 0;
  int images_per_pair = 23;
  int compression = 1;                       ///< gzip level 0-9 (0 = none), with byte shuffle
  ImageStorage storage = ImageStorage::pixels;
  std::vector<float> pixel_lut;              ///< counts only: count -> pixel, stored as the attribute `pixel_lut`
  std::map<std::string, std::string> attrs;  ///< string attributes recorded on the root
  std::map<std::string, long long> int_attrs;  ///< integer attributes recorded on the root
};

/// Streams pair images into one HDF5 file: `images` [pairs, images, 32, 32] (chunked per pair,
/// shuffled and deflated in parallel), float32 pixels or integer counts with the attribute
/// `pixel_lut`; then `tf`, `target` strings and `label` int8 at finish(). Writes to a temporary
/// name; the final path appears only when finish() succeeds.
class ImagesWriter {
 public:
  ImagesWriter(const std::string& path, const ImagesFileOptions& opts);
  ~ImagesWriter();
  ImagesWriter(const ImagesWriter&) = delete;
  ImagesWriter& operator=(const ImagesWriter&) = delete;

  /// Writes `count` pairs starting at pair `first` (count * images_per_pair * 1024 floats).
  void write(std::size_t first, std::size_t count, const float* images);
  /// The same for counts (storage counts): count * images_per_pair * 1024 counts, each at most
  /// pixel_lut.size() - 1.
  void write_counts(std::size_t first, std::size_t count, const std::uint32_t* counts);

  /// One pair as stored on disk (converted, shuffled, deflated). Thread-safe, no HDF5 call: lets
  /// callers build and encode each pair on the same thread, then write_encoded() in order.
  using Chunk = std::vector<unsigned char>;
  Chunk encode(const float* pair) const;
  Chunk encode(const std::uint32_t* pair) const;
  /// Writes encoded pairs first, first + 1, ...
  void write_encoded(std::size_t first, const std::vector<Chunk>& chunks);
  /// Writes names and labels (labels may be empty), closes and renames the file.
  void finish(const std::vector<std::string>& tf, const std::vector<std::string>& target,
              const std::vector<std::int8_t>& label);

 private:
  template <typename T>
  void write_pairs(std::size_t first, std::size_t count, const T* values);
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace drim
