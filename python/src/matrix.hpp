#pragma once
// A matrix as the Python API holds it: a view of the caller's numpy/scipy arrays (not copied),
// or an Expression read from a file, with its gene and cell names.
#include <memory>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "drim/expression.hpp"
#include "drim/expression_view.hpp"

namespace drim::python {

struct PyMatrix {
  std::vector<std::string> genes, cells;
  std::string source;                        ///< names the data in errors
  std::shared_ptr<Expression> owned;         ///< read from a file (the view reads it)
  std::unique_ptr<ExpressionView> view;
  std::vector<pybind11::object> keep;        ///< the caller's arrays the view reads
};

}  // namespace drim::python
