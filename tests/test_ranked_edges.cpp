// The ranked-edge sink against a brute-force sort: in memory, spilled to runs, and top-k.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "drim/ranked_edges.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

std::vector<ScoredEdge> random_edges(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> score(0, 50), gene(0, 30);  // few distinct scores: many ties
  std::vector<ScoredEdge> v(n);
  for (auto& e : v) e = {static_cast<float>(score(rng)) / 50.0f, gene(rng), gene(rng)};
  return v;
}

std::vector<ScoredEdge> collect(RankedEdges& r) {
  std::vector<ScoredEdge> out;
  r.emit([&](const ScoredEdge& e) { out.push_back(e); });
  return out;
}

bool same(const std::vector<ScoredEdge>& a, const std::vector<ScoredEdge>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const ScoredEdge& x, const ScoredEdge& y) {
           return x.score == y.score && x.tf == y.tf && x.target == y.target;
         });
}

TEST(RankedEdges, MatchesSortInMemorySpilledAndTopK) {
  test::ScratchDir dir;
  auto edges = random_edges(5000, 3);
  auto want = edges;
  std::sort(want.begin(), want.end(), ranks_before);
  for (std::size_t run : {100000, 1000, 7}) {
    RankedEdges r(0, 0.0f, dir.file(""), run);
    for (const auto& e : edges) r.add(e);
    EXPECT_TRUE(same(collect(r), want)) << "run size " << run;
    if (run == 1000) EXPECT_EQ(r.runs(), 5u);
  }
  RankedEdges top(25, 0.0f, dir.file(""));
  for (const auto& e : edges) top.add(e);
  EXPECT_TRUE(same(collect(top), std::vector<ScoredEdge>(want.begin(), want.begin() + 25)));
  RankedEdges min(0, 0.9f, dir.file(""), 50);
  for (const auto& e : edges) min.add(e);
  auto kept = collect(min);
  EXPECT_EQ(kept.size(), static_cast<std::size_t>(std::count_if(edges.begin(), edges.end(), [](auto& e) { return e.score >= 0.9f; })));
  EXPECT_TRUE(std::all_of(kept.begin(), kept.end(), [](auto& e) { return e.score >= 0.9f; }));
}

}  // namespace
}  // namespace drim
