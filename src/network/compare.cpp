#include "drim/network/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "drim/error.hpp"
#include "drim/metrics.hpp"

namespace drim {

namespace {

std::uint64_t key(std::int32_t tf, std::int32_t target) {
  return static_cast<std::uint64_t>(tf) << 32 | static_cast<std::uint32_t>(target);
}

/// Score of (tf, target) in a list sorted by (tf, target), NaN when absent.
float lookup(const std::vector<ScoredEdge>& all, std::int32_t tf, std::int32_t target) {
  auto it = std::lower_bound(all.begin(), all.end(), key(tf, target),
                             [](const ScoredEdge& e, std::uint64_t k) { return key(e.tf, e.target) < k; });
  return it != all.end() && it->tf == tf && it->target == target ? it->score : std::numeric_limits<float>::quiet_NaN();
}

std::vector<std::int32_t> union_nodes(const EdgeList& a, const EdgeList& b) {
  std::vector<std::int32_t> nodes;
  std::unordered_set<std::int32_t> seen;
  for (const auto* list : {&a.kept, &b.kept})
    for (const auto& e : *list)
      for (std::int32_t g : {e.tf, e.target})
        if (seen.insert(g).second) nodes.push_back(g);
  return nodes;
}

}  // namespace

NetworkComparison compare_networks(const EdgeList& a, const EdgeList& b, const NodeMetricsOptions& opts) {
  if ((a.all.empty() && a.n_edges > 0) || (b.all.empty() && b.n_edges > 0))
    throw Error("compare_networks needs edge lists read with keep_all");
  NetworkComparison cmp;
  const auto nodes = union_nodes(a, b);
  cmp.a = make_network(a.kept, nodes);
  cmp.b = make_network(b.kept, nodes);
  cmp.metrics_a = node_metrics(nodes.size(), cmp.a.edges, opts);
  cmp.metrics_b = node_metrics(nodes.size(), cmp.b.edges, opts);

  std::unordered_map<std::uint64_t, std::size_t> at;  // edge key -> index in cmp.edges
  auto add = [&](const ScoredEdge& e, bool in_a) {
    auto [it, fresh] = at.emplace(key(e.tf, e.target), cmp.edges.size());
    if (fresh) cmp.edges.push_back({e.tf, e.target, lookup(a.all, e.tf, e.target), lookup(b.all, e.tf, e.target), false, false});
    (in_a ? cmp.edges[it->second].in_a : cmp.edges[it->second].in_b) = true;
  };
  for (const auto& e : a.kept) add(e, true);
  for (const auto& e : b.kept) add(e, false);
  auto change = [](const ComparedEdge& e) {
    return std::isnan(e.score_a) || std::isnan(e.score_b) ? -1.0 : std::fabs(double(e.score_b) - e.score_a);
  };
  auto best = [](const ComparedEdge& e) { return std::max(std::isnan(e.score_a) ? -1e30f : e.score_a, std::isnan(e.score_b) ? -1e30f : e.score_b); };
  std::sort(cmp.edges.begin(), cmp.edges.end(), [&](const ComparedEdge& x, const ComparedEdge& y) {
    const double cx = change(x), cy = change(y);
    if (cx != cy) return cx > cy;
    if (cx < 0 && best(x) != best(y)) return best(x) > best(y);
    return x.tf != y.tf ? x.tf < y.tf : x.target < y.target;
  });

  std::unordered_map<std::int32_t, std::size_t> tf_row;
  const std::size_t n_genes = std::max(a.is_tf.size(), b.is_tf.size());
  for (std::size_t g = 0; g < n_genes; ++g) {
    const bool tf = (g < a.is_tf.size() && a.is_tf[g]) || (g < b.is_tf.size() && b.is_tf[g]);
    if (tf) {
      tf_row.emplace(static_cast<std::int32_t>(g), cmp.tfs.size());
      cmp.tfs.push_back({static_cast<std::int32_t>(g)});
    }
  }
  for (const auto& e : cmp.edges) {
    auto& t = cmp.tfs[tf_row.at(e.tf)];
    t.targets_a += e.in_a;
    t.targets_b += e.in_b;
    t.gained += e.in_b && !e.in_a;
    t.lost += e.in_a && !e.in_b;
  }
  return cmp;
}

TfSetTest test_tf_targets(const NetworkComparison& cmp, const std::vector<std::int32_t>& set) {
  std::unordered_set<std::int32_t> wanted(set.begin(), set.end());
  std::vector<double> xa, xb, change, change_other;
  TfSetTest t;
  for (const auto& tf : cmp.tfs) {
    const double d = static_cast<double>(tf.targets_b) - static_cast<double>(tf.targets_a);
    if (!wanted.count(tf.tf)) {
      change_other.push_back(d);
      continue;
    }
    change.push_back(d);
    xa.push_back(static_cast<double>(tf.targets_a));
    xb.push_back(static_cast<double>(tf.targets_b));
    t.more_in_a += tf.targets_a > tf.targets_b;
    t.more_in_b += tf.targets_b > tf.targets_a;
  }
  t.n_tfs = xa.size();
  t.median_a = median(xa);
  t.median_b = median(xb);
  t.p = wilcoxon_signed_rank_p(xb, xa);
  t.median_change = median(change);
  t.median_change_other = median(change_other);
  t.p_vs_other = mann_whitney_p(change, change_other);
  return t;
}

}  // namespace drim
