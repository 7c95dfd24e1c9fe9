#include "drim/model/edge_ranking.hpp"

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <unordered_map>

#include <ATen/Parallel.h>

#include "drim/error.hpp"
#include "drim/model/predictor.hpp"
#include "drim/pairs.hpp"
#include "drim/ranked_edges.hpp"

namespace drim::model {

ImageOptions image_options_from_meta(const nlohmann::json& meta, const std::vector<std::string>& genes,
                                     const std::string& model_name) {
  ImageOptions img;
  img.neighbors = meta.at("neighbors").get<int>();
  img.exclude_self = meta.value("exclude_self", false);
  img.neighbor_rank = parse_neighbor_rank(meta.value("neighbor_rank", "covariance"));
  img.conditional = meta.value("conditional", 0);
  const std::string kind = meta.at("kind").get<std::string>();
  img.primary_only = kind == "cnnc" || kind == "image-only";  // image-only reads no expression image: the cheapest context
  if (kind == "image-only") img.conditional = 0;
  const bool ranks_genes = !img.primary_only || img.conditional > 0;  // neighbours, or conditioning genes
  const auto groups = meta.value("neighbor_groups", std::vector<int>{});
  if (!groups.empty() && ranks_genes) {
    const auto model_genes = meta.at("genes").get<std::vector<std::string>>();
    if (model_genes.size() != groups.size())
      throw Error(model_name + ": " + std::to_string(groups.size()) + " neighbour groups for " + std::to_string(model_genes.size()) + " genes");
    std::unordered_map<std::string, int> group_of;
    for (std::size_t g = 0; g < model_genes.size(); ++g) group_of[model_genes[g]] = groups[g];
    for (const auto& name : genes) {
      auto it = group_of.find(name);
      if (it == group_of.end())
        throw Error(model_name + " ranks neighbours within gene groups, and gene " + quote(name) + " of the matrix is in none of them");
      img.neighbor_group.push_back(it->second);
    }
  }
  const auto pool = meta.value("neighbor_pool", std::vector<std::string>{});
  if (!pool.empty() && ranks_genes) img.neighbor_pool = neighbor_pool_from_names(pool, genes);  // too few left: rank_neighbors says so
  return img;
}

std::size_t ScoreRequest::size() const {
  if (!grid) return tfs.size();
  std::size_t n = 0;
  for (int t : tfs) n += targets.size() - static_cast<std::size_t>(std::count(targets.begin(), targets.end(), t));
  return n;
}

void rank_edges(DeepDrim net, const ImageContext& ctx, const std::vector<std::string>& genes, const ScoreRequest& request,
                torch::Device device, const RankOptions& opts, const std::function<void(int, int, float)>& emit,
                const GeneImageLookup* gene_images) {
  if (!request.grid && request.tfs.size() != request.targets.size())
    throw Error("rank_edges: " + std::to_string(request.tfs.size()) + " TFs for " + std::to_string(request.targets.size()) + " targets");
  FrozenTowerOptions towers;
  towers.frozen = opts.frozen_towers;
  towers.bf16 = opts.bf16;
  // On a CPU each thread takes whole chunks of the frozen tower's work (FrozenTowerOptions::chunk).
  const int batch = device.is_cpu() ? std::max(opts.batch, towers.chunk * at::get_num_threads()) : opts.batch;
  PairScorer scorer(net, ctx, device, opts.cache, batch, towers, gene_images);
  // Ties rank by gene name: ids in name order.
  std::vector<int> by_name(genes.size()), name_rank(genes.size());
  std::iota(by_name.begin(), by_name.end(), 0);
  std::sort(by_name.begin(), by_name.end(), [&](int x, int y) { return genes[x] < genes[y]; });
  for (std::size_t r = 0; r < by_name.size(); ++r) name_rank[by_name[r]] = static_cast<int>(r);
  const std::string tmp = opts.tmp_dir.empty() ? std::filesystem::temp_directory_path().string() : opts.tmp_dir;
  RankedEdges ranked(opts.top, opts.min_score, tmp);
  std::size_t done = 0;
  auto score_block = [&](const std::vector<int>& a, const std::vector<int>& b) {
    auto s = scorer.score(a, b);
    for (std::size_t i = 0; i < s.size(); ++i) ranked.add({s[i], name_rank[a[i]], name_rank[b[i]]});
    done += s.size();
    if (opts.progress) opts.progress(done);
  };
  constexpr std::size_t kBlock = 8192;
  if (request.grid) {
    scorer.prepare(request.targets, false);
    std::vector<int> a, b;
    for (int tf : request.tfs) {
      for (int t : request.targets) {
        if (t == tf) continue;
        a.push_back(tf);
        b.push_back(t);
        if (a.size() == kBlock) {
          score_block(a, b);
          a.clear();
          b.clear();
        }
      }
    }
    if (!a.empty()) score_block(a, b);
  } else {
    for (std::size_t first = 0; first < request.tfs.size(); first += kBlock) {
      const std::size_t n = std::min(kBlock, request.tfs.size() - first);
      score_block(std::vector<int>(request.tfs.begin() + first, request.tfs.begin() + first + n),
                  std::vector<int>(request.targets.begin() + first, request.targets.begin() + first + n));
    }
  }
  ranked.emit([&](const ScoredEdge& e) { emit(by_name[e.tf], by_name[e.target], e.score); });
}

}  // namespace drim::model
