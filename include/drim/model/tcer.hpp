#pragma once
// TCER expression recovery end to end: GenoMap layout, ER-Net trained self-supervised on the
// cells' GenoMaps, and the imputed matrix; the fitted model saved and reused on new cells.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "drim/expression.hpp"
#include "drim/impute/genomap.hpp"
#include "drim/impute/genomap_images.hpp"
#include "drim/impute/posterior.hpp"
#include "drim/model/er_net.hpp"
#include "drim/model/impute_trainer.hpp"

namespace drim::model {

/// Everything TCER needs (each part's own defaults).
struct TcerOptions {
  impute::GenomapOptions genomap;
  ErNetOptions net;
  ImputeTrainOptions train;
};

/// A fitted TCER model: the layout, the pixel scale and the trained ER-Net.
struct TcerModel {
  impute::GenomapLayout layout;
  impute::GenomapScale scale;
  ErNet net{nullptr};
  nlohmann::json meta;  ///< options and training history, as saved
};

/// Fits TCER on `expr`. With `layout` non-null it is used as given (its genes must be in expr);
/// otherwise fit_genomap places expr's genes. `log` receives one-line progress messages.
TcerModel fit_tcer(const Expression& expr, const TcerOptions& opts, const impute::GenomapLayout* layout, torch::Device device,
                   const std::function<void(const std::string&)>& log = {},
                   const std::function<void(const ImputeEpoch&)>& on_epoch = {});

/// The imputed matrix: expr with every layout gene's values replaced by ER-Net's blind-spot
/// restoration (with `keep_observed`, only its zeros); genes outside the layout are left as they are.
Expression apply_tcer(TcerModel& model, const Expression& expr, bool keep_observed, torch::Device device,
                      const RestoreOptions& restore = {});

/// TCER's blind-spot restoration as the prior mean of the gamma-Poisson posterior
/// (impute/posterior.hpp): every layout gene's value becomes the posterior mean of its level given
/// the observed count, between the restoration and the observation; genes outside the layout are
/// left as they are. `expr` must hold counts; `fit` receives each gene's scale and shape.
Expression apply_tcer_posterior(TcerModel& model, const Expression& expr, torch::Device device, const RestoreOptions& restore = {},
                                const impute::PosteriorOptions& posterior = {}, impute::PosteriorFit* fit = nullptr);

/// Saves / loads a TCER model (one LibTorch archive, metadata as JSON); written through a
/// temporary name. load throws naming the file when it is missing or not a drim TCER model.
void save_tcer(const std::string& path, TcerModel& model);
TcerModel load_tcer(const std::string& path);

}  // namespace drim::model
