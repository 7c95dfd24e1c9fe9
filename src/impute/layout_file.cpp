#include "drim/impute/layout_file.hpp"

#include <fstream>
#include <sstream>
#include <unordered_set>

#include "drim/error.hpp"
#include "drim/temp_path.hpp"

namespace drim::impute {

void validate_layout(const GenomapLayout& layout, const std::string& source) {
  if (layout.rows <= 0 || layout.cols <= 0) throw Error(source + ": the grid must have rows and columns > 0");
  if (layout.position.size() != layout.genes.size()) throw Error(source + ": genes and positions differ in number");
  std::vector<int> owner(static_cast<std::size_t>(layout.rows) * layout.cols, -1);
  std::unordered_set<std::string> seen;
  for (std::size_t g = 0; g < layout.genes.size(); ++g) {
    const int p = layout.position[g];
    if (p < 0 || p >= static_cast<int>(owner.size()))
      throw Error(source + ": gene " + quote(layout.genes[g]) + " lies outside the " + std::to_string(layout.rows) + " x " +
                  std::to_string(layout.cols) + " grid");
    if (owner[p] >= 0)
      throw Error(source + ": genes " + quote(layout.genes[owner[p]]) + " and " + quote(layout.genes[g]) + " share a pixel");
    owner[p] = static_cast<int>(g);
    if (!seen.insert(layout.genes[g]).second) throw Error(source + ": gene " + quote(layout.genes[g]) + " appears twice");
  }
}

void write_layout(const GenomapLayout& layout, const std::string& path) {
  validate_layout(layout, path);
  TempPath tmp(path);
  {
    std::ofstream out(tmp.path());
    if (!out) throw Error("cannot write " + quote(path));
    out << "# drim genomap rows " << layout.rows << " cols " << layout.cols << "\n";
    for (std::size_t g = 0; g < layout.genes.size(); ++g)
      out << layout.genes[g] << '\t' << layout.position[g] / layout.cols << '\t' << layout.position[g] % layout.cols << '\n';
    if (!out.flush()) throw Error("cannot write " + quote(path));
  }
  tmp.commit();
}

GenomapLayout read_layout(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open layout " + quote(path));
  GenomapLayout layout;
  std::string line, word;
  if (!std::getline(in, line)) throw Error(quote(path) + " is empty; expected a drim GenoMap layout");
  std::istringstream head(line);
  std::string hash, drim, genomap, rows_word, cols_word;
  head >> hash >> drim >> genomap >> rows_word >> layout.rows >> cols_word >> layout.cols;
  if (!head || hash != "#" || drim != "drim" || genomap != "genomap" || rows_word != "rows" || cols_word != "cols")
    throw Error(quote(path) + " line 1: expected '# drim genomap rows R cols C', got " + quote(line));
  for (std::size_t no = 2; std::getline(in, line); ++no) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string gene;
    int r = -1, c = -1;
    if (!std::getline(fields, gene, '\t') || !(fields >> r >> c) || r < 0 || c < 0 || r >= layout.rows || c >= layout.cols)
      throw Error(quote(path) + " line " + std::to_string(no) + ": expected 'gene<TAB>row<TAB>col' inside the " +
                  std::to_string(layout.rows) + " x " + std::to_string(layout.cols) + " grid, got " + quote(line));
    layout.genes.push_back(gene);
    layout.position.push_back(r * layout.cols + c);
  }
  validate_layout(layout, quote(path));
  return layout;
}

}  // namespace drim::impute
