#include "drim/spatial/gene_maps_io.hpp"

#include <algorithm>

#include "drim/error.hpp"
#include "drim/temp_path.hpp"
#include "io/hdf5_util.hpp"

namespace drim::spatial {

using detail::H5Id;

GeneMaps read_gene_maps(const std::string& path) {
  auto lock = detail::hdf5_lock();
  H5Id file = detail::open_file_ro(path);
  H5Id images = detail::open_dataset(file, "images", path, "the gene images, [genes, channels, height, width]");
  const auto dims = detail::dataset_dims(images);
  if (dims.size() != 3 && dims.size() != 4)
    throw Error(quote(path) + ": 'images' has " + std::to_string(dims.size()) +
                " dimensions; expected [genes, channels, height, width] or [genes, height, width]");
  H5Id names = detail::open_dataset(file, "genes", path, "the gene of each image, strings");
  GeneMaps maps;
  maps.genes = detail::read_strings(names, quote(path) + " 'genes'");
  if (maps.genes.size() != dims[0])
    throw Error(quote(path) + ": " + std::to_string(maps.genes.size()) + " gene names for " + std::to_string(dims[0]) + " images");
  maps.channels = dims.size() == 4 ? static_cast<int>(dims[1]) : 1;
  maps.height = static_cast<int>(dims[dims.size() - 2]);
  maps.width = static_cast<int>(dims[dims.size() - 1]);
  maps.values.resize(maps.n_genes() * maps.pixels());
  if (!maps.values.empty() && H5Dread(images, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, maps.values.data()) < 0)
    throw Error(quote(path) + ": cannot read 'images' as numbers");
  validate_gene_maps(maps, quote(path));
  return maps;
}

void write_gene_maps(const GeneMaps& maps, const std::string& path) {
  validate_gene_maps(maps, "gene maps for " + quote(path));
  TempPath tmp(path);
  {
    auto lock = detail::hdf5_lock();
    H5Id file(H5Fcreate(tmp.path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    if (!file.valid()) throw Error("cannot create " + quote(path));
    hsize_t dims[4] = {maps.n_genes(), static_cast<hsize_t>(maps.channels), static_cast<hsize_t>(maps.height),
                       static_cast<hsize_t>(maps.width)};
    H5Id space(H5Screate_simple(4, dims, nullptr));
    H5Id dcpl = detail::dataset_plist();
    if (maps.n_genes() > 0) {
      hsize_t chunk[4] = {std::min<hsize_t>(dims[0], 64), dims[1], dims[2], dims[3]};
      H5Pset_chunk(dcpl, 4, chunk);
      H5Pset_deflate(dcpl, 4);
    }
    H5Id d(H5Dcreate2(file, "images", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
    if (!d.valid() || (maps.n_genes() > 0 && H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, maps.values.data()) < 0))
      throw Error("cannot write the images to " + quote(path));
    detail::write_strings(file, "genes", maps.genes);
    H5Fflush(file, H5F_SCOPE_GLOBAL);
  }
  tmp.commit();
}

std::vector<double> read_obsm(const std::string& path, const std::string& name, std::size_t cells, std::size_t& cols) {
  auto lock = detail::hdf5_lock();
  H5Id file = detail::open_file_ro(path);
  H5Id d = detail::open_dataset(file, "obsm/" + name, path, "per-cell coordinates, [cells, 2]");
  const auto dims = detail::dataset_dims(d);
  if (dims.size() != 2 || dims[0] != cells)
    throw Error(quote(path) + ": obsm/" + name + " should be [" + std::to_string(cells) + " cells, columns], it is " +
                (dims.size() == 2 ? "[" + std::to_string(dims[0]) + ", " + std::to_string(dims[1]) + "]" : std::to_string(dims.size()) + "-D"));
  cols = dims[1];
  std::vector<double> out(cells * cols);
  if (cells > 0) detail::read_rows_f64(d, 0, cells, cols, out.data());
  return out;
}

std::vector<double> read_spatial_xy(const std::string& path, const std::string& key, std::size_t cells) {
  std::size_t cols = 0;
  std::vector<double> all = read_obsm(path, key, cells, cols);
  if (cols < 2) throw Error(quote(path) + ": obsm/" + key + " has " + std::to_string(cols) + " column; expected x and y");
  if (cols == 2) return all;
  std::vector<double> xy(2 * cells);
  for (std::size_t c = 0; c < cells; ++c) xy[2 * c] = all[c * cols], xy[2 * c + 1] = all[c * cols + 1];
  return xy;
}

}  // namespace drim::spatial
