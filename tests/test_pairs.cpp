// Pair lists: formats, headers, labels, unknown genes.
#include <fstream>

#include <gtest/gtest.h>

#include "drim/pairs.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

std::string write(const test::ScratchDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.file(name)) << text;
  return dir.file(name);
}

TEST(ReadPairs, WhitespaceCommasCommentsAndLabels) {
  test::ScratchDir dir;
  auto l = read_pairs(write(dir, "p.txt", "# a comment\nSox2 Nanog 1\n\nPou5f1,Klf4,0  # trailing\nMyc\tMax\t1\n"));
  ASSERT_EQ(l.pairs.size(), 3u);
  EXPECT_TRUE(l.has_labels);
  EXPECT_EQ(l.pairs[1].tf, "Pou5f1");
  EXPECT_EQ(l.pairs[1].target, "Klf4");
  EXPECT_EQ(l.pairs[1].label, 0);
  EXPECT_EQ(l.pairs[2].label, 1);
}

TEST(ReadPairs, BeelineNetworkHeaderAndExtraColumns) {
  test::ScratchDir dir;
  auto l = read_pairs(write(dir, "net.csv", "Gene1,Gene2,Type\nSOX2,NANOG,+\nMYC,MAX,-\n"));
  ASSERT_EQ(l.pairs.size(), 2u);
  EXPECT_FALSE(l.has_labels);
  auto genes_named_like_header = read_pairs(write(dir, "g.txt", "gene1 gene3\ntf target\n"));
  ASSERT_EQ(genes_named_like_header.pairs.size(), 2u);  // only a first line can be a header
  EXPECT_EQ(genes_named_like_header.pairs[0].tf, "gene1");
  EXPECT_EQ(l.pairs[0].tf, "SOX2");
  EXPECT_EQ(l.pairs[1].target, "MAX");
}

TEST(ReadPairs, BadLinesAreNamed) {
  test::ScratchDir dir;
  test::expect_error([&] { read_pairs(write(dir, "a.txt", "Sox2 Nanog 1\nPou5f1 Klf4 yes\n")); }, {"a.txt line 2", "'yes'", "0 or 1"});
  test::expect_error([&] { read_pairs(write(dir, "b.txt", "Sox2 Nanog 1\nPou5f1 Klf4\n")); }, {"b.txt", "1 of 2 pairs have a label"});
  test::expect_error([&] { read_pairs(write(dir, "c.txt", "Sox2\n")); }, {"c.txt line 1", "tf target"});
}

TEST(ResolvePairs, UnknownGenesListedOrSkipped) {
  test::ScratchDir dir;
  auto l = read_pairs(write(dir, "p.txt", "A B 1\nA X 0\nY B 1\nB A 0\n"));
  GeneIndex index({"A", "B", "C"});
  test::expect_error([&] { resolve_pairs(l, index, false, "p.txt"); }, {"p.txt", "2 gene(s)", "'X'", "'Y'", "in 2 pair(s)", "--skip-missing"});
  auto r = resolve_pairs(l, index, true, "p.txt");
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.dropped, 2u);
  EXPECT_EQ(r.tf, (std::vector<int>{0, 1}));
  EXPECT_EQ(r.target, (std::vector<int>{1, 0}));
  EXPECT_EQ(r.label, (std::vector<std::int8_t>{1, 0}));
}

TEST(NeighborGroups, IdsByFirstAppearanceAndEveryGeneListed) {
  test::ScratchDir dir;
  const std::vector<std::string> genes{"A", "B", "C", "D"};
  GeneIndex index(genes);
  auto g = read_neighbor_groups(write(dir, "g.tsv", "# gene group\nC\tx\nA,y\nD x\nB\ty\n"), genes, index);
  EXPECT_EQ(g, (std::vector<int>{1, 1, 0, 0}));
  test::expect_error([&] { read_neighbor_groups(write(dir, "m.tsv", "A x\nB x\nD y\n"), genes, index); },
                     {"m.tsv", "1 gene(s)", "'C'"});
  test::expect_error([&] { read_neighbor_groups(write(dir, "u.tsv", "A x\nZ x\n"), genes, index); }, {"u.tsv line 2", "'Z'"});
  test::expect_error([&] { read_neighbor_groups(write(dir, "f.tsv", "A x y\n"), genes, index); }, {"f.tsv line 1", "gene group"});
}

TEST(NeighborPool, AllTfsOrAGeneList) {
  test::ScratchDir dir;
  std::vector<std::string> genes = {"A", "B", "C", "D"};
  GeneIndex index(genes);
  EXPECT_TRUE(neighbor_pool("all", genes, index, {1}).empty());
  EXPECT_EQ(neighbor_pool("tfs", genes, index, {2, 0, 2}), (std::vector<char>{1, 0, 1, 0}));
  test::expect_error([&] { neighbor_pool("tfs", genes, index, {}); }, {"no TFs"});
  std::size_t skipped = 9;
  EXPECT_EQ(neighbor_pool(write(dir, "p.txt", "# TFs\nD\nZz\nB\nD\n"), genes, index, {}, &skipped), (std::vector<char>{0, 1, 0, 1}));
  EXPECT_EQ(skipped, 1u);
  test::expect_error([&] { neighbor_pool(write(dir, "none.txt", "X\nY\n"), genes, index, {}); }, {"none.txt", "none of its 2"});
  EXPECT_EQ(neighbor_pool_names({0, 1, 0, 1}, genes), (std::vector<std::string>{"B", "D"}));
}

TEST(GeneIndex, CaseSensitiveByDefault) {
  GeneIndex cs({"Sox2", "NANOG"});
  EXPECT_FALSE(cs.find("SOX2"));
  EXPECT_EQ(*cs.find("Sox2"), 0);
  GeneIndex ci({"Sox2", "NANOG"}, true);
  EXPECT_EQ(*ci.find("SOX2"), 0);
  EXPECT_EQ(*ci.find("nanog"), 1);
  test::expect_error([] { GeneIndex({"Sox2", "SOX2"}, true); }, {"'Sox2'", "'SOX2'", "--ignore-case"});
}

}  // namespace
}  // namespace drim
