#include "drim/model/cross_validation.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "drim/error.hpp"
#include "drim/evaluation.hpp"
#include "drim/model/trainer.hpp"
#include "drim/pair_images.hpp"

namespace drim::model {
namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

CvResult cross_validate(const Expression& expr, const std::vector<LabelledPair>& pairs, const std::vector<int>& folds,
                        const CvOptions& opts, const CvLogger& log, const CvEpochCallback& on_epoch) {
  if (folds.size() != pairs.size()) throw Error("one fold per pair is needed");
  const int k = folds.empty() ? 0 : *std::max_element(folds.begin(), folds.end()) + 1;
  ImageContext ctx(expr, opts.images);
  ContextPairImages full(ctx, pairs), prim(ctx, pairs, /*primary_only=*/true);
  std::unique_ptr<GeneImagePairs> fused, maps;
  if (opts.gene_images) {
    fused = std::make_unique<GeneImagePairs>(full, *opts.gene_images);
    maps = std::make_unique<GeneImagePairs>(prim, *opts.gene_images, /*gene_images_only=*/true);
  }

  CvResult res;
  res.fold = folds;
  std::vector<ModelKind> kinds = {ModelKind::DeepDrim};
  if (opts.with_cnnc) kinds.push_back(ModelKind::Cnnc);
  if (opts.gene_images) kinds.insert(kinds.end(), {ModelKind::ImageOnly, ModelKind::Fusion});
  // Method names in the report: the kinds' names with '_' (image_only).
  auto method_of = [](ModelKind kind) {
    std::string name = to_string(kind);
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
  };
  for (ModelKind kind : kinds) res.scores[method_of(kind)].assign(pairs.size(), 0.0);
  for (const char* b : {"pearson", "spearman", "mi", "target_detection", "in_degree", "stacking"}) res.scores[b].assign(pairs.size(), 0.0);

  if (opts.only_fold >= k) throw Error("fold " + std::to_string(opts.only_fold) + " asked for, but there are " + std::to_string(k) + " folds (0.." + std::to_string(k - 1) + ")");
  for (int f = 0; f < k; ++f) {
    if (opts.only_fold >= 0 && f != opts.only_fold) continue;
    auto t_fold = std::chrono::steady_clock::now();
    std::vector<std::size_t> train_rows, test_rows;
    std::vector<LabelledPair> train_pairs, test_pairs;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      (folds[i] == f ? test_rows : train_rows).push_back(i);
      (folds[i] == f ? test_pairs : train_pairs).push_back(pairs[i]);
    }
    if (test_rows.empty() || train_rows.empty()) throw Error("fold " + std::to_string(f) + " has no test or no training pairs");
    PairSplit inner = split_by_tf(train_pairs, opts.val_fraction, opts.train.seed + f);
    std::vector<std::size_t> fit_rows, val_rows;
    if (opts.train_fraction < 1.0) {
      std::vector<LabelledPair> fit_pairs;
      for (auto i : inner.train) fit_pairs.push_back(train_pairs[i]);
      PairSplit keep = split_by_tf(fit_pairs, 1.0 - opts.train_fraction, opts.train.seed + 101 * (f + 1));
      std::vector<std::size_t> kept;
      for (auto j : keep.train) kept.push_back(inner.train[j]);
      inner.train = kept;
    }
    for (auto i : inner.train) fit_rows.push_back(train_rows[i]);
    for (auto i : inner.validation) val_rows.push_back(train_rows[i]);
    FoldTiming timing;
    timing.fold = f;
    timing.fit_pairs = fit_rows.size();
    timing.validation_pairs = val_rows.size();
    timing.train_pairs = train_rows.size();
    timing.test_pairs = test_rows.size();
    if (log)
      log("fold " + std::to_string(f + 1) + "/" + std::to_string(k) + ": " + std::to_string(fit_rows.size()) + " training, " +
          std::to_string(val_rows.size()) + " validation, " + std::to_string(test_rows.size()) + " test pairs");

    for (ModelKind kind : kinds) {
      const std::string m = method_of(kind);
      auto t0 = std::chrono::steady_clock::now();
      DeepDrimOptions mo = model_options(opts.train, kind, opts.images.neighbors);
      if (kind == ModelKind::DeepDrim || kind == ModelKind::Fusion) mo.primary_images = ctx.primary_images();  // CNNC: I(a, b) alone
      if (kind == ModelKind::Fusion || kind == ModelKind::ImageOnly) {
        mo.gene_image_channels = opts.gene_images->channels();
        mo.missing_image_embedding = opts.missing_image_embedding;
      }
      torch::manual_seed(opts.train.seed + f);
      DeepDrim net(mo);
      if (mo.prior_features > 0) net->in_degree = InDegreePrior(train_pairs);  // the fold's training network only
      const PairImageSource* src = &full;
      if (kind == ModelKind::Cnnc) src = &prim;
      if (kind == ModelKind::Fusion) src = fused.get();
      if (kind == ModelKind::ImageOnly) src = maps.get();
      EpochCallback cb;
      if (on_epoch) cb = [&](const EpochRecord& r) { on_epoch(f, m, r); };
      TrainResult tr = train(net, *src, fit_rows, val_rows, opts.train, opts.device, cb);
      auto p = predict_rows(net, *src, test_rows, opts.device);
      for (std::size_t j = 0; j < test_rows.size(); ++j) res.scores[m][test_rows[j]] = p[j];
      timing.train_seconds[m] = since(t0);
      timing.trained[m] = tr;
      if (log)
        log("fold " + std::to_string(f + 1) + ": " + m + " trained " + std::to_string(tr.history.size()) + " epoch(s) in " +
            std::to_string(static_cast<int>(timing.train_seconds[m])) + " s (best epoch " + std::to_string(tr.best_epoch) + ")");
    }
    auto base = baseline_scores(expr.values, ctx.codes().codes, expr.n_cells(), train_pairs, test_pairs);
    for (auto& [name, s] : base)
      for (std::size_t j = 0; j < test_rows.size(); ++j) res.scores[name][test_rows[j]] = s[j];
    timing.seconds = since(t_fold);
    res.timing.push_back(timing);
  }
  return res;
}

}  // namespace drim::model
