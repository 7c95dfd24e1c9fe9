#include "drim/expression.hpp"

#include <cstdio>

#include <cmath>
#include <unordered_map>
#include <algorithm>
#include <cstring>
#include <unordered_set>

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
                  "); gene names must be unique (give --make-unique to suffix repeats with -1, -2, ..., as scanpy does)");
    }
  }
  std::unordered_map<std::string, std::size_t> cells;
  cells.reserve(expr.n_cells());
  for (std::size_t c = 0; c < expr.n_cells(); ++c) {
    auto [it, fresh] = cells.emplace(expr.cells[c], c);
    if (!fresh)
      throw Error(source + ": duplicate cell name " + quote(expr.cells[c]) + " (columns " + std::to_string(it->second + 1) + " and " +
                  std::to_string(c + 1) + "); give --make-unique to suffix repeats with -1, -2, ...");
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

Expression keep_genes(const Expression& expr, const std::vector<bool>& keep) {
  Expression out;
  out.cells = expr.cells;
  for (std::size_t g = 0; g < expr.n_genes(); ++g) {
    if (!keep[g]) continue;
    out.genes.push_back(expr.genes[g]);
    out.values.insert(out.values.end(), expr.row(g), expr.row(g) + expr.n_cells());
  }
  return out;
}

std::size_t make_names_unique(std::vector<std::string>& names) {
  std::unordered_set<std::string> taken(names.begin(), names.end());
  std::unordered_map<std::string, std::size_t> next;  // name -> next suffix to try
  std::unordered_set<std::string> seen;
  std::size_t changed = 0;
  for (auto& name : names) {
    if (seen.insert(name).second) continue;
    std::size_t& k = next[name];
    std::string candidate;
    do candidate = name + "-" + std::to_string(++k);
    while (taken.count(candidate));
    taken.insert(candidate);
    seen.insert(candidate);
    name = candidate;
    ++changed;
  }
  return changed;
}

ExpressionLook look_at(const Expression& expr) {
  ExpressionLook look;
  for (double v : expr.values) {
    look.max_value = std::max(look.max_value, v);
    if (look.all_integers && v != std::floor(v)) look.all_integers = false;
  }
  std::size_t barcodes = 0;
  for (const auto& name : expr.genes) {
    std::size_t n = 0;
    while (n < name.size() && std::strchr("ACGTN", name[n])) ++n;
    barcodes += n >= 8 && (n == name.size() || name[n] == '-' || name[n] == '_');
  }
  look.barcode_rows = expr.genes.empty() ? 0.0 : static_cast<double>(barcodes) / expr.genes.size();
  return look;
}

void undo_log1p(Expression& expr) {
  for (auto& v : expr.values) v = std::expm1(v);
}

std::vector<std::string> apply_input_scale(Expression& expr, const std::string& scale, const std::string& source) {
  if (scale != "counts" && scale != "log1p")
    throw UsageError("input scale " + quote(scale) + " must be counts or log1p");
  std::vector<std::string> warnings;
  const ExpressionLook look = look_at(expr);
  char pct[32], max[32];
  std::snprintf(pct, sizeof pct, "%.0f", 100 * look.barcode_rows);
  std::snprintf(max, sizeof max, "%.3g", look.max_value);
  if (look.barcode_rows > 0.5)
    warnings.push_back(source + ": " + pct + "% of the row names look like cell barcodes; drim reads genes x cells (one gene per row), so "
                       "this file is probably cells x genes: transpose it");
  if (scale == "counts" && !look.all_integers && look.max_value < 20)
    warnings.push_back(source + ": the values are not whole numbers and at most " + max + ": they look log-transformed. drim bins "
                       "log10(x + 0.01) of the values as given (as the DeepDRIM reference does with BEELINE's files); for natural-log1p "
                       "data (scanpy) --input-scale log1p recovers the counts, or read counts with --layer");
  if (scale == "log1p") {
    if (look.max_value > 50)
      throw UsageError("--input-scale log1p, but " + source + " holds values up to " + std::to_string(look.max_value) +
                       ", which log1p data never reaches; these look like counts (drop --input-scale log1p)");
    undo_log1p(expr);
  }
  return warnings;
}

}  // namespace drim
