#include "drim/images_writer.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <type_traits>

#include <zlib.h>

#include "drim/error.hpp"
#include "io/hdf5_util.hpp"
#include "drim/temp_path.hpp"

namespace drim {

using detail::H5Id;

struct ImagesWriter::State {
  explicit State(const std::string& p) : path(p), tmp(p) {}
  std::string path;
  TempPath tmp;
  ImagesFileOptions opts;
  bool wide = false;  // counts stored as uint32
  H5Id file, images;
};

ImagesWriter::ImagesWriter(const std::string& path, const ImagesFileOptions& opts) : s_(new State(path)) {
  s_->opts = opts;
  if (opts.compression < 0 || opts.compression > 9)
    throw Error("compression level " + quote(std::to_string(opts.compression)) + " must be in 0..9");
  const bool counts = opts.storage == ImageStorage::counts;
  if (counts && opts.pixel_lut.empty()) throw Error("images writer: counts need the pixel lookup table");
  s_->wide = opts.pixel_lut.size() > 65536;
  auto lock = detail::hdf5_lock();
  H5Id fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (counts) H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST);  // the table may pass 64 KiB
  s_->file = H5Id(H5Fcreate(s_->tmp.path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl));
  if (!s_->file.valid()) throw Error("cannot create output file " + quote(path) + " (is the folder writable?)");
  hsize_t dims[4] = {opts.n_pairs, static_cast<hsize_t>(opts.images_per_pair), 32, 32};
  H5Id space(H5Screate_simple(4, dims, nullptr));
  H5Id dcpl = detail::dataset_plist();
  if (opts.n_pairs > 0) {
    hsize_t chunk[4] = {1, dims[1], 32, 32};
    H5Pset_chunk(dcpl, 4, chunk);
    if (opts.compression > 0) {
      H5Pset_shuffle(dcpl);
      H5Pset_deflate(dcpl, opts.compression);
    }
  }
  hid_t ftype = !counts ? H5T_IEEE_F32LE : s_->wide ? H5T_STD_U32LE : H5T_STD_U16LE;
  s_->images = H5Id(H5Dcreate2(s_->file, "images", ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  if (!s_->images.valid()) throw Error("cannot create dataset 'images' in " + quote(path));
  if (counts) {
    detail::write_float_array_attr(s_->images, "pixel_lut", opts.pixel_lut);
    detail::write_string_attr(s_->images, "decode", "pixels = pixel_lut[images]");
  }
  for (const auto& [k, v] : opts.attrs) detail::write_string_attr(s_->file, k, v);
  for (const auto& [k, v] : opts.int_attrs) detail::write_int_attr(s_->file, k, v);
}

ImagesWriter::~ImagesWriter() {
  if (!s_) return;
  auto lock = detail::hdf5_lock();
  s_->images.reset();
  s_->file.reset();
}

namespace {

/// One chunk as the dataset stores it, values converted to Out: raw little-endian bytes at
/// level 0, else as HDF5's shuffle + deflate filters would store it.
template <typename Out, typename In>
std::vector<unsigned char> encode_chunk(const In* values, std::size_t n, int level) {
  if (level == 0) {
    std::vector<unsigned char> raw(n * sizeof(Out));
    for (std::size_t i = 0; i < n; ++i) {
      const Out v = static_cast<Out>(values[i]);
      std::memcpy(raw.data() + i * sizeof(Out), &v, sizeof(Out));
    }
    return raw;
  }
  using Bits = std::conditional_t<sizeof(Out) == 4, std::uint32_t, std::uint16_t>;
  thread_local std::vector<Bits> bits;
  thread_local std::vector<unsigned char> shuffled;
  const std::size_t bytes = n * sizeof(Out);
  bits.resize(n);
  shuffled.resize(bytes);
  Bits* __restrict bp = bits.data();
  unsigned char* __restrict sp = shuffled.data();
  for (std::size_t i = 0; i < n; ++i) {
    const Out v = static_cast<Out>(values[i]);
    std::memcpy(bp + i, &v, sizeof(Out));
  }
  for (std::size_t b = 0; b < sizeof(Out); ++b)  // byte planes, little-endian order as HDF5's shuffle
    for (std::size_t i = 0; i < n; ++i) sp[b * n + i] = static_cast<unsigned char>(bp[i] >> (8 * b));
  // Run-length deflate: the images are mostly runs of one value (the empty bin), and it is faster
  // and smaller here than zlib's level 1 or libdeflate; any inflate reads it (h5py, no plugins).
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK) throw Error("zlib failed to start compressing an image chunk");
  std::vector<unsigned char> out(deflateBound(&z, bytes));
  z.next_in = shuffled.data();
  z.avail_in = static_cast<uInt>(bytes);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error("zlib failed to compress an image chunk");
  return out;
}

}  // namespace

ImagesWriter::Chunk ImagesWriter::encode(const float* pair) const {
  if (s_->opts.storage != ImageStorage::pixels) throw Error("images writer: this file stores counts, not pixels");
  return encode_chunk<float>(pair, static_cast<std::size_t>(s_->opts.images_per_pair) * 1024, s_->opts.compression);
}

ImagesWriter::Chunk ImagesWriter::encode(const std::uint32_t* pair) const {
  if (s_->opts.storage != ImageStorage::counts) throw Error("images writer: this file stores pixels, not counts");
  const std::size_t n = static_cast<std::size_t>(s_->opts.images_per_pair) * 1024;
  return s_->wide ? encode_chunk<std::uint32_t>(pair, n, s_->opts.compression)
                  : encode_chunk<std::uint16_t>(pair, n, s_->opts.compression);
}

void ImagesWriter::write_encoded(std::size_t first, const std::vector<Chunk>& chunks) {
  if (first + chunks.size() > s_->opts.n_pairs) throw Error("images writer: pairs beyond the declared count");
  auto lock = detail::hdf5_lock();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    hsize_t offset[4] = {first + i, 0, 0, 0};
    if (H5Dwrite_chunk(s_->images, H5P_DEFAULT, 0, offset, chunks[i].size(), chunks[i].data()) < 0)
      throw Error("cannot write images to " + quote(s_->path) + " (disk full?)");
  }
}

template <typename T>
void ImagesWriter::write_pairs(std::size_t first, std::size_t count, const T* values) {
  const bool counts = std::is_same_v<T, std::uint32_t>;
  if (counts != (s_->opts.storage == ImageStorage::counts))
    throw Error(counts ? "images writer: this file stores pixels, not counts" : "images writer: this file stores counts, not pixels");
  const std::size_t per_pair = static_cast<std::size_t>(s_->opts.images_per_pair) * 1024;
  std::vector<Chunk> chunks(count);
  std::exception_ptr failed;
#pragma omp parallel for schedule(dynamic, 4)
  for (long i = 0; i < static_cast<long>(count); ++i) {
    try {
      chunks[i] = encode(values + i * per_pair);
    } catch (...) {
#pragma omp critical(drim_images_writer)
      failed = std::current_exception();
    }
  }
  if (failed) std::rethrow_exception(failed);
  write_encoded(first, chunks);
}

void ImagesWriter::write(std::size_t first, std::size_t count, const float* images) { write_pairs(first, count, images); }

void ImagesWriter::write_counts(std::size_t first, std::size_t count, const std::uint32_t* counts) {
  write_pairs(first, count, counts);
}

void ImagesWriter::finish(const std::vector<std::string>& tf, const std::vector<std::string>& target,
                          const std::vector<std::int8_t>& label) {
  {
    auto lock = detail::hdf5_lock();
    detail::write_strings(s_->file, "tf", tf);
    detail::write_strings(s_->file, "target", target);
    if (!label.empty()) {
      hsize_t n = label.size();
      H5Id space(H5Screate_simple(1, &n, nullptr));
      H5Id d(H5Dcreate2(s_->file, "label", H5T_STD_I8LE, space, H5P_DEFAULT, detail::dataset_plist(), H5P_DEFAULT));
      if (H5Dwrite(d, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, label.data()) < 0)
        throw Error("cannot write labels to " + quote(s_->path));
    }
    s_->images.reset();
    if (H5Fflush(s_->file, H5F_SCOPE_GLOBAL) < 0) throw Error("cannot flush " + quote(s_->path));
    s_->file.reset();
  }
  s_->tmp.commit();
}

}  // namespace drim
