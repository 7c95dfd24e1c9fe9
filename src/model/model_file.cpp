#include "drim/model/model_file.hpp"

#include "drim/error.hpp"
#include "drim/model/archive_file.hpp"

namespace drim::model {

namespace {
constexpr const char* kMetaKey = "drim_metadata";
constexpr const char* kFormat = "drim-model-1";
}  // namespace

void save_model(const std::string& path, DeepDrim& net, const nlohmann::json& meta) {
  nlohmann::json m = meta;
  m["format"] = kFormat;
  m["norm"] = to_string(net->opts.norm);
  m["aux_head"] = net->opts.aux_head;
  m["primary_images"] = net->opts.primary_images;
  if (net->uses_gene_images()) {
    m["gene_image_channels"] = net->opts.gene_image_channels;
    m["missing_image_embedding"] = net->opts.missing_image_embedding;
  }
  if (net->opts.kind == ModelKind::Fusion) m["fusion"] = net->opts.late_fusion ? "late" : "early";
  if (net->opts.prior_features > 0) {
    if (!meta.contains("genes")) throw Error("a model with an in-degree prior needs its genes in the metadata to save its network");
    const auto genes = meta.at("genes").get<std::vector<std::string>>();
    m["prior"] = "in-degree";
    m["prior_network"] = net->in_degree.named_edges(genes);
  }
  torch::serialize::OutputArchive archive;
  net->save(archive);
  save_archive(archive, kMetaKey, m, path);
}

LoadedModel load_model(const std::string& path) {
  torch::serialize::InputArchive archive;
  LoadedModel out;
  out.meta = load_archive(path, kMetaKey, "drim model", archive);
  if (out.meta.value("format", "") != kFormat)
    throw Error(quote(path) + ": unsupported model format " + quote(out.meta.value("format", "?")) + " (expected " + kFormat + ")");
  DeepDrimOptions opts;
  opts.kind = parse_model_kind(out.meta.at("kind").get<std::string>());
  opts.neighbors = out.meta.at("neighbors").get<int>();
  opts.norm = parse_norm(out.meta.value("norm", "none"));
  opts.aux_head = out.meta.value("aux_head", false);
  opts.primary_images = out.meta.value("primary_images", 1);
  opts.gene_image_channels = out.meta.value("gene_image_channels", 0);
  opts.missing_image_embedding = out.meta.value("missing_image_embedding", false);
  const std::string fusion = out.meta.value("fusion", "early");
  if (fusion != "early" && fusion != "late") throw Error(quote(path) + ": unknown fusion " + quote(fusion) + " (this drim knows early and late)");
  opts.late_fusion = fusion == "late";
  const std::string prior = out.meta.value("prior", "none");
  if (prior != "none" && prior != "in-degree")
    throw Error(quote(path) + ": unknown prior " + quote(prior) + " (this drim knows none and in-degree)");
  if (prior == "in-degree" && !out.meta.contains("prior_network"))
    throw Error(quote(path) + ": the model takes an in-degree prior but its file holds no training network to count it from");
  opts.prior_features = prior == "in-degree" ? 1 : 0;
  try {
    out.net = DeepDrim(opts);
  } catch (const Error& e) {
    throw Error(quote(path) + ": " + e.what());
  }
  try {
    out.net->load(archive);
  } catch (const c10::Error& e) {
    throw Error(quote(path) + ": weights do not match a " + to_string(opts.kind) + " model with " +
                std::to_string(opts.neighbors) + " neighbours: " + e.what_without_backtrace());
  }
  return out;
}

void bind_prior(DeepDrim& net, const nlohmann::json& meta, const GeneIndex& index, const std::string& path) {
  if (net->opts.prior_features == 0) return;
  std::vector<std::pair<std::string, std::string>> edges;
  try {
    edges = meta.at("prior_network").get<std::vector<std::pair<std::string, std::string>>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(quote(path) + ": its prior_network is not a list of [TF, target] names: " + e.what());
  }
  try {
    net->in_degree = InDegreePrior(edges, index);
  } catch (const Error& e) {
    throw Error(quote(path) + ": " + e.what());
  }
}

}  // namespace drim::model
