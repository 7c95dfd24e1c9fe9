#include "drim/expression_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "drim/error.hpp"

namespace drim {

void ExpressionView::gene(std::size_t g, double* out) const {
  fill(g, out);
  if (undo_log1p_)
    for (std::size_t c = 0, n = n_cells(); c < n; ++c) out[c] = std::expm1(out[c]);
}

void ExpressionRows::fill(std::size_t g, double* out) const { std::memcpy(out, e_.row(g), e_.n_cells() * sizeof(double)); }

namespace {

/// The value at `p` of the given type, as float64.
inline double value_at(const char* p, ValueType t) {
  switch (t) {
    case ValueType::f32: { float v; std::memcpy(&v, p, sizeof v); return v; }
    case ValueType::f64: { double v; std::memcpy(&v, p, sizeof v); return v; }
    case ValueType::i32: { std::int32_t v; std::memcpy(&v, p, sizeof v); return static_cast<double>(v); }
    case ValueType::i64: { std::int64_t v; std::memcpy(&v, p, sizeof v); return static_cast<double>(v); }
    case ValueType::u16: { std::uint16_t v; std::memcpy(&v, p, sizeof v); return v; }
    case ValueType::u32: { std::uint32_t v; std::memcpy(&v, p, sizeof v); return v; }
  }
  return 0.0;
}

std::size_t type_size(ValueType t) {
  switch (t) {
    case ValueType::f32: case ValueType::i32: case ValueType::u32: return 4;
    case ValueType::f64: case ValueType::i64: return 8;
    case ValueType::u16: return 2;
  }
  return 0;
}

inline std::int64_t index_at(const void* base, bool wide, std::size_t i) {
  return wide ? static_cast<const std::int64_t*>(base)[i] : static_cast<const std::int32_t*>(base)[i];
}

}  // namespace

DenseCellsByGenes::DenseCellsByGenes(const void* data, ValueType type, std::size_t cells, std::size_t genes, std::ptrdiff_t cell_stride,
                                     std::ptrdiff_t gene_stride)
    : data_(static_cast<const char*>(data)), type_(type), cells_(cells), genes_(genes), cell_stride_(cell_stride),
      gene_stride_(gene_stride) {}

void DenseCellsByGenes::fill(std::size_t g, double* out) const {
  const char* p = data_ + static_cast<std::ptrdiff_t>(g) * gene_stride_;
  if (type_ == ValueType::f32 && cell_stride_ == 4) {
    const float* f = reinterpret_cast<const float*>(p);
    for (std::size_t c = 0; c < cells_; ++c) out[c] = f[c];
    return;
  }
  for (std::size_t c = 0; c < cells_; ++c) out[c] = value_at(p + static_cast<std::ptrdiff_t>(c) * cell_stride_, type_);
}

CsrCellsByGenes::CsrCellsByGenes(const void* data, ValueType type, const void* indices, bool indices64, const void* indptr,
                                 bool indptr64, std::size_t cells, std::size_t genes, std::size_t nnz, const std::string& source)
    : data_(static_cast<const char*>(data)), type_(type), cells_(cells), genes_(genes), col_start_(genes + 1, 0) {
  if (cells > UINT32_MAX) throw Error(source + ": more than 2^32 cells");
  for (std::size_t c = 0; c < cells; ++c) {
    const std::int64_t a = index_at(indptr, indptr64, c), b = index_at(indptr, indptr64, c + 1);
    if (a < 0 || a > b || static_cast<std::size_t>(b) > nnz)
      throw Error(source + ": indptr is not a valid CSR row pointer at cell " + std::to_string(c));
    for (std::int64_t k = a; k < b; ++k) {
      const std::int64_t j = index_at(indices, indices64, static_cast<std::size_t>(k));
      if (j < 0 || static_cast<std::size_t>(j) >= genes)
        throw Error(source + ": column index " + std::to_string(j) + " is outside the " + std::to_string(genes) + " genes");
      ++col_start_[static_cast<std::size_t>(j) + 1];
    }
  }
  for (std::size_t g = 0; g < genes; ++g) col_start_[g + 1] += col_start_[g];
  const std::size_t stored = col_start_[genes];
  cell_.resize(stored);
  pos_.resize(stored);
  std::vector<std::uint64_t> next(col_start_.begin(), col_start_.end() - 1);
  for (std::size_t c = 0; c < cells; ++c) {
    for (std::int64_t k = index_at(indptr, indptr64, c); k < index_at(indptr, indptr64, c + 1); ++k) {
      const auto j = static_cast<std::size_t>(index_at(indices, indices64, static_cast<std::size_t>(k)));
      cell_[next[j]] = static_cast<std::uint32_t>(c);
      pos_[next[j]++] = static_cast<std::uint64_t>(k);
    }
  }
}

void CsrCellsByGenes::fill(std::size_t g, double* out) const {
  std::fill(out, out + cells_, 0.0);
  const std::size_t size = type_size(type_);
  for (std::uint64_t k = col_start_[g]; k < col_start_[g + 1]; ++k) out[cell_[k]] += value_at(data_ + pos_[k] * size, type_);
}

namespace {

/// The first name that repeats an earlier one: {earlier index, its index}; {0, 0} when all differ.
std::pair<std::size_t, std::size_t> first_repeat(const std::vector<std::string>& names) {
  std::unordered_map<std::string, std::size_t> seen;
  seen.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto [it, fresh] = seen.emplace(names[i], i);
    if (!fresh) return {it->second, i};
  }
  return {0, 0};
}

}  // namespace

void validate_view(const ExpressionView& view, const std::vector<std::string>& genes, const std::vector<std::string>& cells,
                   const std::string& source) {
  if (view.n_cells() == 0) throw Error(source + ": the matrix has zero cells");
  if (view.n_genes() == 0) throw Error(source + ": the matrix has zero genes");
  if (genes.size() != view.n_genes() || cells.size() != view.n_cells())
    throw Error(source + ": " + std::to_string(genes.size()) + " gene and " + std::to_string(cells.size()) + " cell names for " +
                std::to_string(view.n_genes()) + " genes x " + std::to_string(view.n_cells()) + " cells");
  if (auto [first, again] = first_repeat(genes); again)
    throw Error(source + ": duplicate gene name " + quote(genes[again]) + " (rows " + std::to_string(first + 1) + " and " +
                std::to_string(again + 1) + "); gene names must be unique (give --make-unique to suffix repeats with -1, -2, ..., as scanpy does)");
  if (auto [first, again] = first_repeat(cells); again)
    throw Error(source + ": duplicate cell name " + quote(cells[again]) + " (columns " + std::to_string(first + 1) + " and " +
                std::to_string(again + 1) + "); give --make-unique to suffix repeats with -1, -2, ...");
  std::vector<double> row(view.n_cells());
  for (std::size_t g = 0; g < view.n_genes(); ++g) {
    view.gene(g, row.data());
    for (std::size_t c = 0; c < row.size(); ++c) {
      const double v = row[c];
      if (!std::isfinite(v) || v < 0.0) {
        std::string what = std::isnan(v) ? "NaN" : (std::isinf(v) ? "an infinite value" : "negative value " + std::to_string(v));
        throw Error(source + ": " + what + " for gene " + quote(genes[g]) + " in cell " + quote(cells[c]) +
                    "; expression values must be finite and >= 0");
      }
    }
  }
}

ExpressionLook look_at(const ExpressionView& view, const std::vector<std::string>& genes) {
  ExpressionLook look;
  std::vector<double> row(view.n_cells());
  for (std::size_t g = 0; g < view.n_genes(); ++g) {
    view.gene(g, row.data());
    for (double v : row) {
      look.max_value = std::max(look.max_value, v);
      if (look.all_integers && v != std::floor(v)) look.all_integers = false;
    }
  }
  std::size_t barcodes = 0;
  for (const auto& name : genes) {
    std::size_t n = 0;
    while (n < name.size() && std::strchr("ACGTN", name[n])) ++n;
    barcodes += n >= 8 && (n == name.size() || name[n] == '-' || name[n] == '_');
  }
  look.barcode_rows = genes.empty() ? 0.0 : static_cast<double>(barcodes) / genes.size();
  return look;
}

std::vector<std::string> input_scale_warnings(const ExpressionLook& look, const std::string& scale, const std::string& source) {
  if (scale != "counts" && scale != "log1p") throw UsageError("input scale " + quote(scale) + " must be counts or log1p");
  std::vector<std::string> warnings;
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
  if (scale == "log1p" && look.max_value > 50)
    throw UsageError("--input-scale log1p, but " + source + " holds values up to " + std::to_string(look.max_value) +
                     ", which log1p data never reaches; these look like counts (drop --input-scale log1p)");
  return warnings;
}

std::vector<std::string> apply_input_scale(ExpressionView& view, const std::vector<std::string>& genes, const std::string& scale,
                                           const std::string& source) {
  auto warnings = input_scale_warnings(look_at(view, genes), scale, source);
  view.set_undo_log1p(scale == "log1p");
  return warnings;
}

Expression materialize(const ExpressionView& view, const std::vector<std::string>& genes, const std::vector<std::string>& cells) {
  Expression e;
  e.genes = genes;
  e.cells = cells;
  e.values.resize(view.n_genes() * view.n_cells());
  for (std::size_t g = 0; g < view.n_genes(); ++g) view.gene(g, e.row(g));
  return e;
}

}  // namespace drim
