#include "drim/expression_io.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>

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
  if (name == "mtx") return ExprFormat::Mtx;
  if (name == "loom") return ExprFormat::Loom;
  throw Error("unknown expression format " + quote(name) + " (expected auto, csv, h5ad, 10x, hdf5, mtx or loom)");
}

namespace {

bool is_hdf5_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char sig[8] = {};
  in.read(sig, 8);
  return in.gcount() == 8 && std::memcmp(sig, "\x89HDF\r\n\x1a\n", 8) == 0;
}

}  // namespace

ExprFormat detect_expr_format(const std::string& path) {
  if (std::filesystem::is_directory(path)) return ExprFormat::Mtx;
  std::string p = path;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ends_with(p, ".gz")) p = p.substr(0, p.size() - 3);
  if (ends_with(p, "matrix.mtx")) return ExprFormat::Mtx;
  const bool h5_name = ends_with(p, ".h5ad") || ends_with(p, ".h5") || ends_with(p, ".hdf5") || ends_with(p, ".he5") || ends_with(p, ".loom");
  if (!is_hdf5_file(path)) {
    if (h5_name) throw Error(quote(path) + " is named like an HDF5 file but is not an HDF5 file (no HDF5 signature); truncated, or another format?");
    return ExprFormat::Csv;  // text: CSV/TSV, plain or gzip
  }
  if (ends_with(p, ".h5ad")) return ExprFormat::H5ad;  // the name decides among HDF5 layouts when it can
  if (ends_with(p, ".loom")) return ExprFormat::Loom;
  auto lock = detail::hdf5_lock();
  detail::H5Id f = detail::open_file_ro(path);
  if (detail::is_group(f, "obs") && detail::is_group(f, "var")) return ExprFormat::H5ad;
  if (detail::is_10x(f)) return ExprFormat::TenX;
  if (detail::path_exists(f, "matrix") && detail::is_group(f, "row_attrs")) return ExprFormat::Loom;
  return ExprFormat::Hdf5;
}

Expression read_expression(const std::string& path, const ReadExpressionOptions& opts) {
  if (!std::filesystem::exists(path)) throw Error("cannot open expression file " + quote(path) + ": no such file");
  ExprFormat fmt = opts.format == ExprFormat::Auto ? detect_expr_format(path) : opts.format;
  Expression expr;
  switch (fmt) {
    case ExprFormat::Csv: expr = detail::read_csv(path); break;
    case ExprFormat::H5ad: expr = detail::read_h5ad(path, opts); break;
    case ExprFormat::TenX: expr = detail::read_10x(path, opts); break;
    case ExprFormat::Hdf5: expr = detail::read_plain_hdf5(path, opts); break;
    case ExprFormat::Loom: expr = detail::read_loom(path, opts); break;
    case ExprFormat::Mtx:
      expr = detail::read_mtx_folder(std::filesystem::is_directory(path) ? path : std::filesystem::path(path).parent_path().string(), opts);
      break;
    case ExprFormat::Auto: break;
  }
  if (opts.make_unique) {
    make_names_unique(expr.genes);
    make_names_unique(expr.cells);
  }
  validate_expression(expr, path);
  return expr;
}

}  // namespace drim
