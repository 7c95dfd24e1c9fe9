// The _drim extension module: drim's errors as Python exceptions, and the bindings of the
// expression/images part (expression_py.cpp) and the model part (model_py.cpp).
#include <pybind11/pybind11.h>

#include "drim/error.hpp"
#include "drim/version.hpp"

namespace py = pybind11;

namespace drim::python {
void bind_expression(py::module_& m);
void bind_model(py::module_& m);
}  // namespace drim::python

PYBIND11_MODULE(_drim, m) {
  m.doc() = "drim's C++ core: expression matrices, DeepDRIM images, training and prediction (use the drim package)";
  m.attr("__version__") = drim::kVersion;
  // drim::Error carries the same message the command-line tools print; a bad argument (the
  // command line's exit code 2) is a ValueError.
  static py::exception<drim::Error> error(m, "Error", PyExc_RuntimeError);
  static py::exception<drim::UsageError> usage(m, "UsageError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const drim::UsageError& e) {
      usage(e.what());
    } catch (const drim::Error& e) {
      error(e.what());
    }
  });
  drim::python::bind_expression(m);
  drim::python::bind_model(m);
}
