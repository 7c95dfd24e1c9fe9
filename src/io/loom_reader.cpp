// Loom (loompy): /matrix genes x cells, gene names in /row_attrs, cell names in /col_attrs.
#include "drim/error.hpp"
#include "io/hdf5_util.hpp"
#include "io/readers.hpp"

namespace drim::detail {

namespace {

std::vector<std::string> first_attr(hid_t file, const std::string& group, const std::vector<std::string>& names,
                                    const std::string& path, const std::string& what) {
  for (const auto& n : names)
    if (path_exists(file, group + "/" + n)) return read_strings(open_dataset(file, group + "/" + n, path, what), path + ": /" + group + "/" + n);
  std::string tried;
  for (const auto& n : names) tried += (tried.empty() ? "" : ", ") + n;
  throw Error(path + ": no " + what + " in /" + group + " (tried " + tried + ")");
}

}  // namespace

Expression read_loom(const std::string& path, const ReadExpressionOptions& opts) {
  auto lock = hdf5_lock();
  H5Id file = open_file_ro(path);
  H5Id m = open_dataset(file, "matrix", path, "the loom matrix (genes x cells)");
  Expression expr;
  expr.genes = opts.gene_column.empty() ? first_attr(file, "row_attrs", {"Gene", "gene", "gene_names", "var_names"}, path, "gene names")
                                        : first_attr(file, "row_attrs", {opts.gene_column}, path, "gene-name column (--gene-column)");
  expr.cells = first_attr(file, "col_attrs", {"CellID", "cell_names", "obs_names", "cell"}, path, "cell names");
  auto dims = dataset_dims(m);
  if (dims.size() != 2 || dims[0] != expr.n_genes() || dims[1] != expr.n_cells())
    throw Error(path + ": /matrix must be genes x cells (" + std::to_string(expr.n_genes()) + " x " + std::to_string(expr.n_cells()) + ")");
  expr.values.resize(expr.n_genes() * expr.n_cells());
  read_rows_f64(m, 0, dims[0], dims[1], expr.values.data());
  return expr;
}

}  // namespace drim::detail
