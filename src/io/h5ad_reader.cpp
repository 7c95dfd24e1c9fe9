#include <algorithm>

#include "drim/error.hpp"
#include "io/hdf5_util.hpp"
#include "io/readers.hpp"

namespace drim::detail {
namespace {

/// Names of an AnnData dataframe's index: the dataset its `_index` attribute names.
std::vector<std::string> read_index(hid_t file, const std::string& group, const std::string& path) {
  if (!is_group(file, group)) throw Error(path + ": no group " + quote("/" + group) + " (AnnData " + group + " dataframe)");
  H5Id g(H5Gopen2(file, group.c_str(), H5P_DEFAULT));
  std::string name = read_string_attr(g, "_index").value_or("_index");
  H5Id d = open_dataset(g, name, path, "the dataset that " + group + "'s '_index' attribute names");
  return read_strings(d, path + ": /" + group + "/" + name);
}

/// The category of every row; `where` names the column in the error for a missing code (-1).
std::vector<std::string> decode_categories(const std::vector<std::string>& cats, const std::vector<std::int64_t>& codes,
                                           const std::string& where) {
  std::vector<std::string> out(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] < 0 || codes[i] >= static_cast<std::int64_t>(cats.size()))
      throw Error(where + " has a missing or out-of-range category code at row " + std::to_string(i + 1));
    out[i] = cats[codes[i]];
  }
  return out;
}

/// A string column of an AnnData dataframe: a string dataset, or a categorical column (a group
/// with categories and codes, anndata >= 0.8; or integer codes with __categories/NAME, older).
std::vector<std::string> read_column(hid_t file, const std::string& group, const std::string& column, const std::string& path) {
  const std::string at = group + "/" + column;
  if (!path_exists(file, at)) {
    throw Error(path + ": /" + group + " has no column " + quote(column) + " (--gene-column)");
  }
  if (is_group(file, at)) {
    if (!path_exists(file, at + "/categories") || !path_exists(file, at + "/codes"))
      throw Error(path + ": /" + at + " is a group but not a categorical column (no categories/codes)");
    auto cats = read_strings(open_dataset(file, at + "/categories", path, "categories"), path + ": /" + at + "/categories");
    auto codes = read_vector<std::int64_t>(open_dataset(file, at + "/codes", path, "codes"), path + ": /" + at + "/codes");
    return decode_categories(cats, codes, path + ": /" + at);
  }
  H5Id d = open_dataset(file, at, path, "a gene-name column");
  H5Id type(H5Dget_type(d));
  if (H5Tget_class(type) == H5T_STRING) return read_strings(d, path + ": /" + at);
  const std::string old_cats = group + "/__categories/" + column;
  if (!path_exists(file, old_cats)) throw Error(path + ": /" + at + " holds neither strings nor categories");
  auto cats = read_strings(open_dataset(file, old_cats, path, "categories"), path + ": /" + old_cats);
  return decode_categories(cats, read_vector<std::int64_t>(d, path + ": /" + at), path + ": /" + at);
}

}  // namespace

void sparse_to_dense(const std::vector<double>& data, const std::vector<std::int64_t>& indices,
                     const std::vector<std::int64_t>& indptr, bool major_is_cells, Expression& expr,
                     const std::string& where) {
  const std::size_t n_major = major_is_cells ? expr.n_cells() : expr.n_genes();
  const std::size_t n_minor = major_is_cells ? expr.n_genes() : expr.n_cells();
  if (indptr.size() != n_major + 1)
    throw Error(where + ": indptr has " + std::to_string(indptr.size()) + " entries, expected " + std::to_string(n_major + 1));
  if (data.size() != indices.size())
    throw Error(where + ": data has " + std::to_string(data.size()) + " entries but indices " + std::to_string(indices.size()));
  expr.values.assign(expr.n_genes() * expr.n_cells(), 0.0);
  for (std::size_t m = 0; m < n_major; ++m) {
    if (indptr[m] > indptr[m + 1] || indptr[m + 1] > static_cast<std::int64_t>(data.size()))
      throw Error(where + ": indptr is not non-decreasing within [0, " + std::to_string(data.size()) + "] at " + std::to_string(m));
    for (std::int64_t k = indptr[m]; k < indptr[m + 1]; ++k) {
      std::int64_t j = indices[k];
      if (j < 0 || j >= static_cast<std::int64_t>(n_minor))
        throw Error(where + ": index " + std::to_string(j) + " out of range [0, " + std::to_string(n_minor) + ")");
      std::size_t g = major_is_cells ? j : m, c = major_is_cells ? m : j;
      expr.values[g * expr.n_cells() + c] = data[k];
    }
  }
}

std::vector<std::string> numbered_names(const std::string& prefix, std::size_t n) {
  std::vector<std::string> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = prefix + std::to_string(i + 1);
  return v;
}

Expression read_h5ad(const std::string& path, const ReadExpressionOptions& opts) {
  auto lock = hdf5_lock();
  H5Id file = open_file_ro(path);
  // The matrix and the dataframe naming its genes: X with var, raw/X with raw/var, layers/L with var.
  const bool raw = opts.layer == "raw";
  const std::string matrix = opts.layer.empty() ? "X" : raw ? "raw/X" : "layers/" + opts.layer;
  const std::string var = raw ? "raw/var" : "var";
  Expression expr;
  expr.genes = opts.gene_column.empty() ? read_index(file, var, path) : read_column(file, var, opts.gene_column, path);
  expr.cells = read_index(file, "obs", path);
  const std::size_t G = expr.n_genes(), C = expr.n_cells();
  if (!path_exists(file, matrix)) {
    if (opts.layer.empty()) throw Error(path + ": no 'X' (the AnnData expression matrix)");
    throw Error(path + ": no " + quote("/" + matrix) + " (--layer " + opts.layer + ")");
  }
  const std::string at = path + ": /" + matrix;
  if (is_group(file, matrix)) {
    H5Id x(H5Gopen2(file, matrix.c_str(), H5P_DEFAULT));
    std::string enc = read_string_attr(x, "encoding-type").value_or(read_string_attr(x, "h5sparse_format").value_or(""));
    bool csr = enc == "csr_matrix" || enc == "csr";
    bool csc = enc == "csc_matrix" || enc == "csc";
    if (!csr && !csc) throw Error(at + " is a group of unknown encoding " + quote(enc) + " (expected csr_matrix or csc_matrix)");
    auto shape = read_int_attr(x, "shape");
    if (!shape) shape = read_int_attr(x, "h5sparse_shape");
    if (!shape || shape->size() != 2) throw Error(at + " has no 2-element 'shape' attribute");
    if ((*shape)[0] != static_cast<std::int64_t>(C) || (*shape)[1] != static_cast<std::int64_t>(G))
      throw Error(at + " shape (" + std::to_string((*shape)[0]) + ", " + std::to_string((*shape)[1]) +
                  ") does not match obs x " + var + " (" + std::to_string(C) + ", " + std::to_string(G) + ")");
    auto data = read_vector<double>(open_dataset(x, "data", path, "sparse X values"), at + "/data");
    auto indices = read_vector<std::int64_t>(open_dataset(x, "indices", path, "sparse X indices"), at + "/indices");
    auto indptr = read_vector<std::int64_t>(open_dataset(x, "indptr", path, "sparse X index pointers"), at + "/indptr");
    sparse_to_dense(data, indices, indptr, csr, expr, at);
    return expr;
  }

  H5Id x = open_dataset(file, matrix, path, "the AnnData expression matrix");
  auto dims = dataset_dims(x);
  if (dims.size() != 2 || dims[0] != C || dims[1] != G)
    throw Error(at + " must be cells x genes (" + std::to_string(C) + " x " + std::to_string(G) + ")");
  read_cells_by_genes(x, expr);
  return expr;
}

}  // namespace drim::detail
