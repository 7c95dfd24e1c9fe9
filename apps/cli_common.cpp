#include "cli_common.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include <omp.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "drim/error.hpp"
#include "drim/pairs.hpp"
#include "drim/version.hpp"

namespace drim::cli {

void add_expr_options(CLI::App& app, ExprArgs& args, bool required) {
  auto* e = app.add_option("--expr", args.path, "Expression matrix: .h5ad, 10x .h5, plain .h5/.hdf5, or genes x cells .csv/.tsv[.gz]");
  if (required) e->required();
  app.add_option("--expr-format", args.format, "Override the format: auto, csv, h5ad, 10x, hdf5")
      ->check(CLI::IsMember({"auto", "csv", "tsv", "h5ad", "10x", "hdf5"}))->capture_default_str();
  app.add_option("--dataset", args.read.dataset, "Plain HDF5: path of the 2-D matrix (genes x cells)");
  app.add_option("--genes", args.read.genes, "Plain HDF5: path of the gene-name dataset");
  app.add_option("--cells", args.read.cells, "Plain HDF5: path of the cell-name dataset");
  app.add_flag("--cells-by-genes", args.read.cells_by_genes, "Plain HDF5: the matrix is cells x genes");
  app.add_flag("--ignore-case", args.ignore_case, "Match gene names case-insensitively");
}

void add_run_options(CLI::App& app, RunArgs& args) {
  app.add_option("--threads,-t", args.threads, "Worker threads (0 = all cores)")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--seed", args.seed, "Random seed; the same seed gives the same output")->capture_default_str();
  app.add_flag("--quiet,-q", args.quiet, "Only warnings and errors on stderr; no progress bar");
  app.set_version_flag("--version", std::string("drim ") + kVersion);
}

void add_image_options(CLI::App& app, ImageOptions& opts, std::string& neighbor_groups) {
  app.add_option("--neighbors,-n", opts.neighbors, "Neighbour genes per gene (a pair gets 2n + 3 images)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_flag("--primary-only", opts.primary_only, "Only the primary image (CNNC's input)");
  app.add_flag("--exclude-self", opts.exclude_self, "Drop a gene from its own neighbour list");
  app.add_option("--neighbor-groups", neighbor_groups,
                 "'gene group' lines: rank neighbours only among genes of the same group (e.g. simulated datasets "
                 "stacked in one matrix; drim-simulate ggm writes groups.tsv)");
}

void add_train_options(CLI::App& app, TrainArgs& a) {
  auto& t = a.opts;
  app.add_option("--model", a.kind, "Network: deepdrim or cnnc (primary image only)")->check(CLI::IsMember({"deepdrim", "cnnc"}))->capture_default_str();
  app.add_option("--optimizer", t.optimizer, "sgd (Nesterov momentum, the reference) or adam")->check(CLI::IsMember({"sgd", "adam"}))->capture_default_str();
  app.add_option("--epochs", t.epochs, "Maximum epochs")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--batch", t.batch, "Pairs per step")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--lr", t.lr, "Learning rate (the reference's SGD: 0.01; with --optimizer adam use 0.0003, 0.001 can collapse to a constant output)")->capture_default_str();
  app.add_option("--momentum", t.momentum, "SGD momentum")->capture_default_str();
  app.add_flag("--no-nesterov", a.no_nesterov, "Plain momentum instead of Nesterov");
  app.add_option("--decay", t.decay, "Keras-style decay: lr / (1 + decay * step)")->capture_default_str();
  app.add_option("--tower-dropout", t.tower_dropout, "Dropout after each conv block while training (reference 0.25)")
      ->capture_default_str()->check(CLI::Range(0.0, 0.99));
  app.add_option("--head-dropout", t.head_dropout, "Dropout in the MLP head while training (reference 0.5)")
      ->capture_default_str()->check(CLI::Range(0.0, 0.99));
  app.add_option("--patience", t.patience, "Early stopping: epochs without a better --monitor value (0 = off)")->capture_default_str();
  app.add_option("--monitor", t.monitor,
                 "What picks the kept epoch and drives early stopping: val_accuracy (the reference), val_auroc or val_loss")
      ->check(CLI::IsMember({"val_accuracy", "val_auroc", "val_loss"}))->capture_default_str();
  app.add_option("--val-fraction", a.val_fraction, "Fraction of training pairs held out for validation, as whole TFs")->capture_default_str();
  app.add_option("--negatives", a.negatives, "With --network: negatives per TF drawn 'uniform' or by in-'degree'")
      ->check(CLI::IsMember({"uniform", "degree"}))->capture_default_str();
  app.add_option("--negative-ratio", a.negative_ratio, "With --network: negatives per positive, per TF (reference 1)")
      ->capture_default_str()->check(CLI::Range(0.01, 1000.0));
  app.add_option("--max-positives", a.max_positives,
                 "With --network: at most N positives per TF, drawn at random (seeded); its other targets are never drawn as "
                 "negatives (0 = all)")->capture_default_str();
  app.add_option("--device", a.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}))->capture_default_str();
  app.add_option("--log", a.log, "Write one JSON line per epoch to this file");
}

Expression load_expression(const ExprArgs& args) {
  auto t0 = std::chrono::steady_clock::now();
  ReadExpressionOptions ro = args.read;
  ro.format = parse_expr_format(args.format);
  Expression expr = read_expression(args.path, ro);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::info("read {}: {} genes x {} cells in {:.2f}s", args.path, expr.n_genes(), expr.n_cells(), secs);
  return expr;
}

void apply_run_options(const RunArgs& args) {
  if (args.threads > 0) omp_set_num_threads(args.threads);
  spdlog::set_level(args.quiet ? spdlog::level::warn : spdlog::level::info);
}

int run_app(CLI::App& app, int argc, char** argv, const std::function<void()>& body) {
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
  } catch (const std::exception& e) {
    std::string msg = e.what();
    auto cut = msg.find("\nException raised from");  // LibTorch errors carry a C++ backtrace
    spdlog::error("{}", cut == std::string::npos ? msg : msg.substr(0, cut));
    return 1;
  }
  return 0;
}

std::vector<LabelledPair> load_labelled_pairs(const std::string& pairs_path, const std::string& network_path,
                                              const std::string& tfs_path, const TrainArgs& args,
                                              std::uint64_t seed, const GeneIndex& index, bool skip_missing) {
  std::vector<LabelledPair> out;
  if (!pairs_path.empty()) {
    PairList list = read_pairs(pairs_path);
    if (!list.has_labels) throw Error(pairs_path + ": training pairs need a label on every line ('tf target 0|1'); or give --network and --tfs");
    ResolvedPairs r = resolve_pairs(list, index, skip_missing, pairs_path);
    if (r.dropped) spdlog::warn("{}: dropped {} pair(s) with genes not in the matrix", pairs_path, r.dropped);
    for (std::size_t i = 0; i < r.size(); ++i) out.push_back({r.tf[i], r.target[i], r.label[i]});
    return out;
  }
  if (network_path.empty() || tfs_path.empty()) throw Error("give --pairs (labelled), or --network together with --tfs");
  PairList net = read_pairs(network_path);
  ResolvedPairs r = resolve_pairs(net, index, /*skip_missing=*/true, network_path);
  if (r.dropped) spdlog::warn("{}: {} of {} edges name genes not in the matrix; using the other {}", network_path, r.dropped, net.pairs.size(), r.size());
  std::vector<std::pair<int, int>> edges;
  for (std::size_t i = 0; i < r.size(); ++i) edges.emplace_back(r.tf[i], r.target[i]);
  std::vector<int> tfs;
  std::size_t unknown = 0;
  for (const auto& name : read_name_list(tfs_path)) {
    if (auto row = index.find(name)) tfs.push_back(*row);
    else ++unknown;
  }
  if (unknown) spdlog::warn("{}: {} TF(s) not in the matrix, ignored", tfs_path, unknown);
  if (tfs.empty()) throw Error(tfs_path + ": none of its TFs are genes of the expression matrix");
  out = make_training_pairs(edges, tfs, index.size(), {parse_negative_recipe(args.negatives), args.negative_ratio, args.max_positives}, seed);
  if (out.empty()) throw Error(network_path + ": no edge starts at a TF of " + quote(tfs_path));
  return out;
}

std::ofstream open_epoch_log(const std::string& path, bool append) {
  std::ofstream log;
  if (path.empty()) return log;
  log.open(path, append ? std::ios::app : std::ios::trunc);
  if (!log) throw Error("cannot write the epoch log " + quote(path));
  return log;
}

TextOutput::TextOutput(const std::string& path) {
  if (path == "-") return;
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
  if (!*file_) throw Error("cannot write " + quote(tmp_->path()) + " (disk full?)");
  file_.reset();
  tmp_->commit();
}

EdgeListOutput::EdgeListOutput(const std::string& path, const std::string& format)
    : out_(path), sep_(format == "beeline" ? ',' : '\t') {
  if (format != "tsv" && format != "beeline") throw Error("edge list format " + quote(format) + " must be tsv or beeline");
  out_.stream() << (format == "beeline" ? "Gene1,Gene2,EdgeWeight\n" : "tf\ttarget\tscore\n");
}

void EdgeListOutput::write(const std::string& tf, const std::string& target, float score) {
  char num[32];
  std::snprintf(num, sizeof num, "%.9g", score);
  write(tf, target, std::string(num));
}

void EdgeListOutput::write(const std::string& tf, const std::string& target, const std::string& score) {
  out_.stream() << tf << sep_ << target << sep_ << score << '\n';
  ++written_;
}

}  // namespace drim::cli
