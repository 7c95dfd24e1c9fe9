#include <algorithm>

#include "drim/error.hpp"
#include "drim/expression_io.hpp"
#include "io/hdf5_util.hpp"
#include "drim/temp_path.hpp"

namespace drim {
namespace {

using detail::H5Id;

void write_dataframe(hid_t file, const std::string& name, const std::vector<std::string>& index) {
  H5Id g = detail::create_group(file, name);
  detail::write_string_attr(g, "encoding-type", "dataframe");
  detail::write_string_attr(g, "encoding-version", "0.2.0");
  detail::write_string_attr(g, "_index", "_index");
  detail::write_string_array_attr(g, "column-order", {});
  H5Id d = detail::write_strings(g, "_index", index);
  detail::write_string_attr(d, "encoding-type", "string-array");
  detail::write_string_attr(d, "encoding-version", "0.2.0");
}

void write_empty_mapping(hid_t file, const std::string& name) {
  H5Id g = detail::create_group(file, name);
  detail::write_string_attr(g, "encoding-type", "dict");
  detail::write_string_attr(g, "encoding-version", "0.1.0");
}

/// A dense float64 [rows, cols] array named `name` in `parent`; `compress`: chunked and deflated.
void write_matrix(hid_t parent, const std::string& name, const std::vector<double>& values, hsize_t rows, hsize_t cols,
                  const std::string& path, bool compress) {
  hsize_t dims[2] = {rows, cols};
  H5Id space(H5Screate_simple(2, dims, nullptr));
  H5Id dcpl = detail::dataset_plist();
  if (compress) {
    hsize_t chunk[2] = {std::min<hsize_t>(rows, 256), std::min<hsize_t>(cols, 1024)};
    H5Pset_chunk(dcpl, 2, chunk);
    H5Pset_deflate(dcpl, 4);
  }
  H5Id x(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  if (!x.valid()) throw Error("cannot create " + name + " in " + quote(path));
  detail::write_string_attr(x, "encoding-type", "array");
  detail::write_string_attr(x, "encoding-version", "0.2.0");
  if (H5Dwrite(x, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw Error("cannot write " + name + " to " + quote(path));
}

/// A dense cells x genes float64 array named `name` in `parent`, from genes x cells `expr`.
void write_dense(hid_t parent, const std::string& name, const Expression& expr, const std::string& path) {
  const hsize_t C = expr.n_cells(), G = expr.n_genes();
  std::vector<double> cells_by_genes(C * G);
  for (hsize_t g = 0; g < G; ++g) {
    const double* r = expr.row(g);
    for (hsize_t c = 0; c < C; ++c) cells_by_genes[c * G + g] = r[c];
  }
  write_matrix(parent, name, cells_by_genes, C, G, path, true);
}

}  // namespace

void write_h5ad(const Expression& expr, const std::string& path) { write_h5ad(expr, path, {}, {}); }

void write_h5ad(const Expression& expr, const std::string& path, const std::vector<H5adLayer>& layers) {
  write_h5ad(expr, path, layers, {});
}

void write_h5ad(const Expression& expr, const std::string& path, const std::vector<H5adLayer>& layers,
                const std::vector<H5adObsm>& obsm) {
  for (const auto& m : obsm) {
    if (m.name.empty() || m.name.find('/') != std::string::npos)
      throw Error("bad obsm name " + quote(m.name) + ": expected a non-empty name without '/'");
    if (!m.values || m.cols == 0 || m.values->size() != expr.n_cells() * m.cols)
      throw Error("obsm " + quote(m.name) + " has " + std::to_string(m.values ? m.values->size() : 0) + " values, expected " +
                  std::to_string(expr.n_cells()) + " cells x " + std::to_string(m.cols));
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Expression& l = *layers[i].values;
    if (l.n_genes() != expr.n_genes() || l.n_cells() != expr.n_cells())
      throw Error("layer " + quote(layers[i].name) + " is " + std::to_string(l.n_genes()) + " x " + std::to_string(l.n_cells()) +
                  ", X is " + std::to_string(expr.n_genes()) + " x " + std::to_string(expr.n_cells()));
    if (layers[i].name.empty() || layers[i].name.find('/') != std::string::npos)
      throw Error("bad layer name " + quote(layers[i].name) + ": expected a non-empty name without '/'");
    for (std::size_t j = 0; j < i; ++j)
      if (layers[j].name == layers[i].name) throw Error("layer " + quote(layers[i].name) + " given twice");
  }
  TempPath tmp(path);
  {
    auto lock = detail::hdf5_lock();
    H5Id file(H5Fcreate(tmp.path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    if (!file.valid()) throw Error("cannot create " + quote(path));
    detail::write_string_attr(file, "encoding-type", "anndata");
    detail::write_string_attr(file, "encoding-version", "0.1.0");
    write_dataframe(file, "obs", expr.cells);
    write_dataframe(file, "var", expr.genes);
    for (const char* m : {"uns", "obsm", "varm", "obsp", "varp"}) write_empty_mapping(file, m);
    if (!obsm.empty()) {
      H5Id g(H5Gopen2(file, "obsm", H5P_DEFAULT));
      for (const auto& m : obsm) write_matrix(g, m.name, *m.values, expr.n_cells(), m.cols, path, false);
    }
    {
      H5Id g = detail::create_group(file, "layers");
      detail::write_string_attr(g, "encoding-type", "dict");
      detail::write_string_attr(g, "encoding-version", "0.1.0");
      for (const auto& l : layers) write_dense(g, l.name, *l.values, path);
    }
    write_dense(file, "X", expr, path);
    H5Fflush(file, H5F_SCOPE_GLOBAL);
  }
  tmp.commit();
}

}  // namespace drim
