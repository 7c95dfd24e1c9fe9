// drim-network's library: reading and cutting edge lists, centralities on hand-built graphs and
// against brute force, GraphML, and the comparison of two conditions.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "drim/network/compare.hpp"
#include "drim/network/edge_list.hpp"
#include "drim/network/edge_selection.hpp"
#include "drim/network/network.hpp"
#include "drim/network/network_writers.hpp"
#include "drim/network/node_metrics.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

using test::expect_error;
using test::ScratchDir;

/// PageRank by plain power iteration (dangling nodes jump uniformly): the reference.
std::vector<double> brute_pagerank(std::size_t n, const std::vector<GraphEdge>& edges, double d, bool weighted) {
  std::vector<double> out_w(n, 0.0), pr(n, 1.0 / n);
  for (const auto& e : edges) out_w[e.from] += weighted ? e.weight : 1.0;
  for (int it = 0; it < 10000; ++it) {
    std::vector<double> next(n, 0.0);
    double dangling = 0;
    for (std::size_t i = 0; i < n; ++i) dangling += out_w[i] == 0 ? pr[i] : 0.0;
    for (const auto& e : edges) next[e.to] += d * pr[e.from] * (weighted ? e.weight : 1.0) / out_w[e.from];
    for (auto& v : next) v += (1 - d) / n + d * dangling / n;
    pr.swap(next);
  }
  return pr;
}

TEST(NodeMetrics, OutStarHasTheClosedFormPageRank) {
  // centre -> 4 leaves; leaves dangle: c = 0.03 + 0.17 (1 - c)  =>  c = 0.2 / 1.17, l = (1 - c) / 4
  std::vector<GraphEdge> e = {{0, 1, 1}, {0, 2, 1}, {0, 3, 1}, {0, 4, 1}};
  NodeMetrics m = node_metrics(5, e, {});
  const double c = 0.2 / 1.17;
  EXPECT_NEAR(m.pagerank[0], c, 1e-12);
  for (int i = 1; i < 5; ++i) EXPECT_NEAR(m.pagerank[i], (1 - c) / 4, 1e-12);
  EXPECT_EQ(m.out_degree[0], 4);
  EXPECT_EQ(m.in_degree[3], 1);
  for (double b : m.betweenness) EXPECT_EQ(b, 0.0);  // no path goes through anything
}

TEST(NodeMetrics, BowTieCentreLiesOnEveryPath) {
  // A, B -> C -> D, E: the 4 paths A/B -> D/E pass C; normalised by (n-1)(n-2) = 12
  std::vector<GraphEdge> e = {{0, 2, 1}, {1, 2, 1}, {2, 3, 1}, {2, 4, 1}};
  NodeMetrics m = node_metrics(5, e, {});
  EXPECT_NEAR(m.betweenness[2], 4.0 / 12.0, 1e-12);
  for (int i : {0, 1, 3, 4}) EXPECT_EQ(m.betweenness[i], 0.0);
}

TEST(NodeMetrics, ChainAndCycle) {
  // chain A -> B -> C -> D: B lies on (A,C), (A,D); C on (A,D), (B,D); normalised by 3 * 2
  std::vector<GraphEdge> chain = {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}};
  NodeMetrics m = node_metrics(4, chain, {});
  EXPECT_NEAR(m.betweenness[1], 2.0 / 6.0, 1e-12);
  EXPECT_NEAR(m.betweenness[2], 2.0 / 6.0, 1e-12);
  EXPECT_EQ(m.betweenness[0], 0.0);
  auto ref = brute_pagerank(4, chain, 0.85, false);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(m.pagerank[i], ref[i], 1e-12);
  EXPECT_LT(m.pagerank[0], m.pagerank[3]);
  // directed 3-cycle: uniform PageRank; each node lies on exactly one of the 6 ordered pairs' paths
  NodeMetrics c = node_metrics(3, {{0, 1, 1}, {1, 2, 1}, {2, 0, 1}}, {});
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(c.pagerank[i], 1.0 / 3, 1e-12);
    EXPECT_NEAR(c.betweenness[i], 1.0 / 2, 1e-12);
  }
}

TEST(NodeMetrics, RandomGraphsMatchPowerIterationWeightedOrNot) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 5; ++trial) {
    const std::size_t n = 10 + 10 * trial;
    std::vector<GraphEdge> e;
    for (std::size_t a = 0; a < n / 3; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (u(rng) < 0.3) e.push_back({int(a), int(b), u(rng)});
    for (bool weighted : {false, true}) {
      for (double d : {0.85, 0.5}) {
        NodeMetricsOptions o;
        o.weighted = weighted;
        o.damping = d;
        o.betweenness = false;
        NodeMetrics m = node_metrics(n, e, o);
        auto ref = brute_pagerank(n, e, d, weighted);
        for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(m.pagerank[i], ref[i], 1e-10) << "trial " << trial;
        EXPECT_TRUE(m.betweenness.empty());
        double w = 0;
        for (const auto& x : e) w += x.from == 0 ? x.weight : 0.0;
        EXPECT_NEAR(m.out_weight[0], w, 1e-12);
      }
    }
  }
}

TEST(NodeMetrics, RejectsNegativeWeightsForWeightedPageRank) {
  NodeMetricsOptions o;
  o.weighted = true;
  expect_error([&] { node_metrics(2, {{0, 1, -0.5}}, o); }, {"non-negative", "-0.5"});
  EXPECT_NO_THROW(node_metrics(2, {{0, 1, -0.5}}, {}));  // unweighted: the score does not matter
}

TEST(EdgeSelector, CutsEqualSortingEverything) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> score(0, 20);  // many ties
  std::vector<ScoredEdge> all;
  for (int tf = 0; tf < 7; ++tf)
    for (int g = 0; g < 40; ++g) all.push_back({score(rng) / 20.0f, tf, g});
  std::shuffle(all.begin(), all.end(), rng);
  for (double min_score : {-1.0, 0.5}) {
    for (std::size_t top : {0, 1, 25}) {
      for (std::size_t per_tf : {0, 3}) {
        EdgeSelector sel({min_score, top, per_tf});
        for (const auto& e : all) sel.add(e);
        auto got = sel.finish();
        // reference: sort everything, then apply the cuts in order
        auto ref = all;
        std::sort(ref.begin(), ref.end(), ranks_before);
        std::vector<ScoredEdge> want;
        std::vector<std::size_t> per(7, 0);
        for (const auto& e : ref)
          if (e.score >= min_score && (per_tf == 0 || per[e.tf]++ < per_tf)) want.push_back(e);
        if (top > 0 && want.size() > top) want.resize(top);
        ASSERT_EQ(got.size(), want.size());
        for (std::size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(got[i].tf == want[i].tf && got[i].target == want[i].target);
      }
    }
  }
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(EdgeList, ReadsDrimBeelineAndPyscenicLayouts) {
  ScratchDir dir;
  write(dir.file("a.tsv"), "tf\ttarget\tscore\nT1\tX\t0.9\nT1\tY\t0.4\n# a comment\n\nT2\tX\t0.75\n");
  write(dir.file("b.csv"), "Gene1,Gene2,EdgeWeight\nT1,X,0.9\nT1,Y,0.4\nT2,X,0.75\n");
  write(dir.file("c.tsv"), "TF\ttarget\timportance\tx\nT1\tX\t9\textra\nT1\tY\t4\t-\nT2\tX\t7.5\t-\n");
  write(dir.file("d.tsv"), "T1\tX\t0.9\nT1\tY\t0.4\nT2\tX\t0.75\n");  // no header
  for (auto [file, format] : {std::pair{"a.tsv", "drim"}, {"b.csv", "beeline"}, {"c.tsv", "pyscenic"}, {"d.tsv", "drim"}}) {
    GeneDictionary genes;
    EdgeListReadOptions o;
    o.select.min_score = std::string(file) == "c.tsv" ? 5.0 : 0.5;
    EdgeList l = read_edge_list(dir.file(file), o, genes);
    EXPECT_EQ(l.format, format) << file;
    EXPECT_EQ(l.n_edges, 3u);
    ASSERT_EQ(l.kept.size(), 2u) << file;
    EXPECT_EQ(genes.name(l.kept[0].tf), "T1");
    EXPECT_EQ(genes.name(l.kept[1].tf), "T2");
    EXPECT_TRUE(l.is_tf[genes.find("T2")]);
    EXPECT_FALSE(l.is_tf[genes.find("X")]);
  }
}

TEST(EdgeList, CountsTargetsPerTfAtEveryThreshold) {
  ScratchDir dir;
  write(dir.file("a.tsv"), "T1\tA\t0.95\nT1\tB\t0.65\nT1\tC\t0.1\nT2\tA\t0.5\n");
  GeneDictionary genes;
  EdgeListReadOptions o;
  o.thresholds = {0.5, 0.6, 0.9};
  EdgeList l = read_edge_list(dir.file("a.tsv"), o, genes);
  EXPECT_EQ(l.targets_at[genes.find("T1")], (std::vector<std::uint32_t>{2, 2, 1}));
  EXPECT_EQ(l.targets_at[genes.find("T2")], (std::vector<std::uint32_t>{1, 0, 0}));
  EXPECT_TRUE(l.targets_at[genes.find("A")].empty());
}

TEST(EdgeList, BadInputNamesTheFileLineAndValue) {
  ScratchDir dir;
  GeneDictionary genes;
  write(dir.file("nan.tsv"), "tf\ttarget\tscore\nT1\tX\t0.5\nT1\tY\thigh\n");
  expect_error([&] { read_edge_list(dir.file("nan.tsv"), {}, genes); }, {"nan.tsv line 3", "'high'", "not a number"});
  write(dir.file("short.tsv"), "T1\tX\t0.5\nT1\tY\n");
  expect_error([&] { read_edge_list(dir.file("short.tsv"), {}, genes); }, {"short.tsv line 2", "three fields"});
  write(dir.file("dup.tsv"), "T1\tX\t0.5\nT2\tX\t0.1\nT1\tX\t0.7\n");
  expect_error([&] { read_edge_list(dir.file("dup.tsv"), {}, genes); }, {"dup.tsv", "'T1' -> 'X'", "more than once"});
  write(dir.file("empty.tsv"), "tf\ttarget\tscore\n");
  expect_error([&] { read_edge_list(dir.file("empty.tsv"), {}, genes); }, {"empty.tsv", "no edges"});
  write(dir.file("nanscore.tsv"), "T1\tX\tnan\n");
  expect_error([&] { read_edge_list(dir.file("nanscore.tsv"), {}, genes); }, {"line 1", "NaN"});
}

TEST(CompareNetworks, TwoTinyConditionsGiveTheKnownAnswer) {
  ScratchDir dir;
  // A: T1 -> X, Y; T2 -> X.   B: T1 -> X; T2 -> X, Z.  (cut at 0.5)
  write(dir.file("a.tsv"), "T1\tX\t0.9\nT1\tY\t0.8\nT2\tX\t0.7\nT2\tZ\t0.1\n");
  write(dir.file("b.tsv"), "T1\tX\t0.85\nT1\tY\t0.2\nT2\tX\t0.6\nT2\tZ\t0.95\n");
  GeneDictionary genes;
  EdgeListReadOptions o;
  o.keep_all = true;
  EdgeList a = read_edge_list(dir.file("a.tsv"), o, genes), b = read_edge_list(dir.file("b.tsv"), o, genes);
  NetworkComparison cmp = compare_networks(a, b, {});
  ASSERT_EQ(cmp.edges.size(), 4u);
  // most changed first: T2->Z (+0.85), T1->Y (-0.6), T2->X (-0.1), T1->X (-0.05)
  auto name = [&](const ComparedEdge& e) { return genes.name(e.tf) + ">" + genes.name(e.target); };
  EXPECT_EQ(name(cmp.edges[0]), "T2>Z");
  EXPECT_TRUE(!cmp.edges[0].in_a && cmp.edges[0].in_b);
  EXPECT_FLOAT_EQ(cmp.edges[0].score_a, 0.1f);
  EXPECT_EQ(name(cmp.edges[1]), "T1>Y");
  EXPECT_TRUE(cmp.edges[1].in_a && !cmp.edges[1].in_b);
  EXPECT_EQ(name(cmp.edges[2]), "T2>X");
  EXPECT_EQ(name(cmp.edges[3]), "T1>X");
  ASSERT_EQ(cmp.tfs.size(), 2u);
  for (const auto& t : cmp.tfs) {
    if (genes.name(t.tf) == "T1") EXPECT_TRUE(t.targets_a == 2 && t.targets_b == 1 && t.gained == 0 && t.lost == 1);
    else EXPECT_TRUE(t.targets_a == 1 && t.targets_b == 2 && t.gained == 1 && t.lost == 0);
  }
  // one node set (T1, X, Y, T2, Z): Y is isolated in B, Z in A; PageRank of each sums to 1
  ASSERT_EQ(cmp.a.genes, cmp.b.genes);
  ASSERT_EQ(cmp.a.genes.size(), 5u);
  double sa = 0, sb = 0;
  for (std::size_t i = 0; i < 5; ++i) sa += cmp.metrics_a.pagerank[i], sb += cmp.metrics_b.pagerank[i];
  EXPECT_NEAR(sa, 1.0, 1e-12);
  EXPECT_NEAR(sb, 1.0, 1e-12);
  TfSetTest t = test_tf_targets(cmp, {genes.find("T1"), genes.find("T2")});
  EXPECT_EQ(t.n_tfs, 2u);
  EXPECT_EQ(t.more_in_a, 1u);
  EXPECT_EQ(t.more_in_b, 1u);
  EXPECT_DOUBLE_EQ(t.median_a, 1.5);
}

TEST(CompareNetworks, PairScoredInOnlyOneListSortsLastWithNaN) {
  ScratchDir dir;
  write(dir.file("a.tsv"), "T1\tX\t0.9\nT1\tY\t0.8\n");
  write(dir.file("b.tsv"), "T1\tX\t0.5\n");
  GeneDictionary genes;
  EdgeListReadOptions o;
  o.keep_all = true;
  EdgeList a = read_edge_list(dir.file("a.tsv"), o, genes), b = read_edge_list(dir.file("b.tsv"), o, genes);
  NetworkComparison cmp = compare_networks(a, b, {});
  ASSERT_EQ(cmp.edges.size(), 2u);
  EXPECT_EQ(genes.name(cmp.edges[1].target), "Y");
  EXPECT_TRUE(std::isnan(cmp.edges[1].score_b));
}

TEST(NetworkWriters, FilesAppearWholeWithTheirHeaders) {
  ScratchDir dir;
  write(dir.file("a.tsv"), "T1\tX\t0.9\nT1\tY\t0.8\nT2\tX\t0.7\n");
  GeneDictionary genes;
  EdgeList l = read_edge_list(dir.file("a.tsv"), {}, genes);
  Network net = make_network(l.kept);
  NodeMetrics m = node_metrics(net.genes.size(), net.edges, {});
  write_nodes_tsv(dir.file("nodes.tsv"), genes, l.is_tf, net, m);
  write_graphml(dir.file("n.graphml"), genes, l.is_tf, net, m);
  std::ifstream nodes(dir.file("nodes.tsv"));
  std::string header, first;
  std::getline(nodes, header);
  std::getline(nodes, first);
  EXPECT_EQ(header, "gene\tis_tf\tin_degree\tout_degree\tin_weight\tout_weight\tpagerank\tbetweenness");
  EXPECT_EQ(first.substr(0, 2), "X\t");  // X has two in-edges: the highest PageRank
  std::ifstream g(dir.file("n.graphml"));
  std::string xml((std::istreambuf_iterator<char>(g)), {});
  EXPECT_NE(xml.find("<data key=\"name\">T1</data>"), std::string::npos);
  EXPECT_NE(xml.find("attr.name=\"score\""), std::string::npos);
  EXPECT_EQ(std::count(xml.begin(), xml.end(), '\n') > 10, true);
  for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(dir.file("")).parent_path()))
    EXPECT_EQ(f.path().filename().string().find(".tmp-"), std::string::npos);
}

}  // namespace
}  // namespace drim
