#include <algorithm>
#include <cmath>
#include <random>

#include "drim/error.hpp"
#include "drim/impute/genomap.hpp"

namespace drim::impute {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

/// Sinkhorn projection of the Gibbs kernel of `cost` onto the marginals p, q. Rows and then
/// columns are shifted to a zero minimum first, so every row and column keeps an entry of
/// kernel value 1 (no underflow to an all-zero row at small epsilon).
MatrixXd sinkhorn(MatrixXd cost, const VectorXd& p, const VectorXd& q, double eps, int iterations) {
  cost.colwise() -= cost.rowwise().minCoeff();
  cost.rowwise() -= cost.colwise().minCoeff();
  MatrixXd K = (-cost / eps).array().exp().matrix();
  VectorXd u = VectorXd::Ones(p.size()), v = VectorXd::Ones(q.size());
  for (int it = 0; it < iterations; ++it) {
    u = p.array() / (K * v).array().max(1e-300);
    const VectorXd Ktu = K.transpose() * u;
    // v makes the columns exact; stop once the rows are within 1e-9 of their weights too.
    if (it % 10 == 9 && ((K * (q.array() / Ktu.array().max(1e-300)).matrix()).array() * u.array() - p.array()).abs().sum() < 1e-9) {
      v = q.array() / Ktu.array().max(1e-300);
      break;
    }
    v = q.array() / Ktu.array().max(1e-300);
  }
  return u.asDiagonal() * K * v.asDiagonal();
}

}  // namespace

double gromov_wasserstein_cost(const MatrixXd& C1, const MatrixXd& C2, const MatrixXd& T) {
  const VectorXd a = T.rowwise().sum(), b = T.colwise().sum().transpose();
  const double cross = (C1 * T * C2.transpose()).cwiseProduct(T).sum();
  return a.dot(C1.cwiseProduct(C1) * a) + b.dot(C2.cwiseProduct(C2) * b) - 2 * cross;
}

MatrixXd entropic_gromov_wasserstein(const MatrixXd& C1, const MatrixXd& C2, const VectorXd& p, const VectorXd& q,
                                     const GenomapOptions& opts, int* iterations) {
  if (C1.rows() != C1.cols() || C2.rows() != C2.cols() || p.size() != C1.rows() || q.size() != C2.rows())
    throw Error("gromov-wasserstein: distance matrices and weights do not match in size");
  if (!(opts.epsilon > 0)) throw Error("gromov-wasserstein: epsilon must be > 0, got " + std::to_string(opts.epsilon));
  const MatrixXd constC = (C1.cwiseProduct(C1) * p) * VectorXd::Ones(q.size()).transpose() +
                          VectorXd::Ones(p.size()) * (C2.cwiseProduct(C2) * q).transpose();
  MatrixXd T = p * q.transpose();
  if (opts.perturbation > 0) {
    std::mt19937_64 rng(opts.seed);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (Eigen::Index j = 0; j < T.cols(); ++j)
      for (Eigen::Index i = 0; i < T.rows(); ++i) T(i, j) *= 1 + opts.perturbation * unit(rng);
  }
  int it = 0;
  double eps = std::max(opts.epsilon, opts.epsilon_start);
  for (; it < opts.max_iterations; ++it) {
    const MatrixXd cost = constC - 2 * (C1 * T * C2.transpose());
    MatrixXd next = sinkhorn(cost, p, q, eps, opts.sinkhorn_iterations);
    const double moved = (next - T).norm() / next.norm();
    T.swap(next);
    const bool annealed = eps <= opts.epsilon;
    eps = std::max(opts.epsilon, eps * 0.7);
    if (annealed && moved < opts.tolerance) {
      ++it;
      break;
    }
  }
  if (iterations) *iterations = it;
  return T;
}

}  // namespace drim::impute
