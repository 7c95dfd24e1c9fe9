#pragma once
#include <string>

#include "drim/expression.hpp"

namespace drim {

/// On-disk expression formats.
enum class ExprFormat { Auto, Csv, H5ad, TenX, Hdf5, Mtx, Loom };

/// Parses "auto", "csv", "h5ad", "10x", "hdf5", "mtx" or "loom"; throws on anything else.
ExprFormat parse_expr_format(const std::string& name);
/// The format of a path: a folder (or a matrix.mtx[.gz] file) -> Mtx; otherwise by content: an
/// HDF5 file is H5ad (named .h5ad, or with obs and var groups), Loom (named .loom, or /matrix
/// with row_attrs), TenX (a /matrix group, or a v2 genome group) or Hdf5; anything else is text
/// (Csv). A file named .h5/.h5ad/.loom that is not HDF5 is an error.
ExprFormat detect_expr_format(const std::string& path);

/// How to read an expression file.
struct ReadExpressionOptions {
  ExprFormat format = ExprFormat::Auto;  ///< Auto: from the extension
  std::string dataset;                   ///< plain HDF5: the 2-D matrix (required there)
  std::string genes;                     ///< plain HDF5: gene names (default gene_1, gene_2, ...)
  std::string cells;                     ///< plain HDF5: cell names (default cell_1, cell_2, ...)
  bool cells_by_genes = false;           ///< plain HDF5: the matrix is cells x genes
  /// 10x: keep features of this type (v3 features/feature_type); "all" keeps every feature.
  std::string feature_type = "Gene Expression";
  /// Gene names: 10x and mtx "symbols" (default) or "ids"; h5ad a var column (default: the index);
  /// loom a row attribute (default Gene).
  std::string gene_column;
  std::string layer;         ///< h5ad: "" reads X, "raw" raw/X, any other name layers/NAME
  bool make_unique = false;  ///< repeated gene or cell names get suffixes -1, -2, ... (scanpy's rule)
};

/// Reads any supported format into genes x cells float64 and validates it
/// (see validate_expression); errors name the file. Duplicate gene or cell names are an error
/// unless opts.make_unique.
Expression read_expression(const std::string& path, const ReadExpressionOptions& opts = {});

/// Writes `expr` as an AnnData .h5ad (X dense float64 cells x genes, obs/var indexed by name)
/// that anndata.read_h5ad opens; written to a temporary name and renamed on success.
void write_h5ad(const Expression& expr, const std::string& path);

/// A named extra matrix for an .h5ad's layers (same genes and cells as X, genes x cells).
struct H5adLayer {
  std::string name;
  const Expression* values;
};
/// As write_h5ad, with `layers` written as dense float64 layers/NAME (drim tools read one with
/// --layer NAME). Throws when a layer's shape differs from X's or a name repeats.
void write_h5ad(const Expression& expr, const std::string& path, const std::vector<H5adLayer>& layers);

/// A named per-cell matrix for an .h5ad's obsm (e.g. "spatial": x, y of each cell).
struct H5adObsm {
  std::string name;
  std::size_t cols = 0;
  const std::vector<double>* values = nullptr;  ///< cells x cols, row-major
};
/// As write_h5ad with layers, plus `obsm` written as dense float64 obsm/NAME [cells, cols] (what
/// anndata reads as adata.obsm[NAME]). Throws when a matrix's size is not cells x cols.
void write_h5ad(const Expression& expr, const std::string& path, const std::vector<H5adLayer>& layers,
                const std::vector<H5adObsm>& obsm);

}  // namespace drim
