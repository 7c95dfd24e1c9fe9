#include "drim/pair_images.hpp"

#include <unordered_map>

#include "drim/error.hpp"
#include "io/hdf5_util.hpp"

namespace drim {

using detail::H5Id;

std::vector<LabelledPair> PairImageSource::pairs() const {
  std::vector<LabelledPair> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) out.push_back(pair(i));
  return out;
}

void PairImageSource::resampled_images(std::size_t, float*, const CellSample&) const {
  throw Error("these images cannot be rebuilt from a resample of the cells (they were read from a file); "
              "train without --resample-cells, or from the expression matrix");
}

struct FilePairImages::Handles {
  H5Id file, images;
  std::vector<float> lut;  // non-empty when the file stores counts
};

FilePairImages::FilePairImages(const std::string& path) : h_(new Handles), path_(path) {
  auto lock = detail::hdf5_lock();
  h_->file = detail::open_file_ro(path);
  h_->images = detail::open_dataset(h_->file, "images", path, "written by drim-images");
  auto dims = detail::dataset_dims(h_->images);
  if (dims.size() != 4 || dims[2] != 32 || dims[3] != 32)
    throw Error(path + ": 'images' must be [pairs, images, 32, 32]");
  images_per_pair_ = static_cast<int>(dims[1]);
  H5Id type(H5Dget_type(h_->images));
  if (H5Tget_class(type) == H5T_INTEGER) {
    auto lut = detail::read_float_attr(h_->images, "pixel_lut");
    if (!lut || lut->empty())
      throw Error(path + ": 'images' holds counts but has no 'pixel_lut' attribute (was it written by drim-images --store counts?)");
    h_->lut = std::move(*lut);
  }
  auto tf = detail::read_strings(detail::open_dataset(h_->file, "tf", path, "TF names"), path + ": tf");
  auto target = detail::read_strings(detail::open_dataset(h_->file, "target", path, "target names"), path + ": target");
  if (!detail::path_exists(h_->file, "label"))
    throw Error(path + ": no 'label' dataset; make the images from labelled pairs ('tf target label') to train on them");
  auto label = detail::read_vector<std::int64_t>(detail::open_dataset(h_->file, "label", path, "labels"), path + ": label");
  if (tf.size() != dims[0] || target.size() != dims[0] || label.size() != dims[0])
    throw Error(path + ": tf, target and label must have one entry per pair (" + std::to_string(dims[0]) + ")");
  std::unordered_map<std::string, int> ids;
  auto id = [&](const std::string& n) {
    auto [it, fresh] = ids.emplace(n, static_cast<int>(names_.size()));
    if (fresh) names_.push_back(n);
    return it->second;
  };
  for (std::size_t i = 0; i < dims[0]; ++i) {
    if (label[i] != 0 && label[i] != 1) throw Error(path + ": label " + std::to_string(label[i]) + " of pair " + std::to_string(i) + " is not 0 or 1");
    pairs_.push_back({id(tf[i]), id(target[i]), static_cast<int>(label[i])});
  }
}

FilePairImages::~FilePairImages() {
  auto lock = detail::hdf5_lock();
  h_.reset();
}

long long FilePairImages::attribute(const std::string& name, long long fallback) const {
  auto lock = detail::hdf5_lock();
  auto v = detail::read_int_attr(h_->file, name);
  return v && !v->empty() ? (*v)[0] : fallback;
}

void FilePairImages::images(std::size_t i, float* out) const {
  auto lock = detail::hdf5_lock();
  H5Id fspace(H5Dget_space(h_->images));
  hsize_t start[4] = {i, 0, 0, 0}, count[4] = {1, static_cast<hsize_t>(images_per_pair_), 32, 32};
  H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, count, nullptr);
  H5Id mspace(H5Screate_simple(4, count, nullptr));
  if (h_->lut.empty()) {
    if (H5Dread(h_->images, H5T_NATIVE_FLOAT, mspace, fspace, H5P_DEFAULT, out) < 0)
      throw Error(path_ + ": cannot read the images of pair " + std::to_string(i));
    return;
  }
  thread_local std::vector<std::uint32_t> counts;
  counts.resize(static_cast<std::size_t>(images_per_pair_) * 1024);
  if (H5Dread(h_->images, H5T_NATIVE_UINT32, mspace, fspace, H5P_DEFAULT, counts.data()) < 0)
    throw Error(path_ + ": cannot read the images of pair " + std::to_string(i));
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] >= h_->lut.size())
      throw Error(path_ + ": count " + std::to_string(counts[k]) + " in pair " + std::to_string(i) + " is past the end of 'pixel_lut' (" +
                  std::to_string(h_->lut.size()) + " entries)");
    out[k] = h_->lut[counts[k]];
  }
}

}  // namespace drim
