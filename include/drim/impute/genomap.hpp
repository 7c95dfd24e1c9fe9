#pragma once
// GenoMap: genes placed on a 2-D grid so that genes that interact (correlate over cells) are
// neighbours, by entropic Gromov-Wasserstein transport between the gene distance matrix and the
// grid's distance matrix (TCER, Wei et al. 2024; GenoMap, Islam & Xing 2021; clean-room).
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "drim/expression.hpp"

namespace drim::impute {

/// Settings of fit_genomap.
struct GenomapOptions {
  int rows = 0;                 ///< grid rows (0: the smallest square grid that holds every gene)
  int cols = 0;                 ///< grid columns (0: as rows)
  double epsilon = 0.0002;      ///< entropic regularisation, on distances scaled to [0, 1]
  double epsilon_start = 0.01;  ///< annealing: the first iteration's epsilon, x 0.7 per iteration down to `epsilon` (<= epsilon: none)
  int max_iterations = 20;      ///< Gromov-Wasserstein outer iterations at most
  int sinkhorn_iterations = 200;///< Sinkhorn scaling iterations per outer iteration at most (stops when the marginals are within 1e-9)
  double tolerance = 1e-3;      ///< stop when the plan moves less than this (Frobenius norm, relative to the plan's)
  double perturbation = 0.1;    ///< seeded multiplicative noise on the starting plan (breaks grid symmetries)
  std::uint64_t seed = 1;
};

/// Where each gene sits: genes[i] at pixel position[i] = row * cols + col. Positions no gene
/// holds are padding (always 0 in a GenoMap image).
struct GenomapLayout {
  int rows = 0, cols = 0;
  std::vector<std::string> genes;
  std::vector<int> position;
  /// Row-major pixel -> gene index, -1 for padding.
  std::vector<int> gene_at_pixel() const;
};

/// What fit_genomap did, for logs and tests.
struct GenomapFit {
  GenomapLayout layout;
  int iterations = 0;           ///< outer iterations run
  double gw_cost = 0;           ///< Gromov-Wasserstein cost of the final plan
  double assignment_mass = 0;   ///< plan mass kept by the one-to-one assignment (of 1)
};

/// 1 - |Pearson r| between the genes' log1p expression over cells (interacting genes, whether
/// they activate or repress, are close); a gene constant over cells is at distance 1 from all.
Eigen::MatrixXd gene_distances(const Expression& expr);

/// Euclidean distances between the cells of a rows x cols grid, row-major, divided by the
/// largest (the diagonal's), so they lie in [0, 1].
Eigen::MatrixXd grid_distances(int rows, int cols);

/// Entropic Gromov-Wasserstein coupling (square loss; Peyré, Cuturi & Solomon 2016) between
/// metric spaces C1 (n x n, weights p) and C2 (m x m, weights q): alternates the linearised cost
/// constC - 2 C1 T C2 with a Sinkhorn projection. Rows of the result sum to p, columns to q.
/// `iterations` receives the outer iterations run.
Eigen::MatrixXd entropic_gromov_wasserstein(const Eigen::MatrixXd& C1, const Eigen::MatrixXd& C2,
                                            const Eigen::VectorXd& p, const Eigen::VectorXd& q,
                                            const GenomapOptions& opts, int* iterations = nullptr);

/// The square-loss Gromov-Wasserstein cost sum_ijkl (C1_ik - C2_jl)^2 T_ij T_kl of a plan.
double gromov_wasserstein_cost(const Eigen::MatrixXd& C1, const Eigen::MatrixXd& C2, const Eigen::MatrixXd& T);

/// Places genes with distances C1 (n x n, in [0, 1]) on a rows x cols grid: the coupling with
/// grid_distances, then the one-to-one assignment of genes to pixels that keeps the most plan
/// mass. rows = 0 picks the smallest square grid; throws for a grid smaller than the genes.
GenomapFit fit_layout(const Eigen::MatrixXd& C1, const std::vector<std::string>& genes, const GenomapOptions& opts);

/// Places the genes of `expr` on the grid: the coupling between gene_distances and
/// grid_distances, then the one-to-one assignment of genes to pixels that keeps the most plan
/// mass. Throws for fewer than 4 genes, an all-zero matrix, or a grid smaller than the genes.
GenomapFit fit_genomap(const Expression& expr, const GenomapOptions& opts);

/// Places the genes of `expr` on `layout`'s grid in the layout's order (the layout's genes must
/// all be in `expr`; throws naming the first missing one). Returns, per layout gene, its row in expr.
std::vector<int> layout_rows(const GenomapLayout& layout, const Expression& expr);

}  // namespace drim::impute
