#pragma once
#include <string>

#include "drim/expression.hpp"

namespace drim {

/// On-disk expression formats.
enum class ExprFormat { Auto, Csv, H5ad, TenX, Hdf5 };

/// Parses "auto", "csv", "h5ad", "10x" or "hdf5"; throws on anything else.
ExprFormat parse_expr_format(const std::string& name);
/// The format implied by a file name: .h5ad -> H5ad; .csv/.tsv/.txt[.gz] -> Csv;
/// .h5/.hdf5 -> TenX when it has a /matrix group, else Hdf5.
ExprFormat detect_expr_format(const std::string& path);

/// How to read an expression file.
struct ReadExpressionOptions {
  ExprFormat format = ExprFormat::Auto;  ///< Auto: from the extension
  std::string dataset;                   ///< plain HDF5: the 2-D matrix (required there)
  std::string genes;                     ///< plain HDF5: gene names (default gene_1, gene_2, ...)
  std::string cells;                     ///< plain HDF5: cell names (default cell_1, cell_2, ...)
  bool cells_by_genes = false;           ///< plain HDF5: the matrix is cells x genes
};

/// Reads any supported format into genes x cells float64 and validates it
/// (see validate_expression); errors name the file.
Expression read_expression(const std::string& path, const ReadExpressionOptions& opts = {});

/// Writes `expr` as an AnnData .h5ad (X dense float64 cells x genes, obs/var indexed by name)
/// that anndata.read_h5ad opens; written to a temporary name and renamed on success.
void write_h5ad(const Expression& expr, const std::string& path);

}  // namespace drim
