#include "drim/images_writer.hpp"

#include <algorithm>
#include <cstring>

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
  H5Id file, images;
};

ImagesWriter::ImagesWriter(const std::string& path, const ImagesFileOptions& opts) : s_(new State(path)) {
  s_->opts = opts;
  if (opts.compression < 0 || opts.compression > 9)
    throw Error("compression level " + quote(std::to_string(opts.compression)) + " must be in 0..9");
  auto lock = detail::hdf5_lock();
  s_->file = H5Id(H5Fcreate(s_->tmp.path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
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
  s_->images = H5Id(H5Dcreate2(s_->file, "images", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  if (!s_->images.valid()) throw Error("cannot create dataset 'images' in " + quote(path));
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

/// One chunk as HDF5's shuffle + deflate filters would store it.
std::vector<unsigned char> encode_chunk(const float* values, std::size_t n, int level) {
  const std::size_t bytes = n * sizeof(float);
  std::vector<unsigned char> shuffled(bytes);
  const auto* raw = reinterpret_cast<const unsigned char*>(values);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < sizeof(float); ++b) shuffled[b * n + i] = raw[i * sizeof(float) + b];
  uLongf out_len = compressBound(bytes);
  std::vector<unsigned char> out(out_len);
  if (compress2(out.data(), &out_len, shuffled.data(), bytes, level) != Z_OK) throw Error("zlib failed to compress an image chunk");
  out.resize(out_len);
  return out;
}

}  // namespace

void ImagesWriter::write(std::size_t first, std::size_t count, const float* images) {
  if (count == 0) return;
  if (first + count > s_->opts.n_pairs) throw Error("images writer: pairs beyond the declared count");
  if (s_->opts.compression > 0) {
    const std::size_t per_pair = static_cast<std::size_t>(s_->opts.images_per_pair) * 1024;
    std::vector<std::vector<unsigned char>> chunks(count);
#pragma omp parallel for schedule(dynamic, 4)
    for (long i = 0; i < static_cast<long>(count); ++i)
      chunks[i] = encode_chunk(images + i * per_pair, per_pair, s_->opts.compression);
    auto lock = detail::hdf5_lock();
    for (std::size_t i = 0; i < count; ++i) {
      hsize_t offset[4] = {first + i, 0, 0, 0};
      if (H5Dwrite_chunk(s_->images, H5P_DEFAULT, 0, offset, chunks[i].size(), chunks[i].data()) < 0)
        throw Error("cannot write images to " + quote(s_->path) + " (disk full?)");
    }
    return;
  }
  auto lock = detail::hdf5_lock();
  H5Id fspace(H5Dget_space(s_->images));
  hsize_t start[4] = {first, 0, 0, 0};
  hsize_t cnt[4] = {count, static_cast<hsize_t>(s_->opts.images_per_pair), 32, 32};
  H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, cnt, nullptr);
  H5Id mspace(H5Screate_simple(4, cnt, nullptr));
  if (H5Dwrite(s_->images, H5T_NATIVE_FLOAT, mspace, fspace, H5P_DEFAULT, images) < 0)
    throw Error("cannot write images to " + quote(s_->path) + " (disk full?)");
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
