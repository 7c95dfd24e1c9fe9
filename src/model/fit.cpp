#include "drim/model/fit.hpp"

#include "drim/model/preset.hpp"
#include "drim/pairs.hpp"
#include "drim/version.hpp"

namespace drim::model {

PairSplit fit_split(const PairImageSource& source, const FitOptions& opts) {
  return split_by_tf(source.pairs(), opts.val_fraction, opts.train.seed);
}

FittedModel fit_model(const PairImageSource& source, const PairSplit& split, const std::vector<std::string>& genes,
                      std::size_t n_cells, const ImageOptions& img, const FitOptions& opts, torch::Device device,
                      const EpochCallback& on_epoch) {
  FittedModel f;
  const std::uint64_t seed = opts.train.seed;
  DeepDrimOptions mopt = model_options(opts.train, parse_model_kind(opts.kind), img.neighbors);
  mopt.gene_image_channels = opts.gene_image_channels;
  if (mopt.kind != ModelKind::ImageOnly) mopt.primary_images = img.primary_images();
  mopt.missing_image_embedding = opts.missing_image_embedding;
  torch::manual_seed(seed);
  f.net = DeepDrim(mopt);
  if (mopt.prior_features > 0) f.net->in_degree = InDegreePrior(source.pairs());  // every labelled pair given
  f.result = train(f.net, source, split.train, split.validation, opts.train, device, on_epoch);
  const auto& best = f.result.history.at(f.result.best_epoch - 1);
  f.on_plateau = stayed_on_plateau(f.result);
  const bool validated = !split.validation.empty();
  nlohmann::json training = resolved_options_json(opts.train);
  training.update({{"preset", opts.preset}, {"val_fraction", opts.val_fraction}, {"seed", seed},
                   {"train_pairs", split.train.size()}, {"validation_pairs", split.validation.size()}});
  training.update(opts.recorded);
  f.meta = {
      {"kind", opts.kind}, {"neighbors", mopt.neighbors}, {"exclude_self", img.exclude_self},
      {"image_recipe_version", kImageRecipeVersion}, {"drim_version", kVersion}, {"genes", genes},
      {"n_cells", n_cells}, {"neighbor_groups", img.neighbor_group}, {"neighbor_pool", neighbor_pool_names(img.neighbor_pool, genes)},
      {"neighbor_rank", to_string(img.neighbor_rank)}, {"conditional", img.conditional},
      {"expression", opts.expression},
      {"preset", opts.preset}, {"parameters", parameter_count(*f.net)},
      {"training", training},
      {"epochs_run", f.result.history.size()}, {"best_epoch", f.result.best_epoch}, {"stopped_early", f.result.stopped_early},
      {"on_plateau", f.on_plateau},
      {"metrics", validated ? nlohmann::json{{"loss", best.loss}, {"accuracy", best.accuracy}, {"val_loss", best.val_loss},
                                             {"val_accuracy", best.val_accuracy}, {"val_auroc", best.val_auroc}, {"val_auprc", best.val_auprc}}
                            : nlohmann::json{{"loss", best.loss}, {"accuracy", best.accuracy}}}};
  if (!opts.gene_images.is_null()) f.meta["gene_images"] = opts.gene_images;
  if (f.result.prior_calibration.applied) f.meta["prior_calibration"] = prior_calibration_json(f.result.prior_calibration);
  f.net->to(torch::kCPU);
  return f;
}

}  // namespace drim::model
