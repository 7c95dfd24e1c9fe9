// Views of caller-held matrices (dense with strides, CSR) read the same values as an Expression,
// and give the same bin codes and neighbours; bad CSR structure and bad values are errors.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "drim/bin_codes.hpp"
#include "drim/error.hpp"
#include "drim/expression_view.hpp"
#include "drim/neighbors.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

/// The cells x genes float32 array of `e` in C order (cells_by_genes[c * G + g]).
std::vector<float> cells_by_genes(const Expression& e) {
  std::vector<float> out(e.n_cells() * e.n_genes());
  for (std::size_t g = 0; g < e.n_genes(); ++g)
    for (std::size_t c = 0; c < e.n_cells(); ++c) out[c * e.n_genes() + g] = static_cast<float>(e.row(g)[c]);
  return out;
}

/// `e` with its values rounded to float32, as a float32 caller's matrix holds them.
Expression as_float32(Expression e) {
  for (auto& v : e.values) v = static_cast<float>(v);
  return e;
}

void expect_same_values(const ExpressionView& v, const Expression& e) {
  ASSERT_EQ(v.n_genes(), e.n_genes());
  ASSERT_EQ(v.n_cells(), e.n_cells());
  std::vector<double> row(e.n_cells());
  for (std::size_t g = 0; g < e.n_genes(); ++g) {
    v.gene(g, row.data());
    for (std::size_t c = 0; c < e.n_cells(); ++c) ASSERT_EQ(row[c], e.row(g)[c]) << "gene " << g << " cell " << c;
  }
}

TEST(ExpressionView, DenseInCAndFortranOrder) {
  Expression e = as_float32(test::random_expression(7, 13, 3));
  const auto c_order = cells_by_genes(e);
  DenseCellsByGenes c(c_order.data(), ValueType::f32, 13, 7, 7 * sizeof(float), sizeof(float));
  expect_same_values(c, e);
  std::vector<float> f_order(13 * 7);  // genes_by_cells memory = Fortran order of cells x genes
  for (std::size_t g = 0; g < 7; ++g)
    for (std::size_t k = 0; k < 13; ++k) f_order[g * 13 + k] = static_cast<float>(e.row(g)[k]);
  DenseCellsByGenes f(f_order.data(), ValueType::f32, 13, 7, sizeof(float), 13 * sizeof(float));
  expect_same_values(f, e);
  std::vector<std::int64_t> ints = {1, 2, 3, 4, 5, 6};  // 2 cells x 3 genes
  DenseCellsByGenes i(ints.data(), ValueType::i64, 2, 3, 3 * 8, 8);
  std::vector<double> row(2);
  i.gene(1, row.data());
  EXPECT_EQ(row, (std::vector<double>{2, 5}));
}

TEST(ExpressionView, CsrMatchesDenseAndAddsRepeats) {
  Expression e = as_float32(test::random_expression(9, 11, 5, 0.6));
  std::vector<float> data;
  std::vector<std::int32_t> indices, indptr = {0};
  for (std::size_t c = 0; c < 11; ++c) {
    for (std::size_t g = 0; g < 9; ++g)
      if (e.row(g)[c] != 0) {
        data.push_back(static_cast<float>(e.row(g)[c]));
        indices.push_back(static_cast<std::int32_t>(g));
      }
    indptr.push_back(static_cast<std::int32_t>(data.size()));
  }
  CsrCellsByGenes csr(data.data(), ValueType::f32, indices.data(), false, indptr.data(), false, 11, 9, data.size(), "m");
  expect_same_values(csr, e);
  // Bin codes and neighbours from the view equal the Expression's.
  EXPECT_EQ(compute_bin_codes(csr, 1).codes, compute_bin_codes(e, 1).codes);
  NeighborOptions o;
  o.n = 3;
  EXPECT_EQ(rank_neighbors(csr, e.genes, o).index, rank_neighbors(e, o).index);
  // Repeated entries add up (scipy's toarray).
  std::vector<double> d = {1.0, 2.0, 5.0};
  std::vector<std::int64_t> ix = {0, 0, 1}, ptr = {0, 2, 3};
  CsrCellsByGenes dup(d.data(), ValueType::f64, ix.data(), true, ptr.data(), true, 2, 2, 3, "m");
  std::vector<double> row(2);
  dup.gene(0, row.data());
  EXPECT_EQ(row, (std::vector<double>{3.0, 0.0}));
}

TEST(ExpressionView, BadCsrAndBadValuesAreErrors) {
  std::vector<double> d = {1.0};
  std::vector<std::int64_t> ix = {5}, ptr = {0, 1};
  test::expect_error([&] { CsrCellsByGenes(d.data(), ValueType::f64, ix.data(), true, ptr.data(), true, 1, 2, 1, "m.h5ad"); },
                     {"m.h5ad", "column index 5", "2 genes"});
  std::vector<std::int64_t> bad_ptr = {0, 3};
  test::expect_error([&] { CsrCellsByGenes(d.data(), ValueType::f64, ix.data(), true, bad_ptr.data(), true, 1, 2, 1, "m.h5ad"); },
                     {"indptr", "cell 0"});
  std::vector<double> neg = {1.0, -2.0};
  DenseCellsByGenes v(neg.data(), ValueType::f64, 1, 2, 16, 8);
  test::expect_error([&] { validate_view(v, {"A", "B"}, {"c1"}, "x"); }, {"x", "negative value", "'B'", "'c1'"});
  test::expect_error([&] { validate_view(v, {"A", "A"}, {"c1"}, "x"); }, {"duplicate gene name 'A'"});
}

TEST(ExpressionView, Log1pUndoneOnTheFlyAsUndoLog1p) {
  Expression e = test::random_expression(4, 6, 9);
  for (auto& v : e.values) v = std::log1p(v);
  Expression undone = e;
  undo_log1p(undone);
  ExpressionRows rows(e);
  auto warnings = apply_input_scale(rows, e.genes, "log1p", "x");
  EXPECT_TRUE(warnings.empty());
  expect_same_values(rows, undone);
  EXPECT_EQ(materialize(rows, e.genes, e.cells).values, undone.values);
}

}  // namespace
}  // namespace drim
