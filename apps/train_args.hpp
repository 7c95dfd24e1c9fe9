#pragma once
// Command-line plumbing of the training tools (drim-train, drim-cv): the recipe options and
// presets, labelled pairs, the epoch log. Linked with the model library.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "drim/distributed/dist_options.hpp"
#include "drim/gene_index.hpp"
#include "drim/model/train_options.hpp"
#include "drim/training_pairs.hpp"

namespace drim::cli {

/// Training choices shared by drim-train and drim-cv.
struct TrainArgs {
  std::string preset = "drim";       ///< drim (the measured best recipe) or reference (the paper's)
  model::TrainOptions opts;          ///< resolved by resolve_train_args: preset, then what the command line gave
  std::string kind = "deepdrim";     ///< deepdrim, cnnc, fusion or image-only
  std::string device = "auto";       ///< auto, cpu or cuda
  std::string negatives = "uniform"; ///< with --network: uniform or degree
  double negative_ratio = 1.0;       ///< with --network: negatives per positive, per TF (reference 1)
  std::size_t max_positives = 0;     ///< with --network: at most this many positives per TF, drawn at random; 0 = all
  double val_fraction = 0.2;         ///< pairs held out for validation, as whole TFs
  bool no_nesterov = false;
  std::string log;                   ///< JSON line per epoch
  distributed::DistOptions dist;     ///< data-parallel group (--dist-url, --rank, --world-size, --dist-timeout)
};

/// Adds --preset, --model, the recipe options (--optimizer, --epochs, --lr, --norm, ...; shown with
/// the default preset's values), --val-fraction, --negatives, --negative-ratio, --max-positives,
/// --device, --log.
void add_train_options(CLI::App& app, TrainArgs& args);

/// Data-parallel training: joins the group the options or the environment (torchrun, Slurm)
/// describe and makes it the process's model::collectives(); ranks other than 0 then log only
/// warnings and errors, each line tagged with its rank. Returns this process's rank on its node
/// (0 for a single process), which picks its GPU.
int start_data_parallel(const TrainArgs& args);

/// After parsing: every recipe option the command line did not give takes the preset's value;
/// then checks the combination (throws naming every bad value).
void resolve_train_args(const CLI::App& app, TrainArgs& args);

/// Labelled training pairs from --pairs (tf target label) or from --network positives + --tfs,
/// labelled by make_training_pairs with args' negatives, negative_ratio and max_positives.
/// Network edges and TFs whose genes are not in the matrix are dropped with a warning.
std::vector<LabelledPair> load_labelled_pairs(const std::string& pairs_path, const std::string& network_path,
                                              const std::string& tfs_path, const TrainArgs& args,
                                              std::uint64_t seed, const GeneIndex& index, bool skip_missing);

/// The --log file, written line by line as epochs end so that it can be followed: not open for
/// an empty path; appended to with `append` (a resumed run). Throws when it cannot be written.
std::ofstream open_epoch_log(const std::string& path, bool append);

}  // namespace drim::cli
