#include "drim/expression_io.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "drim/error.hpp"
#include "io/hdf5_util.hpp"
#include "io/readers.hpp"

namespace drim {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ExprFormat parse_expr_format(const std::string& name) {
  if (name == "auto") return ExprFormat::Auto;
  if (name == "csv" || name == "tsv") return ExprFormat::Csv;
  if (name == "h5ad") return ExprFormat::H5ad;
  if (name == "10x") return ExprFormat::TenX;
  if (name == "hdf5" || name == "h5") return ExprFormat::Hdf5;
  throw Error("unknown expression format " + quote(name) + " (expected auto, csv, h5ad, 10x or hdf5)");
}

ExprFormat detect_expr_format(const std::string& path) {
  std::string p = path;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ends_with(p, ".gz")) p = p.substr(0, p.size() - 3);
  if (ends_with(p, ".h5ad")) return ExprFormat::H5ad;
  if (ends_with(p, ".csv") || ends_with(p, ".tsv") || ends_with(p, ".txt")) return ExprFormat::Csv;
  if (ends_with(p, ".h5") || ends_with(p, ".hdf5") || ends_with(p, ".he5")) {
    auto lock = detail::hdf5_lock();
    detail::H5Id f = detail::open_file_ro(path);
    return detail::is_group(f, "matrix") ? ExprFormat::TenX : ExprFormat::Hdf5;
  }
  throw Error("cannot tell the format of " + quote(path) +
              " from its extension (.h5ad, .h5, .hdf5, .csv, .tsv, .txt, optionally .gz); use --expr-format");
}

Expression read_expression(const std::string& path, const ReadExpressionOptions& opts) {
  if (!std::filesystem::exists(path)) throw Error("cannot open expression file " + quote(path) + ": no such file");
  ExprFormat fmt = opts.format == ExprFormat::Auto ? detect_expr_format(path) : opts.format;
  Expression expr;
  switch (fmt) {
    case ExprFormat::Csv: expr = detail::read_csv(path); break;
    case ExprFormat::H5ad: expr = detail::read_h5ad(path); break;
    case ExprFormat::TenX: expr = detail::read_10x(path); break;
    case ExprFormat::Hdf5: expr = detail::read_plain_hdf5(path, opts); break;
    case ExprFormat::Auto: break;
  }
  validate_expression(expr, path);
  return expr;
}

}  // namespace drim
