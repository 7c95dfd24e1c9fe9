#pragma once
// Format-specific readers behind read_expression(); each returns an unvalidated Expression.
#include <cstdint>
#include <string>
#include <vector>

#include "drim/expression.hpp"
#include "drim/expression_io.hpp"

namespace drim::detail {

Expression read_csv(const std::string& path);
Expression read_h5ad(const std::string& path, const ReadExpressionOptions& opts);
Expression read_10x(const std::string& path, const ReadExpressionOptions& opts);
Expression read_plain_hdf5(const std::string& path, const ReadExpressionOptions& opts);
Expression read_loom(const std::string& path, const ReadExpressionOptions& opts);
/// A Cell Ranger matrix folder: matrix.mtx[.gz] (genes x cells, MatrixMarket coordinate),
/// features.tsv[.gz] (v3) or genes.tsv[.gz] (v2), barcodes.tsv[.gz].
Expression read_mtx_folder(const std::string& dir, const ReadExpressionOptions& opts);

/// Keeps the features whose type (one per gene of `expr`) equals `wanted`; throws naming
/// `where` when none does. Used by both 10x readers (--feature-type).
void keep_feature_type(Expression& expr, const std::vector<std::string>& types, const std::string& wanted,
                       const std::string& where);

/// True for a 10x v3 (/matrix group) or v2 (genome group with gene_names) file. Caller holds hdf5_lock().
bool is_10x(std::int64_t file);

/// Fills a genes x cells dense matrix from compressed sparse data. With `major_is_cells`,
/// indptr runs over cells and indices are genes; otherwise indptr runs over genes.
void sparse_to_dense(const std::vector<double>& data, const std::vector<std::int64_t>& indices,
                     const std::vector<std::int64_t>& indptr, bool major_is_cells, Expression& expr,
                     const std::string& where);

/// Reads a 2-D cells x genes HDF5 dataset in row blocks into expr.values (genes x cells);
/// expr.genes and expr.cells must already be set. The caller holds hdf5_lock().
void read_cells_by_genes(std::int64_t dset, Expression& expr);

/// Names "prefix1", "prefix2", ... for unnamed rows or columns.
std::vector<std::string> numbered_names(const std::string& prefix, std::size_t n);

}  // namespace drim::detail
