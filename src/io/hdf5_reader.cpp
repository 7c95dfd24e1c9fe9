#include <algorithm>

#include "drim/error.hpp"
#include "io/hdf5_util.hpp"
#include "io/readers.hpp"

namespace drim::detail {

void read_cells_by_genes(hid_t x, Expression& expr) {
  const std::size_t G = expr.n_genes(), C = expr.n_cells();
  expr.values.resize(G * C);
  const hsize_t block = std::max<hsize_t>(1, (1u << 24) / std::max<std::size_t>(G, 1));
  std::vector<double> buf;
  for (hsize_t r0 = 0; r0 < C; r0 += block) {
    hsize_t nr = std::min<hsize_t>(block, C - r0);
    buf.resize(nr * G);
    read_rows_f64(x, r0, nr, G, buf.data());
    for (hsize_t r = 0; r < nr; ++r)
      for (std::size_t g = 0; g < G; ++g) expr.values[g * C + r0 + r] = buf[r * G + g];
  }
}

Expression read_plain_hdf5(const std::string& path, const ReadExpressionOptions& opts) {
  if (opts.dataset.empty())
    throw Error(path + ": a plain HDF5 file needs --dataset (the path of its 2-D matrix), or --expr-format 10x/h5ad");
  auto lock = hdf5_lock();
  H5Id file = open_file_ro(path);
  H5Id x = open_dataset(file, opts.dataset, path, "the expression matrix given by --dataset");
  auto dims = dataset_dims(x);
  if (dims.size() != 2) throw Error(path + ": " + quote(opts.dataset) + " must be 2-D, it has " + std::to_string(dims.size()) + " dimensions");
  const std::size_t G = opts.cells_by_genes ? dims[1] : dims[0];
  const std::size_t C = opts.cells_by_genes ? dims[0] : dims[1];
  Expression expr;
  expr.genes = opts.genes.empty() ? numbered_names("gene_", G)
                                  : read_strings(open_dataset(file, opts.genes, path, "gene names given by --genes"), path + ": " + opts.genes);
  expr.cells = opts.cells.empty() ? numbered_names("cell_", C)
                                  : read_strings(open_dataset(file, opts.cells, path, "cell names given by --cells"), path + ": " + opts.cells);
  if (expr.n_genes() != G || expr.n_cells() != C)
    throw Error(path + ": matrix is " + std::to_string(G) + " genes x " + std::to_string(C) + " cells but there are " +
                std::to_string(expr.n_genes()) + " gene and " + std::to_string(expr.n_cells()) + " cell names" +
                (opts.cells_by_genes ? "" : " (is it cells x genes? use --cells-by-genes)"));
  expr.values.resize(G * C);
  if (!opts.cells_by_genes) {
    if (G * C > 0) read_rows_f64(x, 0, G, C, expr.values.data());
    return expr;
  }
  read_cells_by_genes(x, expr);
  return expr;
}

}  // namespace drim::detail
