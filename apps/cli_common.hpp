#pragma once
// Command-line plumbing shared by every drim-* tool: the common option names, logging, the
// single catch in main, and outputs that appear only when complete.
#include <cstdint>
#include <functional>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "drim/expression.hpp"
#include "drim/expression_io.hpp"
#include "drim/gene_index.hpp"
#include "drim/image_builder.hpp"
#include "drim/temp_path.hpp"
#include "drim/training_pairs.hpp"

namespace drim::cli {

/// Option checks whose message names the bound (CLI11's own print the largest double, 309 digits).
inline CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        try {
          std::size_t used = 0;
          if (std::stod(v, &used) >= 0 && used == v.size()) return "";
        } catch (const std::exception&) {
        }
        return "must be a number >= 0, got " + v;
      },
      "NONNEGATIVE");
}
inline CLI::Validator positive() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        try {
          std::size_t used = 0;
          if (std::stod(v, &used) > 0 && used == v.size()) return "";
        } catch (const std::exception&) {
        }
        return "must be a number > 0, got " + v;
      },
      "POSITIVE");
}

/// Where the expression comes from (--expr, --expr-format, --dataset, --genes, --cells, ...).
struct ExprArgs {
  std::string path;
  std::string format = "auto";
  ReadExpressionOptions read;
  bool ignore_case = false;
  std::string input_scale = "counts";  ///< counts (raw or normalised) or log1p (scanpy's log1p data)
};

/// Options every tool has (--threads, --seed, --quiet, --summary).
struct RunArgs {
  int threads = 0;          ///< 0 = all cores
  std::uint64_t seed = 42;  ///< random seed
  bool quiet = false;
  std::string summary;      ///< --summary FILE: the run's JSON summary goes there instead of stdout
};

/// Adds --expr (required unless `required` is false) and the reader options.
void add_expr_options(CLI::App& app, ExprArgs& args, bool required = true);
/// Adds --threads, --seed, --quiet, --summary, --version.
void add_run_options(CLI::App& app, RunArgs& args);
/// Neighbour options resolved once the matrix is loaded: --neighbor-groups, --neighbor-pool, --neighbor-rank.
struct NeighborArgs {
  std::string groups;        ///< 'gene group' file, or empty
  std::string pool = "all";  ///< all, tfs, or a gene-list file
  std::string rank = "covariance";  ///< covariance or correlation

  /// Whether --neighbor-pool or --neighbor-rank departs from the paper's images (which an images file
  /// cannot record).
  bool departs_from_paper() const { return pool != "all" || rank != "covariance"; }
};

/// Adds --neighbors, --primary-only, --exclude-self, --neighbor-groups, --neighbor-pool and --neighbor-rank.
void add_image_options(CLI::App& app, ImageOptions& opts, NeighborArgs& neighbor);
/// Fills `opts.neighbor_group`, `opts.neighbor_pool` and `opts.neighbor_rank` for the loaded matrix; `tf_rows` are the
/// TFs of the pairs (for --neighbor-pool tfs). Logs the pool's size.
void apply_neighbor_args(const NeighborArgs& args, const std::vector<std::string>& genes, const GeneIndex& index,
                         const std::vector<int>& tf_rows, ImageOptions& opts);

/// Reads and validates the expression, logging its size and the time taken.
Expression load_expression(const ExprArgs& args);

/// Sets up logging (stderr; warnings only with --quiet) and the OpenMP thread count; caps
/// --threads at the machine's cores, with a warning.
void apply_run_options(RunArgs& args);

/// Writes the run's JSON summary (with "version" added) to --summary FILE, or else to stdout;
/// to stderr when stdout carries the tool's data (`stdout_is_data`).
void emit_summary(const RunArgs& run, nlohmann::json summary, bool stdout_is_data = false);

/// Checks an output path before any work: it must not be one of `inputs` (same file, by inode,
/// whatever the spelling), and a binary (HDF5/model) output must be a regular file, not "-", a
/// FIFO or a terminal. Throws UsageError naming both paths.
void check_output(const std::string& out, const std::vector<std::string>& inputs, bool text);

/// Parses argv, then runs `body`; catches every error once, logs it, and returns the exit code:
/// 0 success, 1 failure while running, 2 bad command line.
int run_app(CLI::App& app, int argc, char** argv, const std::function<void()>& body);

/// A text output: stdout for "-"; a FIFO, terminal or /dev/stdout written directly (streamed);
/// else a temporary file renamed on commit().
class TextOutput {
 public:
  explicit TextOutput(const std::string& path);
  ~TextOutput();
  std::ostream& stream();
  void commit();

 private:
  std::unique_ptr<TempPath> tmp_;
  std::unique_ptr<std::ofstream> file_;
};

/// The --format values of a ranked edge list.
inline const std::vector<std::string>& edge_list_formats() {
  static const std::vector<std::string> f = {"tsv", "beeline", "pyscenic"};
  return f;
}

/// A ranked edge list, tab-separated with a header: "tf target score" (tsv), "Gene1 Gene2
/// EdgeWeight" (beeline: what BEELINE's evaluator reads as rankedEdges.csv) or "TF target
/// importance" (pyscenic: arboreto/pySCENIC adjacencies). Appears only on commit(); a gene name
/// holding a tab or line break is an error.
class EdgeListOutput {
 public:
  /// Writes the format's header, after `preamble` (whole lines, e.g. a '#' comment) if given.
  EdgeListOutput(const std::string& path, const std::string& format, const std::string& preamble = "");
  /// Writes one edge; a float score is printed with 9 significant digits (exact round trip).
  void write(const std::string& tf, const std::string& target, float score);
  void write(const std::string& tf, const std::string& target, const std::string& score);
  void commit() { out_.commit(); }
  std::size_t written() const { return written_; }

 private:
  TextOutput out_;
  char sep_;
  std::size_t written_ = 0;
};

}  // namespace drim::cli
