#include "drim/in_degree_prior.hpp"

#include <algorithm>
#include <cmath>

#include "drim/error.hpp"

namespace drim {
namespace {
void sort_unique(std::unordered_map<int, std::vector<int>>& regulators) {
  for (auto& [target, tfs] : regulators) {
    std::sort(tfs.begin(), tfs.end());
    tfs.erase(std::unique(tfs.begin(), tfs.end()), tfs.end());
  }
}
}  // namespace

InDegreePrior::InDegreePrior(const std::vector<LabelledPair>& pairs) {
  for (const auto& p : pairs)
    if (p.label == 1) regulators_[p.target].push_back(p.tf);
  sort_unique(regulators_);
}

InDegreePrior::InDegreePrior(const std::vector<std::pair<std::string, std::string>>& edges, const GeneIndex& index) {
  std::unordered_map<std::string, int> absent;  // TFs outside the index get ids -1, -2, ...
  for (const auto& [tf, target] : edges) {
    const auto t = index.find(target);
    if (!t) continue;
    int id;
    if (const auto g = index.find(tf)) id = *g;
    else id = absent.emplace(tf, -1 - static_cast<int>(absent.size())).first->second;
    regulators_[*t].push_back(id);
  }
  if (!edges.empty() && regulators_.empty())
    throw Error("none of the " + std::to_string(edges.size()) + " edges of the in-degree prior has its target among the " +
                std::to_string(index.size()) + " genes of the expression (first edge " + quote(edges.front().first) + " -> " +
                quote(edges.front().second) + "): is this the organism and gene naming the model was trained on?");
  sort_unique(regulators_);
}

std::size_t InDegreePrior::count(int tf, int target) const {
  const auto it = regulators_.find(target);
  if (it == regulators_.end()) return 0;
  const auto& r = it->second;
  return r.size() - (std::binary_search(r.begin(), r.end(), tf) ? 1 : 0);
}

std::vector<float> InDegreePrior::features(const std::vector<int>& tf, const std::vector<int>& target) const {
  if (tf.size() != target.size()) throw Error("in-degree prior: " + std::to_string(tf.size()) + " TFs but " + std::to_string(target.size()) + " targets");
  std::vector<float> f(tf.size());
  for (std::size_t i = 0; i < tf.size(); ++i) f[i] = static_cast<float>(std::log1p(static_cast<double>(count(tf[i], target[i]))));
  return f;
}

std::vector<std::pair<std::string, std::string>> InDegreePrior::named_edges(const std::vector<std::string>& genes) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [target, tfs] : regulators_)
    for (int tf : tfs) {
      if (tf < 0 || static_cast<std::size_t>(tf) >= genes.size() || static_cast<std::size_t>(target) >= genes.size())
        throw Error("in-degree prior: gene index " + std::to_string(tf < 0 ? tf : target) + " has no name among " + std::to_string(genes.size()) + " genes");
      out.emplace_back(genes[tf], genes[target]);
    }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t InDegreePrior::n_edges() const {
  std::size_t n = 0;
  for (const auto& [target, tfs] : regulators_) n += tfs.size();
  return n;
}

}  // namespace drim
