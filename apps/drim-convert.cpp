// drim-convert: any supported expression format to an AnnData .h5ad.
#include <spdlog/spdlog.h>

#include "cli_common.hpp"

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Convert an expression matrix (CSV/TSV[.gz], 10x .h5, plain HDF5, .h5ad) to AnnData .h5ad.\n\n"
               "Example:\n  drim-convert --expr ExpressionData.csv.gz --out expression.h5ad"};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  std::string out;
  cli::add_expr_options(app, expr_args);
  app.add_option("--out,-o", out, "Output .h5ad file")->required();
  cli::add_run_options(app, run);
  return cli::run_app(app, argc, argv, [&] {
    cli::apply_run_options(run);
    cli::check_output(out, {expr_args.path}, false);
    Expression expr = cli::load_expression(expr_args);
    write_h5ad(expr, out);
    spdlog::info("wrote {} ({} cells x {} genes)", out, expr.n_cells(), expr.n_genes());
    cli::emit_summary(run, {{"tool", "drim-convert"}, {"out", out}, {"genes", expr.n_genes()}, {"cells", expr.n_cells()}});
  });
}
