#include "drim/expression.hpp"

#include <cstdio>

#include <cmath>
#include <unordered_map>
#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "drim/error.hpp"
#include "drim/expression_view.hpp"

namespace drim {

void validate_expression(const Expression& expr, const std::string& source) {
  if (expr.values.size() != expr.n_genes() * expr.n_cells()) {
    throw Error(source + ": expected " + std::to_string(expr.n_genes() * expr.n_cells()) +
                " values for " + std::to_string(expr.n_genes()) + " genes x " +
                std::to_string(expr.n_cells()) + " cells, got " + std::to_string(expr.values.size()));
  }
  validate_view(ExpressionRows(expr), expr.genes, expr.cells, source);
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

ExpressionLook look_at(const Expression& expr) { return look_at(ExpressionRows(expr), expr.genes); }

void undo_log1p(Expression& expr) {
  for (auto& v : expr.values) v = std::expm1(v);
}

std::vector<std::string> apply_input_scale(Expression& expr, const std::string& scale, const std::string& source) {
  auto warnings = input_scale_warnings(look_at(expr), scale, source);
  if (scale == "log1p") undo_log1p(expr);
  return warnings;
}

}  // namespace drim
