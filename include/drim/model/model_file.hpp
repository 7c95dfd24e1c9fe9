#pragma once
// One self-describing model file: the network's weights and JSON metadata in a LibTorch archive.
#include <string>

#include <nlohmann/json.hpp>

#include "drim/gene_index.hpp"
#include "drim/model/deepdrim.hpp"

namespace drim::model {

/// A network with the metadata it was saved with (kind, neighbors, image recipe, genes, ...).
struct LoadedModel {
  DeepDrim net{nullptr};
  nlohmann::json meta;
};

/// Saves weights and metadata (meta must hold "kind" and "neighbors"); written to a temporary
/// name and renamed, so a crash never leaves a half-written model.
void save_model(const std::string& path, DeepDrim& net, const nlohmann::json& meta);

/// Loads a model saved by save_model; throws naming the file when it is missing, truncated or
/// not a drim model.
LoadedModel load_model(const std::string& path);

/// For a model with an in-degree prior: counts its stored training network over the genes of the
/// data to score (`index`), so that the model can score pairs of those genes. Does nothing for a
/// model without a prior. Throws naming `path` when none of the network's targets is in `index`.
void bind_prior(DeepDrim& net, const nlohmann::json& meta, const GeneIndex& index, const std::string& path);

}  // namespace drim::model
