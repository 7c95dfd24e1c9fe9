#include <charconv>
#include <cstring>

#include "drim/error.hpp"
#include "io/line_reader.hpp"
#include "io/readers.hpp"

namespace drim::detail {
namespace {

void split(const std::string& line, char delim, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  while (true) {
    std::size_t pos = line.find(delim, start);
    std::string_view f(line.data() + start, (pos == std::string::npos ? line.size() : pos) - start);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    out.push_back(f);
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
}

}  // namespace

Expression read_csv(const std::string& path) {
  LineReader in(path);
  std::string line;
  if (!in.next(line)) throw Error(path + ": the file is empty (expected a header of cell names)");
  const char delim = line.find('\t') != std::string::npos ? '\t' : ',';
  std::vector<std::string_view> fields;
  split(line, delim, fields);
  std::vector<std::string> header(fields.begin(), fields.end());

  Expression expr;
  bool decided = false;
  std::size_t n_cells = 0;
  while (in.next(line)) {
    if (line.empty()) continue;
    split(line, delim, fields);
    if (!decided) {
      // Header either has a corner cell (same width as data rows) or only cell names (one less).
      if (fields.size() == header.size()) expr.cells.assign(header.begin() + 1, header.end());
      else if (fields.size() == header.size() + 1) expr.cells = header;
      else
        throw Error(path + " line " + std::to_string(in.line_number()) + ": " + std::to_string(fields.size()) +
                    " fields but the header has " + std::to_string(header.size()) + "; expected one gene name then one value per cell");
      n_cells = expr.cells.size();
      decided = true;
    }
    if (fields.size() != n_cells + 1) {
      throw Error(path + " line " + std::to_string(in.line_number()) + ": ragged row, " + std::to_string(fields.size()) +
                  " fields where " + std::to_string(n_cells + 1) + " were expected (gene name + " +
                  std::to_string(n_cells) + " cells)");
    }
    expr.genes.emplace_back(fields[0]);
    for (std::size_t c = 0; c < n_cells; ++c) {
      std::string_view f = fields[c + 1];
      while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
      while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
      double v = 0.0;
      auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
      if (ec != std::errc() || ptr != f.data() + f.size() || f.empty()) {
        throw Error(path + " line " + std::to_string(in.line_number()) + ": value " + quote(std::string(f)) +
                    " for gene " + quote(expr.genes.back()) + " in cell " + quote(expr.cells[c]) + " is not a number");
      }
      expr.values.push_back(v);
    }
  }
  if (!decided) throw Error(path + ": no gene rows after the header");
  return expr;
}

}  // namespace drim::detail
