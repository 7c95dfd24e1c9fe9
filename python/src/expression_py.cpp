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
#include "drim/gene_index.hpp"
#include "drim/image_builder.hpp"
#include "drim/pairs.hpp"

namespace py = pybind11;

namespace drim::python {
namespace {

/// Calls fn(ptr) with the array's data typed as its dtype (float32/64, int32/64, uint16/32).
template <typename Fn>
void with_typed(const py::array& a, const std::string& what, Fn fn) {
  const auto k = a.dtype().kind();
  const auto size = a.dtype().itemsize();
  const void* p = a.data();
  if (k == 'f' && size == 4) fn(static_cast<const float*>(p));
  else if (k == 'f' && size == 8) fn(static_cast<const double*>(p));
  else if (k == 'i' && size == 4) fn(static_cast<const std::int32_t*>(p));
  else if (k == 'i' && size == 8) fn(static_cast<const std::int64_t*>(p));
  else if (k == 'u' && size == 2) fn(static_cast<const std::uint16_t*>(p));
  else if (k == 'u' && size == 4) fn(static_cast<const std::uint32_t*>(p));
  else throw UsageError(what + " has dtype " + std::string(py::str(a.dtype())) + "; give float32, float64 or integer values");
}

void check_names(const std::vector<std::string>& names, std::size_t n, const std::string& what) {
  if (names.size() != n)
    throw UsageError(std::to_string(names.size()) + " " + what + " names for " + std::to_string(n) + " " + what + "s of the matrix");
}

/// A cells x genes dense matrix (any strides) into genes x cells float64.
std::shared_ptr<Expression> from_dense(const py::array& x, std::vector<std::string> genes, std::vector<std::string> cells,
                                       const std::string& source, bool make_unique) {
  if (x.ndim() != 2) throw UsageError(source + ": the matrix must be 2-D (cells x genes), not " + std::to_string(x.ndim()) + "-D");
  const std::size_t nc = x.shape(0), ng = x.shape(1);
  check_names(genes, ng, "gene");
  check_names(cells, nc, "cell");
  auto e = std::make_shared<Expression>();
  e->genes = std::move(genes);
  e->cells = std::move(cells);
  e->values.resize(nc * ng);
  const auto s0 = x.strides(0), s1 = x.strides(1);
  with_typed(x, source, [&](auto* ptr) {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(ptr)>>;
    const char* base = reinterpret_cast<const char*>(ptr);
    py::gil_scoped_release release;
    for (std::size_t g = 0; g < ng; ++g) {
      double* row = e->row(g);
      for (std::size_t c = 0; c < nc; ++c) row[c] = static_cast<double>(*reinterpret_cast<const T*>(base + c * s0 + g * s1));
    }
  });
  if (make_unique) {
    make_names_unique(e->genes);
    make_names_unique(e->cells);
  }
  validate_expression(*e, source);
  return e;
}

/// A cells x genes CSR matrix (scipy.sparse.csr_matrix's data, indices, indptr) into genes x
/// cells float64; absent entries are zero.
std::shared_ptr<Expression> from_csr(const py::array& data, const py::array_t<std::int64_t, py::array::forcecast>& indices,
                                     const py::array_t<std::int64_t, py::array::forcecast>& indptr, std::vector<std::string> genes,
                                     std::vector<std::string> cells, const std::string& source, bool make_unique) {
  const std::size_t nc = cells.size(), ng = genes.size();
  if (indptr.ndim() != 1 || static_cast<std::size_t>(indptr.shape(0)) != nc + 1)
    throw UsageError(source + ": indptr must have one entry per cell plus one (" + std::to_string(nc + 1) + ")");
  if (data.ndim() != 1 || indices.ndim() != 1 || data.shape(0) != indices.shape(0))
    throw UsageError(source + ": data and indices must be 1-D and of one length");
  auto e = std::make_shared<Expression>();
  e->genes = std::move(genes);
  e->cells = std::move(cells);
  e->values.assign(nc * ng, 0.0);
  const std::int64_t* ip = indptr.data();
  const std::int64_t* ix = indices.data();
  const std::int64_t nnz = data.shape(0);
  with_typed(data, source, [&](auto* v) {
    py::gil_scoped_release release;
    for (std::size_t c = 0; c < nc; ++c) {
      if (ip[c] < 0 || ip[c] > ip[c + 1] || ip[c + 1] > nnz)
        throw Error(source + ": indptr is not a valid CSR row pointer at cell " + std::to_string(c));
      for (std::int64_t k = ip[c]; k < ip[c + 1]; ++k) {
        if (ix[k] < 0 || static_cast<std::size_t>(ix[k]) >= ng)
          throw Error(source + ": column index " + std::to_string(ix[k]) + " is outside the " + std::to_string(ng) + " genes");
        e->values[static_cast<std::size_t>(ix[k]) * nc + c] = static_cast<double>(v[k]);
      }
    }
  });
  if (make_unique) {
    make_names_unique(e->genes);
    make_names_unique(e->cells);
  }
  validate_expression(*e, source);
  return e;
}

/// Rows of the pairs' genes: unknown names are an error listing them, as on the command line.
ResolvedPairs resolve(const Expression& e, const std::vector<std::string>& tfs, const std::vector<std::string>& targets,
                      bool ignore_case) {
  if (tfs.size() != targets.size())
    throw UsageError(std::to_string(tfs.size()) + " TFs for " + std::to_string(targets.size()) + " targets");
  PairList list;
  for (std::size_t i = 0; i < tfs.size(); ++i) list.pairs.push_back({tfs[i], targets[i], -1});
  GeneIndex index(e.genes, ignore_case);
  return resolve_pairs(list, index, /*skip_missing=*/false, "pairs");
}

py::array_t<float> images(const Expression& e, const std::vector<std::string>& tfs, const std::vector<std::string>& targets,
                          int neighbors, bool primary_only, bool exclude_self, bool ignore_case, int threads) {
  if (neighbors < 0) throw UsageError("neighbors must be >= 0, got " + std::to_string(neighbors));
  ResolvedPairs r = resolve(e, tfs, targets, ignore_case);
  ImageOptions o;
  o.neighbors = neighbors;
  o.primary_only = primary_only;
  o.exclude_self = exclude_self;
  std::unique_ptr<ImageContext> ctx;
  {
    py::gil_scoped_release release;
    ctx = std::make_unique<ImageContext>(e, o, threads);
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

void bind_expression(py::module_& m) {
  py::class_<Expression, std::shared_ptr<Expression>>(m, "Expression", "A genes x cells matrix as drim holds it (float64)")
      .def_property_readonly("genes", [](const Expression& e) { return e.genes; })
      .def_property_readonly("cells", [](const Expression& e) { return e.cells; })
      .def_property_readonly("n_genes", &Expression::n_genes)
      .def_property_readonly("n_cells", &Expression::n_cells)
      .def("values", [](const Expression& e) {
        py::array_t<double> a({e.n_genes(), e.n_cells()});
        std::copy(e.values.begin(), e.values.end(), a.mutable_data());
        return a;
      }, "A copy of the values, genes x cells");
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
    py::gil_scoped_release release;
    return std::make_shared<Expression>(read_expression(path, ro));
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
  m.def("apply_input_scale", &apply_input_scale, py::arg("expr"), py::arg("scale"), py::arg("source"));
  m.def("images", &images, py::arg("expr"), py::arg("tfs"), py::arg("targets"), py::arg("neighbors") = 10,
        py::arg("primary_only") = false, py::arg("exclude_self") = false, py::arg("ignore_case") = false, py::arg("threads") = 0);
}

}  // namespace drim::python
