// Models: train (the library's fit_model, as drim-train), load/save, and predict (the library's
// rank_edges, as drim-predict).
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "drim/error.hpp"
#include "drim/expression.hpp"
#include "drim/expression_view.hpp"
#include "drim/gene_index.hpp"
#include "drim/model/cross_validation.hpp"
#include "drim/model/cv_report.hpp"
#include "drim/model/edge_ranking.hpp"
#include "drim/model/fit.hpp"
#include "drim/model/model_file.hpp"
#include "drim/model/preset.hpp"
#include "drim/pair_images.hpp"
#include "drim/pairs.hpp"
#include "drim/training_pairs.hpp"
#include "drim/version.hpp"
#include "matrix.hpp"

namespace py = pybind11;

namespace drim::python {
namespace {

/// A trained network and its metadata (the model file's two parts).
struct PyModel {
  model::DeepDrim net{nullptr};
  nlohmann::json meta;
};


std::vector<int> rows_of(const GeneIndex& index, const std::vector<std::string>& names, const std::string& what) {
  std::vector<int> rows;
  for (const auto& n : names)
    if (auto r = index.find(n)) rows.push_back(*r);
  if (rows.empty()) throw Error("none of the " + what + " are genes of the matrix");
  return rows;
}

/// The recipe: the preset, then every option given (by its command-line name or key).
model::TrainOptions resolve_recipe(const std::string& options_json, const std::string& preset, std::uint64_t seed) {
  model::TrainOptions topt = model::preset_options(preset);
  std::vector<std::string> given;
  const auto options = nlohmann::json::parse(options_json);
  for (const auto& [name, value] : options.items()) given.push_back(model::set_option(topt, name, value));
  model::apply_preset(topt, preset, [&](const std::string& o) { return std::find(given.begin(), given.end(), o) != given.end(); });
  model::validate(topt);
  topt.seed = seed;
  topt.progress = false;
  return topt;
}

/// Where training pairs come from: labelled pairs, or a network's edges from the TFs with
/// negatives drawn per TF (as drim-train's --pairs or --network/--tfs).
struct PairSource {
  std::vector<std::string> pair_tfs, pair_targets;
  std::vector<int> labels;
  std::vector<std::string> net_tfs, net_targets, tfs;
  std::string negatives = "uniform";
  double negative_ratio = 1.0;
  std::size_t max_positives = 0;
  bool skip_missing = false;
};

std::vector<LabelledPair> training_pairs(const GeneIndex& index, const PairSource& s, std::uint64_t seed) {
  if (!s.pair_tfs.empty()) {
    if (s.labels.empty()) throw UsageError("training pairs need labels (0 or 1); or give network= and tfs=");
    return labelled_pairs(resolve_names(index, s.pair_tfs, s.pair_targets, s.labels, s.skip_missing, "pairs"), "pairs");
  }
  if (s.net_tfs.empty() || s.tfs.empty()) throw UsageError("give pairs= (labelled), or network= together with tfs=");
  ResolvedPairs r = resolve_names(index, s.net_tfs, s.net_targets, {}, /*skip_missing=*/true, "network");
  std::vector<std::pair<int, int>> edges;
  for (std::size_t i = 0; i < r.size(); ++i) edges.emplace_back(r.tf[i], r.target[i]);
  auto pairs = make_training_pairs(edges, rows_of(index, s.tfs, "TFs"), index.size(),
                                   {parse_negative_recipe(s.negatives), s.negative_ratio, s.max_positives}, seed);
  if (pairs.empty()) throw Error("network: no edge starts at one of the TFs");
  return pairs;
}

/// Neighbour options of train and cross_validate: count, self, pool (all, tfs, or a gene-list file), ranking and
/// conditioning genes per pair (ImageOptions::conditional).
void set_neighbor_options(ImageOptions& img, int neighbors, bool exclude_self, const std::string& pool, const std::string& rank,
                          int conditional, const std::vector<std::string>& genes, const GeneIndex& index,
                          const std::vector<LabelledPair>& pairs) {
  if (neighbors < 0) throw UsageError("neighbors must be >= 0, got " + std::to_string(neighbors));
  if (conditional < 0) throw UsageError("conditional must be >= 0, got " + std::to_string(conditional));
  img.conditional = conditional;
  img.neighbors = neighbors;
  img.exclude_self = exclude_self;
  std::vector<int> tf_rows;
  for (const auto& p : pairs) tf_rows.push_back(p.tf);
  img.neighbor_pool = neighbor_pool(pool, genes, index, tf_rows);
  img.neighbor_rank = parse_neighbor_rank(rank);
}

PyModel train_model(const PyMatrix& mx, const PairSource& source_pairs, const std::string& options_json, const std::string& preset,
                    const std::string& kind, int neighbors, bool exclude_self, const std::string& neighbor_pool_spec,
                    const std::string& neighbor_rank, int conditional, double val_fraction, std::uint64_t seed, int threads,
                    const std::string& device, const std::string& source, const std::function<void(const std::string&)>& on_epoch) {
  const model::TrainOptions topt = resolve_recipe(options_json, preset, seed);
  GeneIndex index(mx.genes);
  std::vector<LabelledPair> pairs = training_pairs(index, source_pairs, seed);
  const std::string& negatives = source_pairs.negatives;
  const double negative_ratio = source_pairs.negative_ratio;
  const std::size_t max_positives = source_pairs.max_positives;

  model::configure_threads(threads);
  const auto dev = model::resolve_device(device);
  ImageOptions img;
  set_neighbor_options(img, neighbors, exclude_self, neighbor_pool_spec, neighbor_rank, conditional, mx.genes, index, pairs);
  img.primary_only = model::parse_model_kind(kind) == model::ModelKind::Cnnc;
  model::FitOptions fit;
  fit.train = topt;
  fit.preset = preset;
  fit.kind = kind;
  fit.val_fraction = val_fraction;
  fit.expression = source;
  fit.recorded = {{"negatives", negatives}, {"negative_ratio", negative_ratio}, {"max_positives", max_positives}};
  PyModel m;
  {
    py::gil_scoped_release release;
    ImageContext ctx(*mx.view, mx.genes, img, threads);
    ContextPairImages images(ctx, std::move(pairs));
    auto fitted = model::fit_model(images, model::fit_split(images, fit), mx.genes, mx.cells.size(), img, fit, dev, [&](const model::EpochRecord& r) {
      if (!on_epoch) return;
      py::gil_scoped_acquire acquire;
      on_epoch(nlohmann::json(r).dump());
    });
    m.net = fitted.net;
    m.meta = std::move(fitted.meta);
  }
  return m;
}

py::tuple predict(PyModel& m, const PyMatrix& mx, const std::vector<std::string>& tfs, const std::vector<std::string>& targets,
                  const std::vector<std::string>& pair_tfs, const std::vector<std::string>& pair_targets, std::size_t top,
                  double min_score, bool cache, int batch, int threads, const std::string& device, bool skip_missing) {
  if (m.meta.value("image_recipe_version", 0) != kImageRecipeVersion)
    throw Error("the model was made with image recipe " + std::to_string(m.meta.value("image_recipe_version", 0)) +
                ", this drim builds recipe " + std::to_string(kImageRecipeVersion) + "; retrain the model");
  GeneIndex index(mx.genes);
  model::bind_prior(m.net, m.meta, index, "the model");
  model::ScoreRequest request;
  if (!pair_tfs.empty()) {
    ResolvedPairs r = resolve_names(index, pair_tfs, pair_targets, {}, skip_missing, "pairs");
    request.grid = false;
    request.tfs = r.tf;
    request.targets = r.target;
  } else {
    if (tfs.empty()) throw UsageError("give tfs= (every TF against every target) or pairs=");
    request.tfs = rows_of(index, tfs, "TFs");
    if (targets.empty()) {
      for (std::size_t g = 0; g < mx.genes.size(); ++g) request.targets.push_back(static_cast<int>(g));
    } else {
      request.targets = rows_of(index, targets, "targets");
    }
  }
  model::configure_threads(threads);
  const auto dev = model::resolve_device(device);
  std::vector<int> tf_out, target_out;
  std::vector<float> score_out;
  {
    py::gil_scoped_release release;
    ImageContext ctx(*mx.view, mx.genes, model::image_options_from_meta(m.meta, mx.genes, "the model"), threads);
    model::RankOptions ro;
    ro.top = top;
    ro.min_score = static_cast<float>(min_score);
    ro.cache = cache;
    ro.batch = batch;
    model::rank_edges(m.net, ctx, mx.genes, request, dev, ro, [&](int tf, int target, float score) {
      tf_out.push_back(tf);
      target_out.push_back(target);
      score_out.push_back(score);
    });
  }
  py::list tf_names, target_names;
  for (std::size_t i = 0; i < tf_out.size(); ++i) {
    tf_names.append(mx.genes[tf_out[i]]);
    target_names.append(mx.genes[target_out[i]]);
  }
  py::array_t<float> scores(score_out.size());
  std::copy(score_out.begin(), score_out.end(), scores.mutable_data());
  return py::make_tuple(tf_names, target_names, scores);
}

py::tuple cross_validate_py(const PyMatrix& mx, const PairSource& source_pairs, const std::string& options_json,
                            const std::string& preset, int folds, const std::string& split_text, bool with_cnnc, double train_fraction, int neighbors, bool exclude_self,
                            const std::string& neighbor_pool_spec, const std::string& neighbor_rank, int conditional, double val_fraction,
                            std::uint64_t seed, int threads, const std::string& device,
                            const std::function<void(int, const std::string&, const std::string&)>& on_epoch) {
  model::CvOptions cv;
  cv.train = resolve_recipe(options_json, preset, seed);
  const Expression expr = materialize(*mx.view, mx.genes, mx.cells);  // the baselines read whole rows
  if (folds < 2 || folds > 100) throw UsageError("folds must be in 2..100, got " + std::to_string(folds));
  if (!(train_fraction >= 0.01 && train_fraction <= 1.0)) throw UsageError("train_fraction must be in 0.01..1");
  GeneIndex index(expr.genes);
  std::vector<LabelledPair> pairs = training_pairs(index, source_pairs, seed);
  const SplitProtocol split = parse_split(split_text);
  std::vector<int> fold = assign_folds(pairs, folds, seed, split);
  const std::size_t before_split = pairs.size();
  const std::size_t dropped = drop_unassigned(pairs, fold);
  set_neighbor_options(cv.images, neighbors, exclude_self, neighbor_pool_spec, neighbor_rank, conditional, expr.genes, index, pairs);
  cv.val_fraction = val_fraction;
  cv.with_cnnc = with_cnnc;
  cv.train_fraction = train_fraction;
  model::configure_threads(threads);
  cv.device = model::resolve_device(device);
  nlohmann::json report;
  model::CvResult res;
  {
    py::gil_scoped_release release;
    res = model::cross_validate(expr, pairs, fold, cv, {}, [&](int f, const std::string& m, const model::EpochRecord& r) {
      if (!on_epoch) return;
      py::gil_scoped_acquire acquire;
      on_epoch(f, m, nlohmann::json(r).dump());
    });
    if (split == SplitProtocol::Target || split == SplitProtocol::Both) {  // no training in-degree
      res.scores.erase("in_degree");
      res.scores.erase("stacking");
    }
    report = model::cv_report(res, pairs, expr.genes);
  }
  nlohmann::json options = model::resolved_options_json(cv.train);
  options.update({{"preset", preset}, {"folds", folds}, {"negatives", source_pairs.negatives},
                  {"negative_ratio", source_pairs.negative_ratio}, {"max_positives", source_pairs.max_positives},
                  {"neighbors", neighbors}, {"exclude_self", exclude_self}, {"neighbor_pool", neighbor_pool_spec},
                  {"neighbor_rank", neighbor_rank}, {"conditional", conditional}, {"val_fraction", val_fraction},
                  {"train_fraction", train_fraction}, {"with_cnnc", with_cnnc}});
  std::set<int> tfs;
  for (const auto& p : pairs) tfs.insert(p.tf);
  report.update({{"tool", "drim.cv"}, {"drim_version", kVersion}, {"seed", seed}, {"n_pairs", pairs.size()}, {"n_tfs", tfs.size()},
                 {"preset", preset}, {"options", options}, {"split", split_name(split)}, {"pairs_before_split", before_split},
                 {"pairs_dropped_by_split", dropped}});
  py::dict scores;
  std::vector<std::string> tf, target;
  std::vector<int> label;
  for (const auto& p : pairs) {
    tf.push_back(expr.genes[p.tf]);
    target.push_back(expr.genes[p.target]);
    label.push_back(p.label);
  }
  scores["tf"] = tf;
  scores["target"] = target;
  scores["label"] = label;
  scores["fold"] = fold;
  for (const auto& m : model::cv_method_order())
    if (res.scores.count(m)) scores[py::str(m)] = res.scores.at(m);
  return py::make_tuple(report.dump(), scores);
}

}  // namespace

void bind_model(py::module_& m) {
  py::class_<PyModel>(m, "Model", "A trained DeepDRIM (or CNNC) network and its metadata")
      .def_property_readonly("meta_json", [](const PyModel& p) { return p.meta.dump(); })
      .def("save", [](PyModel& p, const std::string& path) {
        py::gil_scoped_release release;
        model::save_model(path, p.net, p.meta);
      }, py::arg("path"))
      .def("predict", &predict, py::arg("expr"), py::arg("tfs"), py::arg("targets"), py::arg("pair_tfs"), py::arg("pair_targets"),
           py::arg("top") = 0, py::arg("min_score") = 0.0, py::arg("cache") = true, py::arg("batch") = 256, py::arg("threads") = 0,
           py::arg("device") = "auto", py::arg("skip_missing") = false);
  m.def("load_model", [](const std::string& path) {
    PyModel p;
    auto loaded = model::load_model(path);
    p.net = loaded.net;
    p.meta = std::move(loaded.meta);
    return p;
  }, py::arg("path"));
  py::class_<PairSource>(m, "PairSource", "Where training pairs come from (drim.train/drim.cv build it)")
      .def(py::init<>())
      .def_readwrite("pair_tfs", &PairSource::pair_tfs)
      .def_readwrite("pair_targets", &PairSource::pair_targets)
      .def_readwrite("labels", &PairSource::labels)
      .def_readwrite("net_tfs", &PairSource::net_tfs)
      .def_readwrite("net_targets", &PairSource::net_targets)
      .def_readwrite("tfs", &PairSource::tfs)
      .def_readwrite("negatives", &PairSource::negatives)
      .def_readwrite("negative_ratio", &PairSource::negative_ratio)
      .def_readwrite("max_positives", &PairSource::max_positives)
      .def_readwrite("skip_missing", &PairSource::skip_missing);
  m.def("train", &train_model, py::arg("expr"), py::arg("pairs"), py::arg("options_json"), py::arg("preset"), py::arg("kind"),
        py::arg("neighbors"), py::arg("exclude_self"), py::arg("neighbor_pool"), py::arg("neighbor_rank"), py::arg("conditional"), py::arg("val_fraction"),
        py::arg("seed"), py::arg("threads"), py::arg("device"), py::arg("source"), py::arg("on_epoch"));
  m.def("cross_validate", &cross_validate_py, py::arg("expr"), py::arg("pairs"), py::arg("options_json"), py::arg("preset"),
        py::arg("folds"), py::arg("split"), py::arg("with_cnnc"), py::arg("train_fraction"), py::arg("neighbors"), py::arg("exclude_self"),
        py::arg("neighbor_pool"), py::arg("neighbor_rank"), py::arg("conditional"), py::arg("val_fraction"), py::arg("seed"), py::arg("threads"),
        py::arg("device"), py::arg("on_epoch"));
  m.def("preset_names", &model::preset_names);
}

}  // namespace drim::python
