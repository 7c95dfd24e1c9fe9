#pragma once
// A matrix as the Python API holds it: a view of the caller's numpy/scipy arrays (not copied),
// or an Expression read from a file, with its gene and cell names.
#include <memory>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "drim/expression.hpp"
#include "drim/expression_view.hpp"
#include "drim/gene_index.hpp"
#include "drim/pairs.hpp"

namespace drim::python {

struct PyMatrix {
  std::vector<std::string> genes, cells;
  std::string source;                        ///< names the data in errors
  std::shared_ptr<Expression> owned;         ///< read from a file (the view reads it)
  std::unique_ptr<ExpressionView> view;
  std::vector<pybind11::object> keep;        ///< the caller's arrays the view reads
};

/// Rows of named pairs (labels 0/1, or none), resolved as the tools resolve a pair file: unknown
/// genes are an error listing them unless `skip_missing`; `source` names the pairs in errors.
ResolvedPairs resolve_names(const GeneIndex& index, const std::vector<std::string>& tfs, const std::vector<std::string>& targets,
                            const std::vector<int>& labels, bool skip_missing, const std::string& source);

}  // namespace drim::python
