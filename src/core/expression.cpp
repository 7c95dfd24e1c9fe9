#include "drim/expression.hpp"

#include <cmath>
#include <unordered_map>

#include "drim/error.hpp"

namespace drim {

void validate_expression(const Expression& expr, const std::string& source) {
  if (expr.n_cells() == 0) throw Error(source + ": the matrix has zero cells");
  if (expr.n_genes() == 0) throw Error(source + ": the matrix has zero genes");
  if (expr.values.size() != expr.n_genes() * expr.n_cells()) {
    throw Error(source + ": expected " + std::to_string(expr.n_genes() * expr.n_cells()) +
                " values for " + std::to_string(expr.n_genes()) + " genes x " +
                std::to_string(expr.n_cells()) + " cells, got " + std::to_string(expr.values.size()));
  }
  std::unordered_map<std::string, std::size_t> seen;
  seen.reserve(expr.n_genes());
  for (std::size_t g = 0; g < expr.n_genes(); ++g) {
    auto [it, fresh] = seen.emplace(expr.genes[g], g);
    if (!fresh) {
      throw Error(source + ": duplicate gene name " + quote(expr.genes[g]) + " (rows " +
                  std::to_string(it->second + 1) + " and " + std::to_string(g + 1) +
                  "); gene names must be unique");
    }
  }
  for (std::size_t g = 0; g < expr.n_genes(); ++g) {
    const double* r = expr.row(g);
    for (std::size_t c = 0; c < expr.n_cells(); ++c) {
      double v = r[c];
      if (!std::isfinite(v) || v < 0.0) {
        std::string what = std::isnan(v) ? "NaN" : (std::isinf(v) ? "an infinite value" : "negative value " + std::to_string(v));
        throw Error(source + ": " + what + " for gene " + quote(expr.genes[g]) + " in cell " +
                    quote(expr.cells[c]) + "; expression values must be finite and >= 0");
      }
    }
  }
}

}  // namespace drim
