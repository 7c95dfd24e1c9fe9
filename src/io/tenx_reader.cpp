#include "drim/error.hpp"
#include "io/hdf5_util.hpp"
#include "io/readers.hpp"

namespace drim::detail {

Expression read_10x(const std::string& path) {
  auto lock = hdf5_lock();
  H5Id file = open_file_ro(path);
  if (!is_group(file, "matrix"))
    throw Error(path + ": no group '/matrix' (expected a 10x Genomics v3 filtered_feature_bc_matrix.h5)");
  H5Id m(H5Gopen2(file, "matrix", H5P_DEFAULT));
  auto shape = read_vector<std::int64_t>(open_dataset(m, "shape", path, "10x matrix shape"), path + ": /matrix/shape");
  if (shape.size() != 2) throw Error(path + ": /matrix/shape must hold 2 numbers (genes, cells)");
  Expression expr;
  expr.genes = read_strings(open_dataset(m, "features/name", path, "10x feature names"), path + ": /matrix/features/name");
  expr.cells = read_strings(open_dataset(m, "barcodes", path, "10x cell barcodes"), path + ": /matrix/barcodes");
  if (static_cast<std::int64_t>(expr.n_genes()) != shape[0] || static_cast<std::int64_t>(expr.n_cells()) != shape[1])
    throw Error(path + ": /matrix/shape (" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) +
                ") does not match " + std::to_string(expr.n_genes()) + " features and " + std::to_string(expr.n_cells()) + " barcodes");
  auto data = read_vector<double>(open_dataset(m, "data", path, "10x values"), path + ": /matrix/data");
  auto indices = read_vector<std::int64_t>(open_dataset(m, "indices", path, "10x gene indices"), path + ": /matrix/indices");
  auto indptr = read_vector<std::int64_t>(open_dataset(m, "indptr", path, "10x cell pointers"), path + ": /matrix/indptr");
  sparse_to_dense(data, indices, indptr, /*major_is_cells=*/true, expr, path + ": /matrix");
  return expr;
}

}  // namespace drim::detail
