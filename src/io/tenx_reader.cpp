// 10x Genomics HDF5: v3 (/matrix with features/) and v2 (one group per genome).
#include "drim/error.hpp"
#include "io/hdf5_util.hpp"
#include "io/readers.hpp"

namespace drim::detail {

namespace {

/// The v2 layout: a group per genome holding barcodes, gene_names, genes, data, indices, indptr, shape.
std::string v2_genome(hid_t file) {
  H5G_info_t info;
  if (H5Gget_info(file, &info) < 0) return "";
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char name[1024];
    if (H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0) continue;
    if (is_group(file, name) && path_exists(file, std::string(name) + "/gene_names") && path_exists(file, std::string(name) + "/indptr"))
      return name;
  }
  return "";
}

}  // namespace

void keep_feature_type(Expression& expr, const std::vector<std::string>& types, const std::string& wanted,
                       const std::string& where) {
  std::vector<bool> keep(types.size());
  std::size_t kept = 0;
  for (std::size_t g = 0; g < types.size(); ++g) kept += keep[g] = types[g] == wanted;
  if (kept == 0) throw Error(where + ": no feature of type " + quote(wanted) + " (--feature-type; 'all' keeps every feature)");
  if (kept < types.size()) expr = keep_genes(expr, keep);
}

bool is_10x(hid_t file) { return is_group(file, "matrix") || !v2_genome(file).empty(); }

Expression read_10x(const std::string& path, const ReadExpressionOptions& opts) {
  auto lock = hdf5_lock();
  H5Id file = open_file_ro(path);
  const bool v3 = is_group(file, "matrix");
  const std::string genome = v3 ? "matrix" : v2_genome(file);
  if (genome.empty())
    throw Error(path + ": neither '/matrix' (10x v3) nor a genome group with gene_names (10x v2); not a 10x Genomics .h5");
  const std::string ids = v3 ? "features/id" : "genes", symbols = v3 ? "features/name" : "gene_names";
  const std::string& col = opts.gene_column.empty() ? "symbols" : opts.gene_column;
  if (col != "symbols" && col != "ids") throw Error("--gene-column " + quote(col) + " for a 10x file must be symbols or ids");
  H5Id m(H5Gopen2(file, genome.c_str(), H5P_DEFAULT));
  const std::string at = path + ": /" + genome;
  auto shape = read_vector<std::int64_t>(open_dataset(m, "shape", path, "10x matrix shape"), at + "/shape");
  if (shape.size() != 2) throw Error(at + "/shape must hold 2 numbers (genes, cells)");
  Expression expr;
  const std::string& names = col == "ids" ? ids : symbols;
  expr.genes = read_strings(open_dataset(m, names, path, "10x gene names"), at + "/" + names);
  expr.cells = read_strings(open_dataset(m, "barcodes", path, "10x cell barcodes"), at + "/barcodes");
  if (static_cast<std::int64_t>(expr.n_genes()) != shape[0] || static_cast<std::int64_t>(expr.n_cells()) != shape[1])
    throw Error(at + "/shape (" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ") does not match " +
                std::to_string(expr.n_genes()) + " features and " + std::to_string(expr.n_cells()) + " barcodes");
  auto data = read_vector<double>(open_dataset(m, "data", path, "10x values"), at + "/data");
  auto indices = read_vector<std::int64_t>(open_dataset(m, "indices", path, "10x gene indices"), at + "/indices");
  auto indptr = read_vector<std::int64_t>(open_dataset(m, "indptr", path, "10x cell pointers"), at + "/indptr");
  sparse_to_dense(data, indices, indptr, /*major_is_cells=*/true, expr, at);
  if (v3 && opts.feature_type != "all" && path_exists(m, "features/feature_type")) {
    auto types = read_strings(open_dataset(m, "features/feature_type", path, "10x feature types"), at + "/features/feature_type");
    keep_feature_type(expr, types, opts.feature_type, at);
  }
  return expr;
}

}  // namespace drim::detail
