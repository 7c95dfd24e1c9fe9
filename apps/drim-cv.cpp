// drim-cv: TF-aware k-fold cross-validation of DeepDRIM against baselines that cannot fool you.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "gene_image_args.hpp"
#include "train_args.hpp"
#include "drim/error.hpp"
#include "drim/evaluation.hpp"
#include "drim/metrics.hpp"
#include "drim/model/allocator.hpp"
#include "drim/model/collectives.hpp"
#include "drim/model/cross_validation.hpp"
#include "drim/model/cv_report.hpp"
#include "shard.hpp"
#include "drim/model/preset.hpp"
#include "drim/model/trainer.hpp"
#include "drim/pairs.hpp"
#include "drim/version.hpp"
#include "io/line_reader.hpp"

namespace {

/// Folds from a 'tf fold' file (fold numbers 0..k-1), for reproducing someone else's split.
std::vector<int> read_fold_file(const std::string& path, const std::vector<drim::LabelledPair>& pairs,
                                const std::vector<std::string>& genes, const drim::GeneIndex& index) {
  std::map<int, int> fold_of;
  drim::detail::LineReader in(path);
  std::string line;
  while (in.next(line)) {
    std::istringstream ss(line.substr(0, line.find('#')));
    std::string tf;
    int fold;
    if (!(ss >> tf)) continue;
    if (!(ss >> fold) || fold < 0)
      throw drim::Error(path + " line " + std::to_string(in.line_number()) + ": expected 'tf fold' with fold >= 0");
    if (auto row = index.find(tf)) fold_of[*row] = fold;
  }
  std::vector<int> folds;
  for (const auto& p : pairs) {
    auto it = fold_of.find(p.tf);
    if (it == fold_of.end()) throw drim::Error(path + ": no fold for TF " + drim::quote(genes[p.tf]));
    folds.push_back(it->second);
  }
  return folds;
}

std::string fixed3(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

/// A finished cross-validation, whole or merged from folds run separately: what the outputs
/// are written from.
struct CvRun {
  std::vector<std::string> genes;
  std::vector<drim::LabelledPair> pairs;
  std::vector<int> folds;
  drim::model::CvResult res;
  nlohmann::json header;  ///< report.json's fields besides "folds" and "methods"
};

/// report.json, scores.tsv and per_tf.tsv in `out`, the table on stdout, plateau warnings.
nlohmann::json write_outputs(const std::string& out, const CvRun& r, const drim::model::TrainOptions& train) {
  using namespace drim;
  std::filesystem::create_directories(out);
  const auto& order = model::cv_method_order();
  const nlohmann::json parts = model::cv_report(r.res, r.pairs, r.genes);
  const nlohmann::json& methods = parts["methods"];
  std::printf("%-16s %7s %7s %7s %11s %11s %12s %11s\n", "method", "AUROC", "AUPRC", "EPR", "med_TF_ROC", "med_TF_PR", "p(vs model)",
              "ROC|in_deg");
  auto num = [](const nlohmann::json& v) { return v.is_null() ? NAN : v.get<double>(); };
  for (const auto& m : order) {
    if (!methods.contains(m)) continue;
    const auto& s = methods[m];
    const std::string p = m == "deepdrim" ? "-" : fixed3(num(s.value("wilcoxon_p_vs_deepdrim", nlohmann::json())));
    std::printf("%-16s %7.3f %7.3f %7.3f %11.3f %11.3f %12s %11.3f\n", m.c_str(), s["auroc"].get<double>(), s["auprc"].get<double>(),
                s["epr"].get<double>(), s["median_tf_auroc"].get<double>(), s["median_tf_auprc"].get<double>(), p.c_str(),
                num(s["auroc_within_in_degree"]));
  }
  if (methods.contains("in_degree")) {
    const auto& d = methods["deepdrim"];
    const auto& b = methods["in_degree"];
    std::printf("deepdrim - in_degree: median TF AUROC %+.3f, pooled AUROC %+.3f\n",
                d["median_tf_auroc"].get<double>() - b["median_tf_auroc"].get<double>(), d["auroc"].get<double>() - b["auroc"].get<double>());
  } else {
    std::printf("in_degree: %s\n", r.header.value("in_degree", std::string("not available")).c_str());
  }
  std::printf("split: %s\n", r.header.value("split", std::string("tf")).c_str());
  if (train.prior != "none")
    std::printf("prior: %s (the models take the target's leave-one-TF-out in-degree%s)\n", train.prior.c_str(),
                train.prior_calibration == "validation" ? "; output layer refit on each fold's validation TFs" : "");
  for (const auto& t : r.res.timing)
    for (const auto& [m, tr] : t.trained) {
      if (const auto& p = tr.pretrain; p.pairs > 0)
        spdlog::info("fold {}, {}: pretrained on {} gene pairs in {:.0f} s, read-out error {:.4f} -> {:.4f} (constant {:.4f})", t.fold + 1, m,
                     p.pairs, p.seconds, p.first_loss, p.last_loss, p.target_variance);
      if (const auto& p = tr.image_pretrain; p.pairs > 0)
        spdlog::info("fold {}, {}: pretrained the image branch on {} gene pairs in {:.0f} s, read-out error {:.4f} -> {:.4f} (constant {:.4f})",
                     t.fold + 1, m, p.pairs, p.seconds, p.first_loss, p.last_loss, p.target_variance);
      if (train.balance == "target")
        spdlog::info("fold {}, {}: balance target: the loss used {} training pairs (targets with both classes)", t.fold + 1, m,
                     tr.trained_pairs);
      if (model::stayed_on_plateau(tr)) spdlog::warn("fold {}, {}: {}", t.fold + 1, m, model::plateau_advice(train, tr));
      if (const auto& c = tr.prior_calibration; c.applied)
        spdlog::info("fold {}, {}: output layer refit on {} validation pairs: images x {:.3f}, prior weight {:.3f}", t.fold + 1, m,
                     c.pairs, c.image_scale, c.prior_weight);
    }
  nlohmann::json report = r.header;
  report["folds"] = parts["folds"];
  report["methods"] = methods;
  cli::TextOutput rj(out + "/report.json");
  rj.stream() << report.dump(2) << '\n';
  rj.commit();
  cli::TextOutput st(out + "/scores.tsv");
  st.stream() << std::setprecision(17);  // exact: metrics recomputed from the file match the report
  st.stream() << "tf\ttarget\tlabel\tfold";
  for (const auto& m : order)
    if (r.res.scores.count(m)) st.stream() << '\t' << m;
  st.stream() << '\n';
  for (std::size_t i = 0; i < r.pairs.size(); ++i) {
    st.stream() << r.genes[r.pairs[i].tf] << '\t' << r.genes[r.pairs[i].target] << '\t' << r.pairs[i].label << '\t' << r.folds[i];
    for (const auto& m : order)
      if (r.res.scores.count(m)) st.stream() << '\t' << r.res.scores.at(m)[i];
    st.stream() << '\n';
  }
  st.commit();
  cli::TextOutput pt(out + "/per_tf.tsv");
  pt.stream() << "method\ttf\tauroc\tauprc\n";
  for (const auto& m : order) {
    if (!methods.contains(m)) continue;
    for (const auto& [tf, v] : methods[m]["per_tf"].items())
      pt.stream() << m << '\t' << tf << '\t' << v["auroc"].get<double>() << '\t' << v["auprc"].get<double>() << '\n';
  }
  pt.commit();
  spdlog::info("wrote {}/report.json, scores.tsv, per_tf.tsv", out);
  return methods;
}

/// The pair list as a part file holds it (names, labels, folds).
nlohmann::json pairs_json(const CvRun& r) {
  nlohmann::json tf = nlohmann::json::array(), target = nlohmann::json::array(), label = nlohmann::json::array();
  for (const auto& p : r.pairs) {
    tf.push_back(r.genes[p.tf]);
    target.push_back(r.genes[p.target]);
    label.push_back(p.label);
  }
  return {{"tf", tf}, {"target", target}, {"label", label}, {"fold", r.folds}};
}

/// What identifies a run across its folds: the report header and the pairs with their folds.
std::string run_key(const nlohmann::json& header, const nlohmann::json& pairs) {
  drim::cli::RunKey key;
  key.add(header.dump());
  key.add(pairs.dump());
  return key.hex();
}

/// `--fold f`: the fold's scores and record, for `drim-cv merge`.
void write_part(const std::string& out, const CvRun& r, int f) {
  const nlohmann::json pairs = pairs_json(r);
  nlohmann::json scores;
  for (const auto& [m, v] : r.res.scores) {
    std::vector<double> mine;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (r.folds[i] == f) mine.push_back(v[i]);
    scores[m] = mine;
  }
  nlohmann::json part = {{"drim_cv_part", 1}, {"fold", f}, {"run", run_key(r.header, pairs)}, {"header", r.header},
                         {"pairs", pairs}, {"scores", scores}, {"timing", drim::model::fold_json(r.res.timing.at(0))}};
  std::filesystem::create_directories(out);
  drim::cli::TextOutput o(out + "/fold-" + std::to_string(f) + ".json");
  o.stream() << part.dump() << '\n';
  o.commit();
  spdlog::info("wrote {}/fold-{}.json; merge the folds with: drim-cv merge PARTS... --out DIR", out, f);
}

/// Fold parts (files, or folders holding fold-*.json) merged into one run: every fold of one
/// run exactly once.
CvRun read_parts(const std::vector<std::string>& inputs) {
  using drim::Error;
  using drim::quote;
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    if (std::filesystem::is_directory(in)) {
      std::vector<std::string> found;
      for (const auto& e : std::filesystem::directory_iterator(in)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("fold-", 0) == 0 && e.path().extension() == ".json") found.push_back(e.path().string());
      }
      if (found.empty()) throw Error(in + ": no fold-*.json part in this folder (write parts with drim-cv --fold i --out DIR)");
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(in);
    }
  }
  CvRun r;
  std::string run, first_file;
  std::map<int, std::string> seen;
  nlohmann::json pairs;
  for (const auto& path : files) {
    std::ifstream in(path);
    if (!in) throw Error("cannot read " + quote(path));
    nlohmann::json part;
    try {
      part = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw Error(path + ": not a drim-cv fold part (" + e.what() + ")");
    }
    if (!part.is_object() || !part.contains("drim_cv_part")) throw Error(path + ": not a drim-cv fold part (write parts with drim-cv --fold i)");
    const int f = part.at("fold").get<int>();
    if (run.empty()) {
      run = part.at("run").get<std::string>();
      first_file = path;
      r.header = part.at("header");
      pairs = part.at("pairs");
    } else if (part.at("run").get<std::string>() != run) {
      throw Error(path + " is a fold of another run than " + quote(first_file) + " (other data, pairs, folds or options)");
    }
    if (!seen.emplace(f, path).second) throw Error("fold " + std::to_string(f) + " is given twice: " + quote(seen[f]) + " and " + quote(path));
    const auto t = drim::model::fold_from_json(part.at("timing"));
    r.res.timing.push_back(t);
    if (r.pairs.empty()) {
      std::map<std::string, int> id;
      auto gene = [&](const std::string& n) {
        auto [it, fresh] = id.emplace(n, static_cast<int>(r.genes.size()));
        if (fresh) r.genes.push_back(n);
        return it->second;
      };
      const auto tf = pairs.at("tf").get<std::vector<std::string>>();
      const auto target = pairs.at("target").get<std::vector<std::string>>();
      const auto label = pairs.at("label").get<std::vector<int>>();
      r.folds = pairs.at("fold").get<std::vector<int>>();
      for (std::size_t i = 0; i < tf.size(); ++i) r.pairs.push_back({gene(tf[i]), gene(target[i]), label[i]});
      r.res.fold = r.folds;
    }
    for (const auto& [m, v] : part.at("scores").items()) {
      auto& all = r.res.scores[m];
      all.resize(r.pairs.size(), 0.0);
      const auto mine = v.get<std::vector<double>>();
      std::size_t j = 0;
      for (std::size_t i = 0; i < r.pairs.size(); ++i)
        if (r.folds[i] == f) all[i] = mine.at(j++);
      if (j != mine.size()) throw Error(path + ": " + std::to_string(mine.size()) + " scores for " + std::to_string(j) + " pairs in fold " + std::to_string(f));
    }
  }
  const int k = r.folds.empty() ? 0 : *std::max_element(r.folds.begin(), r.folds.end()) + 1;
  std::string missing;
  for (int f = 0; f < k; ++f)
    if (!seen.count(f)) missing += (missing.empty() ? "" : ", ") + std::to_string(f);
  if (!missing.empty()) throw Error("fold(s) " + missing + " of " + std::to_string(k) + " missing; run them with drim-cv --fold i");
  std::sort(r.res.timing.begin(), r.res.timing.end(), [](const auto& a, const auto& b) { return a.fold < b.fold; });
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"TF-aware k-fold cross-validation: DeepDRIM beside |Pearson|, Spearman, MI, the target's detection\n"
               "rate and the target in-degree baseline, on folds that share no TF. Writes report.json, scores.tsv\n"
               "and per_tf.tsv to --out.\n\n"
               "With --gene-images or --spatial, the image-only and fusion models are trained on the same folds.\n\n"
               "Examples:\n  drim-cv --expr ExpressionData.csv.gz --network refNetwork.csv.gz --tfs TFs.txt.gz --out cv/\n"
               "  drim-cv --expr tissue.h5ad --spatial tissue.h5ad --network network.csv --tfs tfs.txt --out cv-fusion/"};
  cli::ExprArgs expr_args;
  cli::RunArgs run;
  cli::TrainArgs targs;
  ImageOptions img;
  std::string pairs_path, network_path, tfs_path, fold_file, out;
  cli::NeighborArgs neighbor;
  int k = 3;
  bool with_cnnc = false;
  double train_fraction = 1.0;
  cli::add_expr_options(app, expr_args, /*required=*/false);
  app.add_option("--network", network_path, "Positives: BEELINE Gene1,Gene2 CSV or TSV edge list (with --tfs)");
  app.add_option("--tfs", tfs_path, "TF names, one per line");
  app.add_option("--pairs", pairs_path, "A fixed labelled pair list instead of --network/--tfs");
  app.add_option("--fold-file", fold_file, "'tf fold' lines (fold 0..k-1) to reproduce a given split");
  app.add_option("--folds,-k", k, "Number of folds (sets of TFs, balanced by pair count)")->capture_default_str()->check(CLI::Range(2, 100));
  app.add_flag("--with-cnnc", with_cnnc, "Also train the primary-image CNNC model");
  std::string split_text = "tf";
  app.add_option("--split", split_text,
                 "What a test pair may not share with training: tf (its TF), target (its target gene), both (either gene; pairs "
                 "across folds are dropped), or pair (random pairs: leaky, for comparison with published numbers only)")
      ->check(CLI::IsMember({"tf", "target", "both", "pair"}))->capture_default_str();
  int only_fold = -1;
  app.add_option("--fold", only_fold,
                 "Run fold i (0-based) alone and write DIR/fold-i.json, e.g. one Slurm array task per fold; then 'drim-cv merge'")
      ->check(CLI::Range(0, 99));
  std::vector<std::string> part_inputs;
  std::string merge_out;
  auto* merge = app.add_subcommand("merge", "Merge the folds of one run, written by --fold, into report.json, scores.tsv and "
                                            "per_tf.tsv as a single run writes them");
  merge->add_option("parts", part_inputs, "fold-i.json files, or folders holding them")->required()->check(CLI::ExistingPath);
  merge->add_option("--out,-o", merge_out, "Output folder")->required();
  app.add_option("--train-fraction", train_fraction,
                 "Train on this share of each fold's training TFs (whole TFs, seeded; the paper's Fig. 4D); test pairs unchanged")
      ->capture_default_str()->check(CLI::Range(0.01, 1.0));
  app.add_option("--out,-o", out, "Output folder");
  cli::add_train_options(app, targs);
  cli::add_image_options(app, img, neighbor);
  cli::GeneImageArgs gene_args;
  cli::add_gene_image_options(app, gene_args);
  cli::add_run_options(app, run);
  // drim-cv always trains DeepDRIM (CNNC beside it with --with-cnnc), so the single-model switches do not apply.
  app.remove_option(app.get_option("--model"));
  app.remove_option(app.get_option("--primary-only"));

  return cli::run_app(app, argc, argv, [&] {
    cli::apply_run_options(run);
    if (merge->parsed()) {
      CvRun r = read_parts(part_inputs);
      model::TrainOptions train = model::preset_options(r.header.value("preset", "drim"));
      const nlohmann::json options = r.header.value("options", nlohmann::json::object());
      for (const auto& [key, value] : options.items()) {
        try {
          model::set_option(train, key, value);
        } catch (const Error&) {  // not a recipe option (folds, negatives, ...)
        }
      }
      spdlog::info("merging {} folds of {} pairs", r.res.timing.size(), r.pairs.size());
      write_outputs(merge_out, r, train);
      cli::emit_summary(run, {{"tool", "drim-cv merge"}, {"out", merge_out}, {"folds", r.res.timing.size()}, {"n_pairs", r.pairs.size()}});
      return;
    }
    if (expr_args.path.empty() || out.empty()) throw CLI::RequiredError("--expr and --out (or the subcommand 'merge')");
    cli::resolve_train_args(app, targs);
    const int local_rank = cli::start_data_parallel(targs);
    const bool writer = model::process_rank() == 0;  // rank 0 alone writes the outputs
    model::configure_threads(run.threads);
    model::keep_freed_memory();
    Expression expr = cli::load_expression(expr_args);
    GeneIndex index(expr.genes, expr_args.ignore_case);
    auto pairs = cli::load_labelled_pairs(pairs_path, network_path, tfs_path, targs, run.seed, index, false);
    const SplitProtocol split = parse_split(split_text);
    if (!fold_file.empty() && split != SplitProtocol::Tf) throw UsageError("--fold-file gives TF folds; it goes with --split tf only");
    auto folds = fold_file.empty() ? assign_folds(pairs, k, run.seed, split) : read_fold_file(fold_file, pairs, expr.genes, index);
    const std::size_t before_split = pairs.size();
    const std::size_t dropped = drop_unassigned(pairs, folds);
    if (split == SplitProtocol::Both)
      spdlog::info("--split both keeps {} of {} pairs (the others join genes of two folds)", pairs.size(), before_split);
    if (split == SplitProtocol::Pair)
      spdlog::warn("--split pair: test pairs share TFs and targets with training pairs; the scores are inflated (leaky), for "
                   "comparison with published numbers only");
    model::CvOptions cv;
    cv.train = targs.opts;
    cv.train.seed = run.seed;
    cv.train.progress = !run.quiet;
    std::vector<int> tf_rows;
    for (const auto& p : pairs) tf_rows.push_back(p.tf);
    cli::apply_neighbor_args(neighbor, expr.genes, index, tf_rows, img);
    cv.images = img;
    cv.val_fraction = targs.val_fraction;
    cv.with_cnnc = with_cnnc;
    std::unique_ptr<spatial::AlignedGeneMaps> gene_images;
    if (gene_args.given()) {
      gene_images = cli::load_gene_images(gene_args, expr.genes, cli::genes_of(pairs), &expr, expr_args.path);
      cv.gene_images = gene_images.get();
      cv.missing_image_embedding = gene_args.allow_missing;
    }
    cv.train_fraction = train_fraction;
    cv.only_fold = only_fold;
    cv.device = model::resolve_device(targs.device);
    if (cv.device.is_cuda()) cv.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(local_rank % torch::cuda::device_count()));
    std::set<int> tfs;
    for (const auto& p : pairs) tfs.insert(p.tf);
    spdlog::info("{} pairs ({} TFs) in {} folds", pairs.size(), tfs.size(), *std::max_element(folds.begin(), folds.end()) + 1);
    std::ofstream epoch_log = cli::open_epoch_log(writer ? targs.log : std::string(), false);
    auto on_epoch = [&](int fold, const std::string& m, const model::EpochRecord& r) {
      spdlog::info("fold {}, {}, epoch {:3d}: loss {:.4f}  val_auroc {:.3f}  val_acc {:.3f}  {:.1f}s", fold + 1, m, r.epoch, r.loss,
                   r.val_auroc, r.val_accuracy, r.seconds);
      if (!epoch_log.is_open()) return;
      nlohmann::json j = r;
      j["fold"] = fold;
      j["model"] = m;
      epoch_log << j.dump() << std::endl;
    };
    auto res = model::cross_validate(expr, pairs, folds, cv, [](const std::string& s) { spdlog::info("{}", s); }, on_epoch);
    // A test target has no training in-degree when targets are held out: that baseline does not apply.
    const bool no_in_degree = split == SplitProtocol::Target || split == SplitProtocol::Both;
    if (no_in_degree) {
      res.scores.erase("in_degree");
      res.scores.erase("stacking");  // it combines the in-degree with |Pearson|
    }

    nlohmann::json options = model::resolved_options_json(cv.train);
    options.update({{"preset", targs.preset}, {"folds", k}, {"negatives", targs.negatives}, {"negative_ratio", targs.negative_ratio},
                    {"max_positives", targs.max_positives}, {"neighbors", img.neighbors}, {"exclude_self", img.exclude_self},
                    {"neighbor_pool", neighbor.pool}, {"neighbor_rank", neighbor.rank}, {"conditional", img.conditional}, {"val_fraction", cv.val_fraction}, {"train_fraction", train_fraction}, {"with_cnnc", with_cnnc}});
    if (gene_args.given()) options["gene_images"] = gene_args.meta();
    CvRun r{expr.genes, pairs, folds, std::move(res), {}};
    r.header = {{"tool", "drim-cv"}, {"drim_version", kVersion}, {"seed", run.seed}, {"expression", expr_args.path},
                {"network", network_path}, {"pairs", pairs_path}, {"n_pairs", pairs.size()}, {"n_tfs", tfs.size()},
                {"preset", targs.preset}, {"options", options}, {"split", split_name(split)}, {"pairs_before_split", before_split},
                {"pairs_dropped_by_split", dropped}};
    if (split == SplitProtocol::Pair)
      r.header["warning"] = "split pair: test pairs share TFs and targets with training pairs (leaky protocol); for comparison only";
    if (no_in_degree)
      r.header["in_degree"] = std::string("not available under split ") + split_name(split) +
                              ": test targets never appear in training pairs, so they have no training in-degree";
    if (!writer) return;
    if (only_fold >= 0) {
      write_part(out, r, only_fold);
      cli::emit_summary(run, {{"tool", "drim-cv"}, {"out", out}, {"fold", only_fold}, {"n_pairs", pairs.size()}});
      return;
    }
    const nlohmann::json methods = write_outputs(out, r, cv.train);
    nlohmann::json brief = {{"tool", "drim-cv"}, {"out", out}, {"n_pairs", pairs.size()}, {"n_tfs", tfs.size()}, {"folds", k}};
    for (const auto& [m, v] : methods.items())
      if (v.contains("auroc")) brief["auroc"][m] = v["auroc"];
    cli::emit_summary(run, brief);
  });
}
