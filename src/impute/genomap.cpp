#include "drim/impute/genomap.hpp"

#include <cmath>
#include <unordered_map>

#include "drim/error.hpp"
#include "drim/impute/assignment.hpp"

namespace drim::impute {

using Eigen::MatrixXd;
using Eigen::VectorXd;

std::vector<int> GenomapLayout::gene_at_pixel() const {
  std::vector<int> at(static_cast<std::size_t>(rows) * cols, -1);
  for (std::size_t g = 0; g < position.size(); ++g) at[position[g]] = static_cast<int>(g);
  return at;
}

MatrixXd gene_distances(const Expression& expr) {
  const Eigen::Index G = expr.n_genes(), N = expr.n_cells();
  MatrixXd Z(G, N);
  std::vector<char> constant(G, 0);
  for (Eigen::Index g = 0; g < G; ++g) {
    const double* r = expr.row(g);
    for (Eigen::Index c = 0; c < N; ++c) Z(g, c) = std::log1p(r[c]);
    const double mean = Z.row(g).mean();
    Z.row(g).array() -= mean;
    const double norm = Z.row(g).norm();
    if (norm > 0) Z.row(g) /= norm;
    else constant[g] = 1;
  }
  MatrixXd D = MatrixXd::Ones(G, G) - (Z * Z.transpose()).cwiseAbs();
  for (Eigen::Index g = 0; g < G; ++g) {
    if (constant[g]) {
      D.row(g).setOnes();
      D.col(g).setOnes();
    }
    D(g, g) = 0;
  }
  return D.cwiseMax(0.0);
}

MatrixXd grid_distances(int rows, int cols) {
  const int n = rows * cols;
  MatrixXd D(n, n);
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) D(a, b) = std::hypot(a / cols - b / cols, a % cols - b % cols);
  const double top = D.maxCoeff();
  return top > 0 ? MatrixXd(D / top) : D;
}

GenomapFit fit_layout(const MatrixXd& C1, const std::vector<std::string>& genes, const GenomapOptions& opts) {
  const int G = static_cast<int>(C1.rows());
  if (G < 1 || C1.cols() != G || static_cast<int>(genes.size()) != G)
    throw Error("GenoMap: the distance matrix must be square with one row per gene");
  int rows = opts.rows, cols = opts.cols;
  if (rows <= 0) rows = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(G))));
  if (cols <= 0) cols = opts.rows > 0 ? (G + rows - 1) / rows : rows;
  if (static_cast<long>(rows) * cols < G)
    throw Error("GenoMap grid " + std::to_string(rows) + " x " + std::to_string(cols) + " holds fewer pixels than the " +
                std::to_string(G) + " genes");
  const int M = rows * cols;
  const MatrixXd C2 = grid_distances(rows, cols);
  const VectorXd p = VectorXd::Constant(G, 1.0 / G), q = VectorXd::Constant(M, 1.0 / M);
  GenomapFit fit;
  const MatrixXd T = entropic_gromov_wasserstein(C1, C2, p, q, opts, &fit.iterations);
  fit.gw_cost = gromov_wasserstein_cost(C1, C2, T);
  const std::vector<int> col = min_cost_assignment(-T * static_cast<double>(G));
  fit.layout.rows = rows;
  fit.layout.cols = cols;
  fit.layout.genes = genes;
  fit.layout.position = col;
  for (int g = 0; g < G; ++g) fit.assignment_mass += T(g, col[g]);
  return fit;
}

GenomapFit fit_genomap(const Expression& expr, const GenomapOptions& opts) {
  const int G = static_cast<int>(expr.n_genes());
  if (G < 4) throw Error("GenoMap needs at least 4 genes, got " + std::to_string(G));
  bool any = false;
  for (double v : expr.values)
    if (v != 0) {
      any = true;
      break;
    }
  if (!any) throw Error("GenoMap: every value of the expression matrix is 0");
  return fit_layout(gene_distances(expr), expr.genes, opts);
}

std::vector<int> layout_rows(const GenomapLayout& layout, const Expression& expr) {
  std::unordered_map<std::string, int> row;
  for (std::size_t g = 0; g < expr.n_genes(); ++g) row.emplace(expr.genes[g], static_cast<int>(g));
  std::vector<int> out;
  out.reserve(layout.genes.size());
  for (const auto& gene : layout.genes) {
    auto it = row.find(gene);
    if (it == row.end()) throw Error("gene " + quote(gene) + " of the GenoMap layout is not in the expression matrix");
    out.push_back(it->second);
  }
  return out;
}

}  // namespace drim::impute
