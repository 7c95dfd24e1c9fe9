#pragma once
// Gene-by-gene read access to a genes x cells matrix, whether drim holds it (Expression) or
// another program does (a numpy array, a scipy CSR matrix): images are built from a view, so a
// caller's matrix need not be copied into drim's layout.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "drim/expression.hpp"

namespace drim {

/// Read access to a matrix of n_genes() x n_cells() values, one gene at a time.
class ExpressionView {
 public:
  virtual ~ExpressionView() = default;
  virtual std::size_t n_genes() const = 0;
  virtual std::size_t n_cells() const = 0;
  /// Writes gene g's n_cells() values as float64 (expm1 of them with undo_log1p). Thread-safe.
  void gene(std::size_t g, double* out) const;
  /// Values come out as expm1(v): natural-log1p data (scanpy) back to counts, as undo_log1p.
  void set_undo_log1p(bool on) { undo_log1p_ = on; }

 protected:
  virtual void fill(std::size_t g, double* out) const = 0;

 private:
  bool undo_log1p_ = false;
};

/// An Expression (which must outlive the view).
class ExpressionRows final : public ExpressionView {
 public:
  explicit ExpressionRows(const Expression& e) : e_(e) {}
  std::size_t n_genes() const override { return e_.n_genes(); }
  std::size_t n_cells() const override { return e_.n_cells(); }

 protected:
  void fill(std::size_t g, double* out) const override;

 private:
  const Expression& e_;
};

/// Element types of a caller's array.
enum class ValueType { f32, f64, i32, i64, u16, u32 };

/// A cells x genes dense array held by the caller, any element strides (in bytes), e.g. a numpy
/// array in C or Fortran order. The memory must outlive the view and not change while it is used.
class DenseCellsByGenes final : public ExpressionView {
 public:
  DenseCellsByGenes(const void* data, ValueType type, std::size_t cells, std::size_t genes, std::ptrdiff_t cell_stride,
                    std::ptrdiff_t gene_stride);
  std::size_t n_genes() const override { return genes_; }
  std::size_t n_cells() const override { return cells_; }

 protected:
  void fill(std::size_t g, double* out) const override;

 private:
  const char* data_;
  ValueType type_;
  std::size_t cells_, genes_;
  std::ptrdiff_t cell_stride_, gene_stride_;
};

/// A cells x genes CSR matrix held by the caller (scipy.sparse.csr_matrix: data, indices,
/// indptr). A column index is built once (12 bytes per stored value); the values stay where
/// they are. Repeated (cell, gene) entries add up, as scipy's toarray() does. Throws naming
/// `source` for an indptr or index out of range.
class CsrCellsByGenes final : public ExpressionView {
 public:
  CsrCellsByGenes(const void* data, ValueType type, const void* indices, bool indices64, const void* indptr, bool indptr64,
                  std::size_t cells, std::size_t genes, std::size_t nnz, const std::string& source);
  std::size_t n_genes() const override { return genes_; }
  std::size_t n_cells() const override { return cells_; }

 protected:
  void fill(std::size_t g, double* out) const override;

 private:
  const char* data_;
  ValueType type_;
  std::size_t cells_, genes_;
  std::vector<std::uint64_t> col_start_;  // genes + 1 offsets into cell_/pos_
  std::vector<std::uint32_t> cell_;       // per stored value, in gene order: its cell
  std::vector<std::uint64_t> pos_;        // and its position in data
};

/// Checks a view as validate_expression checks an Expression: shape, unique names, and finite,
/// non-negative values; throws drim::Error naming `source`, the gene and the cell.
void validate_view(const ExpressionView& view, const std::vector<std::string>& genes, const std::vector<std::string>& cells,
                   const std::string& source);

/// look_at() of a view, with its gene names.
ExpressionLook look_at(const ExpressionView& view, const std::vector<std::string>& genes);

/// The warnings of apply_input_scale() for what look_at() saw; throws UsageError for log1p
/// declared on values log1p data never reaches, or an unknown scale.
std::vector<std::string> input_scale_warnings(const ExpressionLook& look, const std::string& scale, const std::string& source);

/// apply_input_scale() for a view: the same warnings and checks; log1p sets the view's
/// undo_log1p instead of changing values.
std::vector<std::string> apply_input_scale(ExpressionView& view, const std::vector<std::string>& genes, const std::string& scale,
                                           const std::string& source);

/// The view's values copied into an Expression (for code that needs the whole matrix).
Expression materialize(const ExpressionView& view, const std::vector<std::string>& genes, const std::vector<std::string>& cells);

}  // namespace drim
