// Expression matrices from numpy/scipy arrays or files, and DeepDRIM images as numpy arrays.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <omp.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "drim/error.hpp"
#include "drim/expression.hpp"
#include "drim/expression_io.hpp"
#include "drim/expression_view.hpp"
#include "drim/gene_index.hpp"
#include "drim/image_builder.hpp"
#include "drim/pairs.hpp"
#include "matrix.hpp"

namespace py = pybind11;

namespace drim::python {
namespace {

ValueType value_type(const py::dtype& d, const std::string& what) {
  const char k = d.kind();
  const auto size = d.itemsize();
  if (k == 'f' && size == 4) return ValueType::f32;
  if (k == 'f' && size == 8) return ValueType::f64;
  if (k == 'i' && size == 4) return ValueType::i32;
  if (k == 'i' && size == 8) return ValueType::i64;
  if (k == 'u' && size == 2) return ValueType::u16;
  if (k == 'u' && size == 4) return ValueType::u32;
  throw UsageError(what + " has dtype " + std::string(py::str(static_cast<const py::handle&>(d))) + "; give float32, float64 or integer values");
}

void check_names(const std::vector<std::string>& names, std::size_t n, const std::string& what) {
  if (names.size() != n)
    throw UsageError(std::to_string(names.size()) + " " + what + " names for " + std::to_string(n) + " " + what + "s of the matrix");
}

/// Names made unique if asked, then the whole matrix checked (names, finite non-negative values).
std::shared_ptr<PyMatrix> finish(std::shared_ptr<PyMatrix> m, bool make_unique) {
  if (make_unique) {
    make_names_unique(m->genes);
    make_names_unique(m->cells);
  }
  {
    py::gil_scoped_release release;
    validate_view(*m->view, m->genes, m->cells, m->source);
  }
  return m;
}

/// A view of a cells x genes dense array (any strides, float or integer), not copied.
std::shared_ptr<PyMatrix> from_dense(const py::array& x, std::vector<std::string> genes, std::vector<std::string> cells,
                                     const std::string& source, bool make_unique) {
  if (x.ndim() != 2) throw UsageError(source + ": the matrix must be 2-D (cells x genes), not " + std::to_string(x.ndim()) + "-D");
  const std::size_t nc = x.shape(0), ng = x.shape(1);
  check_names(genes, ng, "gene");
  check_names(cells, nc, "cell");
  auto m = std::make_shared<PyMatrix>();
  m->genes = std::move(genes);
  m->cells = std::move(cells);
  m->source = source;
  m->view = std::make_unique<DenseCellsByGenes>(x.data(), value_type(x.dtype(), source), nc, ng, x.strides(0), x.strides(1));
  m->keep.push_back(x);
  return finish(m, make_unique);
}

/// A view of a cells x genes CSR matrix (scipy's data, indices, indptr), not copied.
std::shared_ptr<PyMatrix> from_csr(const py::array& data, const py::array& indices, const py::array& indptr,
                                   std::vector<std::string> genes, std::vector<std::string> cells, const std::string& source,
                                   bool make_unique) {
  const std::size_t nc = cells.size(), ng = genes.size();
  auto index_wide = [&](const py::array& a, const char* what) {
    if (a.ndim() != 1 || a.dtype().kind() != 'i' || (a.dtype().itemsize() != 4 && a.dtype().itemsize() != 8) ||
        !(a.flags() & py::array::c_style))
      throw UsageError(source + ": " + what + " must be a contiguous 1-D int32 or int64 array");
    return a.dtype().itemsize() == 8;
  };
  const bool idx64 = index_wide(indices, "indices"), ptr64 = index_wide(indptr, "indptr");
  if (static_cast<std::size_t>(indptr.shape(0)) != nc + 1)
    throw UsageError(source + ": indptr must have one entry per cell plus one (" + std::to_string(nc + 1) + ")");
  if (data.ndim() != 1 || data.shape(0) != indices.shape(0) || !(data.flags() & py::array::c_style))
    throw UsageError(source + ": data must be a contiguous 1-D array as long as indices");
  auto m = std::make_shared<PyMatrix>();
  m->genes = std::move(genes);
  m->cells = std::move(cells);
  m->source = source;
  const ValueType t = value_type(data.dtype(), source);
  {
    py::gil_scoped_release release;
    m->view = std::make_unique<CsrCellsByGenes>(data.data(), t, indices.data(), idx64, indptr.data(), ptr64, nc, ng,
                                                static_cast<std::size_t>(data.shape(0)), source);
  }
  m->keep = {data, indices, indptr};
  return finish(m, make_unique);
}


py::array_t<float> images(const PyMatrix& e, const std::vector<std::string>& tfs, const std::vector<std::string>& targets,
                          int neighbors, bool primary_only, bool exclude_self, bool ignore_case, int threads) {
  if (neighbors < 0) throw UsageError("neighbors must be >= 0, got " + std::to_string(neighbors));
  ResolvedPairs r = resolve_names(GeneIndex(e.genes, ignore_case), tfs, targets, {}, /*skip_missing=*/false, "pairs");
  ImageOptions o;
  o.neighbors = neighbors;
  o.primary_only = primary_only;
  o.exclude_self = exclude_self;
  std::unique_ptr<ImageContext> ctx;
  {
    py::gil_scoped_release release;
    ctx = std::make_unique<ImageContext>(*e.view, e.genes, o, threads);
  }
  const std::size_t n = r.size(), k = ctx->images_per_pair();
  py::array_t<float> out({n, k, std::size_t(32), std::size_t(32)});
  float* p = out.mutable_data();
  {
    py::gil_scoped_release release;
    const int t = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 8) num_threads(t)
    for (long i = 0; i < static_cast<long>(n); ++i) ctx->pair_images(r.tf[i], r.target[i], p + i * k * kImagePixels);
  }
  return out;
}

}  // namespace

ResolvedPairs resolve_names(const GeneIndex& index, const std::vector<std::string>& tfs, const std::vector<std::string>& targets,
                            const std::vector<int>& labels, bool skip_missing, const std::string& source) {
  if (tfs.size() != targets.size())
    throw UsageError(source + ": " + std::to_string(tfs.size()) + " TFs for " + std::to_string(targets.size()) + " targets");
  if (!labels.empty() && labels.size() != tfs.size())
    throw UsageError(source + ": " + std::to_string(labels.size()) + " labels for " + std::to_string(tfs.size()) + " pairs");
  PairList list;
  list.has_labels = !labels.empty();
  for (std::size_t i = 0; i < tfs.size(); ++i) {
    if (!labels.empty() && labels[i] != 0 && labels[i] != 1)
      throw UsageError(source + ": label " + std::to_string(labels[i]) + " of pair " + quote(tfs[i]) + " " + quote(targets[i]) + " is not 0 or 1");
    list.pairs.push_back({tfs[i], targets[i], labels.empty() ? -1 : labels[i]});
  }
  return resolve_pairs(list, index, skip_missing, source);
}

void bind_expression(py::module_& m) {
  py::class_<PyMatrix, std::shared_ptr<PyMatrix>>(m, "Matrix",
                                                   "A genes x cells matrix: a view of your arrays (not copied), or read from a file")
      .def_property_readonly("genes", [](const PyMatrix& e) { return e.genes; })
      .def_property_readonly("cells", [](const PyMatrix& e) { return e.cells; })
      .def_property_readonly("n_genes", [](const PyMatrix& e) { return e.genes.size(); })
      .def_property_readonly("n_cells", [](const PyMatrix& e) { return e.cells.size(); })
      .def_property_readonly("is_view", [](const PyMatrix& e) { return !e.owned; }, "True when it reads the caller's arrays in place")
      .def("values", [](const PyMatrix& e) {
        py::array_t<double> a({e.genes.size(), e.cells.size()});
        double* p = a.mutable_data();
        for (std::size_t g = 0; g < e.genes.size(); ++g) e.view->gene(g, p + g * e.cells.size());
        return a;
      }, "A copy of the values as drim sees them (after the input scale), genes x cells");
  m.def("expression_from_dense", &from_dense, py::arg("x"), py::arg("genes"), py::arg("cells"), py::arg("source") = "matrix",
        py::arg("make_unique") = false);
  m.def("expression_from_csr", &from_csr, py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("genes"),
        py::arg("cells"), py::arg("source") = "matrix", py::arg("make_unique") = false);
  m.def("read_expression", [](const std::string& path, const std::string& format, const std::string& dataset,
                              const std::string& genes, const std::string& cells, bool cells_by_genes, const std::string& feature_type,
                              const std::string& gene_column, const std::string& layer, bool make_unique) {
    ReadExpressionOptions ro;
    ro.format = parse_expr_format(format);
    ro.dataset = dataset;
    ro.genes = genes;
    ro.cells = cells;
    ro.cells_by_genes = cells_by_genes;
    ro.feature_type = feature_type;
    ro.gene_column = gene_column;
    ro.layer = layer;
    ro.make_unique = make_unique;
    auto m = std::make_shared<PyMatrix>();
    {
      py::gil_scoped_release release;
      m->owned = std::make_shared<Expression>(read_expression(path, ro));
    }
    m->genes = m->owned->genes;
    m->cells = m->owned->cells;
    m->source = path;
    m->view = std::make_unique<ExpressionRows>(*m->owned);
    return m;
  }, py::arg("path"), py::arg("format") = "auto", py::arg("dataset") = "", py::arg("genes") = "", py::arg("cells") = "",
        py::arg("cells_by_genes") = false, py::arg("feature_type") = "Gene Expression", py::arg("gene_column") = "",
        py::arg("layer") = "", py::arg("make_unique") = false);
  m.def("read_pairs", [](const std::string& path) {
    PairList l = read_pairs(path);
    std::vector<std::string> tfs, targets;
    std::vector<int> labels;
    for (const auto& p : l.pairs) {
      tfs.push_back(p.tf);
      targets.push_back(p.target);
      if (l.has_labels) labels.push_back(p.label);
    }
    return py::make_tuple(tfs, targets, labels);
  }, py::arg("path"), "(tfs, targets, labels or []) of a pair list or BEELINE network file, read as the tools read it");
  m.def("read_names", &read_name_list, py::arg("path"), "Names, one per line (# comments), as --tfs reads them");
  m.def("apply_input_scale", [](PyMatrix& e, const std::string& scale) {
    py::gil_scoped_release release;
    return apply_input_scale(*e.view, e.genes, scale, e.source);
  }, py::arg("matrix"), py::arg("scale"));
  m.def("images", &images, py::arg("expr"), py::arg("tfs"), py::arg("targets"), py::arg("neighbors") = 10,
        py::arg("primary_only") = false, py::arg("exclude_self") = false, py::arg("ignore_case") = false, py::arg("threads") = 0);
}

}  // namespace drim::python
