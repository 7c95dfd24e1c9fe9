#include "drim/network/network_writers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "drim/error.hpp"
#include "drim/temp_path.hpp"

namespace drim {

namespace {

/// An output file that appears only when complete.
class OutFile {
 public:
  explicit OutFile(const std::string& path) : tmp_(path), out_(tmp_.path()), path_(path) {
    if (!out_) throw Error("cannot create " + quote(path));
  }
  std::ofstream& operator*() { return out_; }
  void commit() {
    out_.flush();
    if (!out_) throw Error("cannot write " + quote(path_) + " (disk full?)");
    out_.close();
    tmp_.commit();
  }

 private:
  TempPath tmp_;
  std::ofstream out_;
  std::string path_;
};

std::string num(double v) {
  if (std::isnan(v)) return "NA";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

/// A float score in its shortest form that reads back exactly ("0.25", not "0.25000000372").
std::string score_text(float v) {
  if (std::isnan(v)) return "NA";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : num(v);
}

std::vector<std::size_t> order_by(const std::vector<double>& key, const GeneDictionary& genes,
                                  const std::vector<std::int32_t>& node_genes, bool absolute = false) {
  std::vector<std::size_t> idx(node_genes.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) {
    const double kx = absolute ? std::fabs(key[x]) : key[x], ky = absolute ? std::fabs(key[y]) : key[y];
    if (kx != ky) return kx > ky;
    return genes.name(node_genes[x]) < genes.name(node_genes[y]);
  });
  return idx;
}

bool tf_flag(const std::vector<char>& is_tf, std::int32_t g) { return static_cast<std::size_t>(g) < is_tf.size() && is_tf[g]; }

}  // namespace

void write_nodes_tsv(const std::string& path, const GeneDictionary& genes, const std::vector<char>& is_tf, const Network& net,
                     const NodeMetrics& m) {
  OutFile f(path);
  *f << "gene\tis_tf\tin_degree\tout_degree\tin_weight\tout_weight\tpagerank\tbetweenness\n";
  for (std::size_t i : order_by(m.pagerank, genes, net.genes)) {
    *f << genes.name(net.genes[i]) << '\t' << tf_flag(is_tf, net.genes[i]) << '\t' << num(m.in_degree[i]) << '\t'
       << num(m.out_degree[i]) << '\t' << num(m.in_weight[i]) << '\t' << num(m.out_weight[i]) << '\t' << num(m.pagerank[i])
       << '\t' << (m.betweenness.empty() ? "NA" : num(m.betweenness[i])) << '\n';
  }
  f.commit();
}

void write_edges_tsv(const std::string& path, const GeneDictionary& genes, const std::vector<ScoredEdge>& edges) {
  OutFile f(path);
  *f << "tf\ttarget\tscore\n";
  for (const auto& e : edges) *f << genes.name(e.tf) << '\t' << genes.name(e.target) << '\t' << score_text(e.score) << '\n';
  f.commit();
}

void write_targets_per_tf(const std::string& path, const GeneDictionary& genes, const EdgeList& list,
                          const std::vector<double>& thresholds) {
  OutFile f(path);
  *f << "tf";
  for (double t : thresholds) *f << "\tscore_ge_" << num(t);
  *f << '\n';
  std::vector<std::int32_t> tfs;
  for (std::size_t g = 0; g < list.is_tf.size(); ++g)
    if (list.is_tf[g]) tfs.push_back(static_cast<std::int32_t>(g));
  std::sort(tfs.begin(), tfs.end(), [&](std::int32_t x, std::int32_t y) { return genes.name(x) < genes.name(y); });
  for (std::int32_t tf : tfs) {
    *f << genes.name(tf);
    for (auto c : list.targets_at[tf]) *f << '\t' << c;
    *f << '\n';
  }
  f.commit();
}

void write_compared_edges(const std::string& path, const GeneDictionary& genes, const NetworkComparison& cmp) {
  OutFile f(path);
  *f << "tf\ttarget\tscore_a\tscore_b\tdelta\tin_a\tin_b\tstatus\n";
  for (const auto& e : cmp.edges) {
    *f << genes.name(e.tf) << '\t' << genes.name(e.target) << '\t' << score_text(e.score_a) << '\t' << score_text(e.score_b)
       << '\t' << score_text(e.score_b - e.score_a) << '\t' << e.in_a << '\t' << e.in_b << '\t' << (e.in_a && e.in_b ? "both" : e.in_a ? "only_a" : "only_b")
       << '\n';
  }
  f.commit();
}

void write_compared_nodes(const std::string& path, const GeneDictionary& genes, const std::vector<char>& is_tf,
                          const NetworkComparison& cmp) {
  const auto& ma = cmp.metrics_a;
  const auto& mb = cmp.metrics_b;
  std::vector<double> delta(cmp.a.genes.size());
  for (std::size_t i = 0; i < delta.size(); ++i) delta[i] = mb.pagerank[i] - ma.pagerank[i];
  OutFile f(path);
  *f << "gene\tis_tf\tin_a\tin_b\tin_degree_a\tin_degree_b\tout_degree_a\tout_degree_b\tpagerank_a\tpagerank_b\tpagerank_delta\n";
  for (std::size_t i : order_by(delta, genes, cmp.a.genes)) {
    const bool in_a = ma.in_degree[i] + ma.out_degree[i] > 0, in_b = mb.in_degree[i] + mb.out_degree[i] > 0;
    *f << genes.name(cmp.a.genes[i]) << '\t' << tf_flag(is_tf, cmp.a.genes[i]) << '\t' << in_a << '\t' << in_b << '\t'
       << num(ma.in_degree[i]) << '\t' << num(mb.in_degree[i]) << '\t' << num(ma.out_degree[i]) << '\t' << num(mb.out_degree[i])
       << '\t' << num(ma.pagerank[i]) << '\t' << num(mb.pagerank[i]) << '\t' << num(delta[i]) << '\n';
  }
  f.commit();
}

void write_tf_changes(const std::string& path, const GeneDictionary& genes, const NetworkComparison& cmp) {
  auto rows = cmp.tfs;
  auto net = [](const TfTargetChange& t) { return std::llabs(static_cast<long long>(t.gained) - static_cast<long long>(t.lost)); };
  std::sort(rows.begin(), rows.end(), [&](const TfTargetChange& x, const TfTargetChange& y) {
    if (net(x) != net(y)) return net(x) > net(y);
    return genes.name(x.tf) < genes.name(y.tf);
  });
  OutFile f(path);
  *f << "tf\ttargets_a\ttargets_b\tgained\tlost\n";
  for (const auto& t : rows) *f << genes.name(t.tf) << '\t' << t.targets_a << '\t' << t.targets_b << '\t' << t.gained << '\t' << t.lost << '\n';
  f.commit();
}

void write_rnk(const std::string& path, const GeneDictionary& genes, const std::vector<std::int32_t>& node_genes,
               const std::vector<double>& values) {
  OutFile f(path);
  std::vector<std::size_t> idx(node_genes.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) {
    if (values[x] != values[y]) return values[x] > values[y];
    return genes.name(node_genes[x]) < genes.name(node_genes[y]);
  });
  for (std::size_t i : idx) *f << genes.name(node_genes[i]) << '\t' << num(values[i]) << '\n';
  f.commit();
}

}  // namespace drim
