// Cell Ranger's matrix folder: MatrixMarket coordinate matrix plus features and barcodes lists.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "drim/error.hpp"
#include "io/line_reader.hpp"
#include "io/readers.hpp"

namespace drim::detail {

namespace {

/// The first of `names` (each tried plain and .gz) that exists in `dir`; "" when none.
std::string find_file(const std::string& dir, const std::vector<std::string>& names) {
  for (const auto& n : names)
    for (const char* ext : {".gz", ""}) {
      auto p = std::filesystem::path(dir) / (n + std::string(ext));
      if (std::filesystem::exists(p)) return p.string();
    }
  return "";
}

/// Column `col` (0-based) of every line of a tab-separated list.
std::vector<std::string> read_column(const std::string& path, std::size_t col) {
  LineReader in(path);
  std::vector<std::string> out;
  std::string line;
  while (in.next(line)) {
    if (line.empty()) continue;
    std::size_t start = 0;
    for (std::size_t i = 0; i < col; ++i) {
      start = line.find('\t', start);
      if (start == std::string::npos)
        throw Error(path + " line " + std::to_string(in.line_number()) + ": fewer than " + std::to_string(col + 1) + " columns");
      ++start;
    }
    out.push_back(line.substr(start, line.find('\t', start) - start));
  }
  return out;
}

template <typename T>
bool parse(std::string_view s, T& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Expression read_mtx_folder(const std::string& dir, const ReadExpressionOptions& opts) {
  const std::string mtx = find_file(dir, {"matrix.mtx"});
  const std::string features = find_file(dir, {"features.tsv", "genes.tsv"});
  const std::string barcodes = find_file(dir, {"barcodes.tsv"});
  if (mtx.empty() || features.empty() || barcodes.empty())
    throw Error(quote(dir) + ": a 10x matrix folder needs matrix.mtx, features.tsv (or genes.tsv) and barcodes.tsv, each optionally .gz");
  const std::string& col = opts.gene_column.empty() ? "symbols" : opts.gene_column;
  if (col != "symbols" && col != "ids") throw Error("--gene-column " + quote(col) + " for a 10x folder must be symbols or ids");
  Expression expr;
  expr.cells = read_column(barcodes, 0);
  auto ids = read_column(features, 0);
  expr.genes = col == "ids" ? ids : read_column(features, 1);
  std::vector<std::string> types;
  if (opts.feature_type != "all") {
    LineReader probe(features);
    std::string first;
    if (probe.next(first) && std::count(first.begin(), first.end(), '\t') >= 2) types = read_column(features, 2);
  }

  LineReader in(mtx);
  std::string line;
  auto where = [&] { return mtx + " line " + std::to_string(in.line_number()); };
  if (!in.next(line) || line.rfind("%%MatrixMarket matrix coordinate", 0) != 0)
    throw Error(mtx + ": not a MatrixMarket coordinate file (first line " + quote(line) + ")");
  if (line.find("complex") != std::string::npos || line.find("pattern") != std::string::npos)
    throw Error(mtx + ": " + quote(line) + ": only real or integer values are supported");
  std::size_t rows = 0, cols = 0, nnz = 0;
  while (in.next(line)) {
    if (line.empty() || line[0] == '%') continue;
    char* end = nullptr;
    rows = std::strtoull(line.c_str(), &end, 10);
    cols = std::strtoull(end, &end, 10);
    nnz = std::strtoull(end, &end, 10);
    break;
  }
  if (rows != expr.n_genes() || cols != expr.n_cells())
    throw Error(mtx + ": the matrix is " + std::to_string(rows) + " x " + std::to_string(cols) + " but " + features + " lists " +
                std::to_string(expr.n_genes()) + " features and " + barcodes + " " + std::to_string(expr.n_cells()) + " barcodes");
  expr.values.assign(rows * cols, 0.0);
  std::size_t seen = 0;
  while (in.next(line)) {
    if (line.empty() || line[0] == '%') continue;
    std::string_view f[3];
    std::size_t start = 0, k = 0;
    while (k < 3) {
      while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
      std::size_t end = line.find_first_of(" \t", start);
      if (start >= line.size()) break;
      f[k++] = std::string_view(line).substr(start, (end == std::string::npos ? line.size() : end) - start);
      start = end == std::string::npos ? line.size() : end;
    }
    std::size_t r = 0, c = 0;
    double v = 0;
    if (k != 3 || !parse(f[0], r) || !parse(f[1], c) || !parse(f[2], v))
      throw Error(where() + ": expected 'row column value', got " + quote(line));
    if (r < 1 || r > rows || c < 1 || c > cols)
      throw Error(where() + ": entry (" + std::to_string(r) + ", " + std::to_string(c) + ") is outside the " + std::to_string(rows) + " x " +
                  std::to_string(cols) + " matrix");
    expr.values[(r - 1) * cols + (c - 1)] = v;
    ++seen;
  }
  if (seen != nnz) throw Error(mtx + ": the header promises " + std::to_string(nnz) + " entries, the file has " + std::to_string(seen));
  if (!types.empty() && types.size() == expr.n_genes()) keep_feature_type(expr, types, opts.feature_type, features);
  return expr;
}

}  // namespace drim::detail
