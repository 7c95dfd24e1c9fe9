#include "drim/training_pairs.hpp"
#include "drim/pairs.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "drim/error.hpp"

namespace drim {

NegativeRecipe parse_negative_recipe(const std::string& name) {
  if (name == "uniform") return NegativeRecipe::Uniform;
  if (name == "degree") return NegativeRecipe::Degree;
  throw Error("unknown negative recipe " + quote(name) + " (expected uniform or degree)");
}

std::vector<LabelledPair> make_training_pairs(const std::vector<std::pair<int, int>>& edges, const std::vector<int>& tfs,
                                              std::size_t n_genes, const PairOptions& opts, std::uint64_t seed) {
  const double negative_ratio = opts.negative_ratio;
  if (!(negative_ratio > 0.0) || negative_ratio > 1000.0)
    throw Error("negative ratio " + quote(std::to_string(negative_ratio)) + " must be in (0, 1000]");
  std::vector<double> in_degree(n_genes, 0.0);
  std::vector<std::set<int>> targets(n_genes);
  for (auto [tf, target] : edges) {
    if (targets[tf].insert(target).second) in_degree[target] += 1.0;
  }
  std::vector<int> sorted_tfs = tfs;
  std::sort(sorted_tfs.begin(), sorted_tfs.end());
  sorted_tfs.erase(std::unique(sorted_tfs.begin(), sorted_tfs.end()), sorted_tfs.end());
  std::mt19937_64 rng(seed);
  std::vector<LabelledPair> out;
  for (int tf : sorted_tfs) {
    const auto& pos = targets[tf];
    if (pos.empty()) continue;
    std::vector<int> kept(pos.begin(), pos.end());
    if (opts.max_positives > 0 && kept.size() > opts.max_positives) {
      std::shuffle(kept.begin(), kept.end(), rng);
      kept.resize(opts.max_positives);
      std::sort(kept.begin(), kept.end());
    }
    for (int t : kept) out.push_back({tf, t, 1});
    std::vector<int> pool;
    std::vector<double> weight;
    for (int g = 0; g < static_cast<int>(n_genes); ++g) {
      if (g == tf || pos.count(g)) continue;
      pool.push_back(g);
      weight.push_back(opts.recipe == NegativeRecipe::Degree ? in_degree[g] + 1.0 : 1.0);
    }
    const auto asked = static_cast<std::size_t>(std::llround(negative_ratio * static_cast<double>(kept.size())));
    const std::size_t want = std::min(std::max<std::size_t>(asked, 1), pool.size());
    std::vector<int> chosen;
    for (std::size_t k = 0; k < want; ++k) {
      std::discrete_distribution<std::size_t> pick(weight.begin(), weight.end());
      std::size_t i = pick(rng);
      chosen.push_back(pool[i]);
      weight[i] = 0.0;
    }
    std::sort(chosen.begin(), chosen.end());
    for (int g : chosen) out.push_back({tf, g, 0});
  }
  return out;
}

namespace {

/// Keys (each with its pair count) to k folds: seeded random order, then largest first, each to
/// the fold with the fewest pairs so far.
std::map<int, int> balanced_folds(const std::map<int, std::size_t>& count, int k, std::uint64_t seed, const std::string& what) {
  if (static_cast<int>(count.size()) < k)
    throw Error(std::to_string(count.size()) + " " + what + " cannot fill " + std::to_string(k) + " folds");
  std::vector<int> keys;
  for (const auto& [key, n] : count) keys.push_back(key);
  std::mt19937_64 rng(seed);
  std::shuffle(keys.begin(), keys.end(), rng);
  std::stable_sort(keys.begin(), keys.end(), [&](int a, int b) { return count.at(a) > count.at(b); });
  std::vector<std::size_t> load(k, 0);
  std::map<int, int> fold_of;
  for (int key : keys) {
    const int f = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    fold_of[key] = f;
    load[f] += count.at(key);
  }
  return fold_of;
}

}  // namespace

std::vector<int> assign_tf_folds(const std::vector<LabelledPair>& pairs, int k, std::uint64_t seed) {
  if (k < 2) throw Error("folds " + quote(std::to_string(k)) + " must be at least 2");
  std::map<int, std::size_t> count;
  for (const auto& p : pairs) ++count[p.tf];
  const auto fold_of = balanced_folds(count, k, seed, "TF(s)");
  std::vector<int> folds;
  folds.reserve(pairs.size());
  for (const auto& p : pairs) folds.push_back(fold_of.at(p.tf));
  return folds;
}


SplitProtocol parse_split(const std::string& name) {
  if (name == "tf") return SplitProtocol::Tf;
  if (name == "target") return SplitProtocol::Target;
  if (name == "both") return SplitProtocol::Both;
  if (name == "pair") return SplitProtocol::Pair;
  throw UsageError("split " + quote(name) + " must be tf, target, both or pair");
}

const char* split_name(SplitProtocol split) {
  switch (split) {
    case SplitProtocol::Tf: return "tf";
    case SplitProtocol::Target: return "target";
    case SplitProtocol::Both: return "both";
    case SplitProtocol::Pair: return "pair";
  }
  return "tf";
}

std::vector<int> assign_folds(const std::vector<LabelledPair>& pairs, int k, std::uint64_t seed, SplitProtocol split) {
  if (split == SplitProtocol::Tf) return assign_tf_folds(pairs, k, seed);
  if (k < 2) throw Error("folds " + quote(std::to_string(k)) + " must be at least 2");
  std::vector<int> folds(pairs.size(), -1);
  if (split == SplitProtocol::Target) {
    std::map<int, std::size_t> count;
    for (const auto& p : pairs) ++count[p.target];
    auto fold_of = balanced_folds(count, k, seed, "target gene(s)");
    for (std::size_t i = 0; i < pairs.size(); ++i) folds[i] = fold_of[pairs[i].target];
    return folds;
  }
  if (split == SplitProtocol::Pair) {
    if (pairs.size() < static_cast<std::size_t>(k)) throw Error(std::to_string(pairs.size()) + " pair(s) cannot fill " + std::to_string(k) + " folds");
    std::vector<std::size_t> order(pairs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t j = 0; j < order.size(); ++j) folds[order[j]] = static_cast<int>(j % k);
    return folds;
  }
  // both: TFs as in tf, then every other gene in the fold that holds most of its pairs' TFs.
  std::map<int, std::size_t> tf_count;
  for (const auto& p : pairs) ++tf_count[p.tf];
  auto fold_of = balanced_folds(tf_count, k, seed, "TF(s)");
  std::map<int, std::vector<std::size_t>> votes;
  for (const auto& p : pairs)
    if (!fold_of.count(p.target)) {
      auto& v = votes[p.target];
      v.resize(k, 0);
      ++v[fold_of.at(p.tf)];
    }
  for (const auto& [gene, v] : votes) fold_of[gene] = static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const int a = fold_of.at(pairs[i].tf), b = fold_of.at(pairs[i].target);
    folds[i] = a == b ? a : -1;
  }
  return folds;
}

std::size_t drop_unassigned(std::vector<LabelledPair>& pairs, std::vector<int>& folds) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i)
    if (folds[i] >= 0) {
      pairs[kept] = pairs[i];
      folds[kept++] = folds[i];
    }
  const std::size_t dropped = pairs.size() - kept;
  pairs.resize(kept);
  folds.resize(kept);
  return dropped;
}

PairSplit split_by_tf(const std::vector<LabelledPair>& pairs, double fraction, std::uint64_t seed) {
  if (fraction < 0.0 || fraction >= 1.0) throw Error("validation fraction " + quote(std::to_string(fraction)) + " must be in [0, 1)");
  std::vector<int> tfs;
  for (const auto& p : pairs) tfs.push_back(p.tf);
  std::sort(tfs.begin(), tfs.end());
  tfs.erase(std::unique(tfs.begin(), tfs.end()), tfs.end());
  std::mt19937_64 rng(seed);
  std::shuffle(tfs.begin(), tfs.end(), rng);
  std::set<int> held;
  std::size_t held_pairs = 0;
  const double want = fraction * pairs.size();
  for (std::size_t i = 0; i + 1 < tfs.size() && held_pairs < want; ++i) {
    held.insert(tfs[i]);
    held_pairs += std::count_if(pairs.begin(), pairs.end(), [&](const LabelledPair& p) { return p.tf == tfs[i]; });
  }
  PairSplit split;
  for (std::size_t i = 0; i < pairs.size(); ++i) (held.count(pairs[i].tf) ? split.validation : split.train).push_back(i);
  return split;
}

std::vector<LabelledPair> labelled_pairs(const ResolvedPairs& r, const std::string& source) {
  if (r.label.size() != r.size())
    throw Error(source + ": training pairs need a label on every line ('tf target 0|1'); or give --network and --tfs");
  std::vector<LabelledPair> out;
  std::map<std::pair<int, int>, std::size_t> first;  // pair -> its first line's index
  std::size_t positives = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    auto [it, fresh] = first.emplace(std::make_pair(r.tf[i], r.target[i]), i);
    if (!fresh && r.label[it->second] != r.label[i])
      throw Error(source + ": the pair " + quote(r.tf_names[i]) + " " + quote(r.target_names[i]) + " is labelled both 0 and 1; fix the labels");
    positives += r.label[i] == 1;
    out.push_back({r.tf[i], r.target[i], r.label[i]});
  }
  if (positives == 0 || positives == out.size())
    throw Error(source + ": every pair is labelled " + (positives == 0 ? "0" : "1") +
                "; training needs both positives (1) and negatives (0). Give negatives, or --network with --tfs "
                "to draw them (--negatives uniform|degree)");
  return out;
}

}  // namespace drim
