#include "cli_common.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <omp.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "drim/error.hpp"
#include "drim/pairs.hpp"
#include "drim/version.hpp"

namespace drim::cli {

void add_expr_options(CLI::App& app, ExprArgs& args, bool required) {
  auto* e = app.add_option("--expr", args.path,
                           "Expression matrix: .h5ad, 10x .h5 (v2/v3) or matrix folder, .loom, plain .h5/.hdf5, or genes x cells "
                           ".csv/.tsv[.gz]; the format is found from the content");
  if (required) e->required();
  app.add_option("--expr-format", args.format, "Override the format: auto, csv, h5ad, 10x, mtx, loom, hdf5")
      ->check(CLI::IsMember({"auto", "csv", "tsv", "h5ad", "10x", "mtx", "loom", "hdf5"}))->capture_default_str();
  app.add_option("--input-scale", args.input_scale,
                 "What the values are: counts (raw or normalised, not logged; drim bins log10(x + 0.01)) or log1p "
                 "(natural log1p data such as scanpy's .X after pp.log1p: drim takes exp(x) - 1 first)")
      ->check(CLI::IsMember({"counts", "log1p"}))->capture_default_str();
  app.add_option("--layer", args.read.layer, "h5ad: read layers/NAME instead of X, or 'raw' for raw/X (with raw/var's genes)");
  app.add_option("--gene-column", args.read.gene_column,
                 "Gene names from: 10x 'symbols' (default) or 'ids'; h5ad a var column (default the index); loom a row attribute");
  app.add_option("--feature-type", args.read.feature_type, "10x: keep features of this type ('all' keeps every one)")->capture_default_str();
  app.add_flag("--make-unique", args.read.make_unique, "Suffix repeated gene or cell names with -1, -2, ... (scanpy's rule) instead of failing");
  app.add_option("--dataset", args.read.dataset, "Plain HDF5: path of the 2-D matrix (genes x cells)");
  app.add_option("--genes", args.read.genes, "Plain HDF5: path of the gene-name dataset");
  app.add_option("--cells", args.read.cells, "Plain HDF5: path of the cell-name dataset");
  app.add_flag("--cells-by-genes", args.read.cells_by_genes, "Plain HDF5: the matrix is cells x genes");
  app.add_flag("--ignore-case", args.ignore_case, "Match gene names case-insensitively");
}

void add_run_options(CLI::App& app, RunArgs& args) {
  app.add_option("--threads,-t", args.threads, "Worker threads (0 = all cores)")->capture_default_str()->check(non_negative());
  app.add_option("--seed", args.seed, "Random seed; the same seed gives the same output")->capture_default_str();
  app.add_flag("--quiet,-q", args.quiet, "Only warnings and errors on stderr; no progress bar");
  app.add_option("--summary", args.summary, "Write the run's JSON summary to this file instead of stdout");
  app.set_version_flag("--version", std::string("drim ") + kVersion);
}

void add_image_options(CLI::App& app, ImageOptions& opts, NeighborArgs& neighbor) {
  app.add_option("--neighbors,-n", opts.neighbors, "Neighbour genes per gene (a pair gets 2n + 3 images; 0 keeps the two self images)")
      ->capture_default_str()->check(non_negative());
  app.add_flag("--primary-only", opts.primary_only, "Only the primary image (CNNC's input)");
  app.add_flag("--exclude-self", opts.exclude_self, "Drop a gene from its own neighbour list");
  app.add_option("--neighbor-groups", neighbor.groups,
                 "'gene group' lines: rank neighbours (and draw --pretrain-pairs pairs) only among genes of the same group (e.g. simulated datasets "
                 "stacked in one matrix; drim-simulate ggm writes groups.tsv)");
  app.add_option("--neighbor-pool", neighbor.pool,
                 "Genes that may be neighbours: all (the paper's), tfs (the TFs of the pairs: a gene's neighbour images "
                 "then show it beside its likeliest regulators), or a file of gene names")
      ->capture_default_str();
  app.add_option("--neighbor-rank", neighbor.rank,
                 "Rank neighbours by covariance (the paper's; favours highly expressed genes) or by |Pearson r|")
      ->check(CLI::IsMember({"covariance", "correlation"}))->capture_default_str();
  app.add_option("--conditional", opts.conditional,
                 "K > 0: a second primary image I(a, b | K) for tower A: the target's log values minus their least-squares fit "
                 "on the K genes (not the TF) that correlate best with it, from the neighbour pool and group, so that a TF whose "
                 "link runs through another gene shows none (not in the paper; docs/training-recipe.md). 0 = off")
      ->capture_default_str()->check(non_negative());
}

void apply_neighbor_args(const NeighborArgs& args, const std::vector<std::string>& genes, const GeneIndex& index,
                         const std::vector<int>& tf_rows, ImageOptions& opts) {
  if (!args.groups.empty()) opts.neighbor_group = read_neighbor_groups(args.groups, genes, index);
  opts.neighbor_rank = parse_neighbor_rank(args.rank);
  std::size_t skipped = 0;
  opts.neighbor_pool = neighbor_pool(args.pool, genes, index, tf_rows, &skipped);
  if (!opts.neighbor_pool.empty())
    spdlog::info("neighbours drawn from {} gene(s) ({}){}", std::count(opts.neighbor_pool.begin(), opts.neighbor_pool.end(), 1),
                 args.pool, skipped ? fmt::format("; {} listed gene(s) not in the matrix", skipped) : std::string());
}

Expression load_expression(const ExprArgs& args) {
  auto t0 = std::chrono::steady_clock::now();
  ReadExpressionOptions ro = args.read;
  ro.format = parse_expr_format(args.format);
  Expression expr = read_expression(args.path, ro);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::info("read {}: {} genes x {} cells in {:.2f}s", args.path, expr.n_genes(), expr.n_cells(), secs);
  for (const auto& w : apply_input_scale(expr, args.input_scale, args.path)) spdlog::warn("{}", w);
  return expr;
}

void apply_run_options(RunArgs& args) {
  spdlog::set_level(args.quiet ? spdlog::level::warn : spdlog::level::info);
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (args.threads > cores) {
    spdlog::warn("--threads {} is more than the {} cores here; using {}", args.threads, cores, cores);
    args.threads = cores;
  }
  if (args.threads > 0) omp_set_num_threads(args.threads);
}

int run_app(CLI::App& app, int argc, char** argv, const std::function<void()>& body) {
  remove_temp_files_on_signal();
  auto logger = spdlog::stderr_color_mt("drim");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("[%H:%M:%S] %^%l%$ %v");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    body();
  } catch (const CLI::ParseError& e) {  // a bad combination found after parsing: still a usage error
    spdlog::error("{}", e.what());
    return 2;
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::string msg = e.what();
    auto cut = msg.find("\nException raised from");  // LibTorch errors carry a C++ backtrace
    spdlog::error("{}", cut == std::string::npos ? msg : msg.substr(0, cut));
    return 1;
  }
  return 0;
}

namespace {

/// A FIFO, character device (terminal, /dev/null) or socket, following symbolic links.
bool is_special_file(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  return !ec && (std::filesystem::is_fifo(st) || std::filesystem::is_character_file(st) || std::filesystem::is_socket(st));
}

}  // namespace

void emit_summary(const RunArgs& run, nlohmann::json summary, bool stdout_is_data) {
  summary["version"] = kVersion;
  if (!run.summary.empty()) {
    TextOutput f(run.summary);
    f.stream() << summary.dump(2) << '\n';
    f.commit();
    return;
  }
  (stdout_is_data ? std::cerr : std::cout) << summary.dump() << std::endl;
}

void check_output(const std::string& out, const std::vector<std::string>& inputs, bool text) {
  if (!text && out == "-") throw UsageError("--out '-': this output is binary (HDF5 or a model) and cannot go to stdout; give a file name");
  if (!text && is_special_file(out)) throw UsageError("--out " + quote(out) + " is not a regular file; this output needs one");
  std::error_code ec;
  if (out == "-" || !std::filesystem::exists(out, ec)) return;
  for (const auto& in : inputs) {
    if (in.empty() || in == "-") continue;
    if (std::filesystem::equivalent(out, in, ec) && !ec)
      throw UsageError("--out " + quote(out) + " is the input " + quote(in) + "; writing it would destroy the input");
  }
}

TextOutput::TextOutput(const std::string& path) {
  if (path == "-") return;
  if (is_special_file(path)) {  // no rename onto a FIFO or device: stream into it
    file_ = std::make_unique<std::ofstream>(path);
    if (!*file_) throw Error("cannot open output " + quote(path));
    return;
  }
  tmp_ = std::make_unique<TempPath>(path);
  file_ = std::make_unique<std::ofstream>(tmp_->path());
  if (!*file_) throw Error("cannot create output file " + quote(path));
}

TextOutput::~TextOutput() { file_.reset(); }

std::ostream& TextOutput::stream() { return file_ ? *file_ : std::cout; }

void TextOutput::commit() {
  if (!file_) {
    std::cout.flush();
    return;
  }
  file_->flush();
  if (!*file_) throw Error("cannot write " + quote(tmp_ ? tmp_->path() : std::string("the output")) + " (disk full?)");
  file_.reset();
  if (tmp_) tmp_->commit();
}

EdgeListOutput::EdgeListOutput(const std::string& path, const std::string& format, const std::string& preamble)
    : out_(path), sep_('\t') {
  out_.stream() << preamble;
  // BEELINE's evaluator reads rankedEdges.csv with sep='\t' despite the name; pySCENIC and
  // arboreto name their adjacency columns TF, target, importance.
  if (format == "tsv") out_.stream() << "tf\ttarget\tscore\n";
  else if (format == "beeline") out_.stream() << "Gene1\tGene2\tEdgeWeight\n";
  else if (format == "pyscenic") out_.stream() << "TF\ttarget\timportance\n";
  else throw Error("edge list format " + quote(format) + " must be tsv, beeline or pyscenic");
}

void EdgeListOutput::write(const std::string& tf, const std::string& target, float score) {
  char num[32];
  std::snprintf(num, sizeof num, "%.9g", score);
  write(tf, target, std::string(num));
}

void EdgeListOutput::write(const std::string& tf, const std::string& target, const std::string& score) {
  for (const auto* name : {&tf, &target})
    if (name->find_first_of("\t\n\r") != std::string::npos)
      throw Error("gene name " + quote(*name) + " holds a tab or line break, which no TSV reader can parse back; rename it");
  out_.stream() << tf << sep_ << target << sep_ << score << '\n';
  ++written_;
}

}  // namespace drim::cli
