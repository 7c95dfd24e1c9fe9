#include "drim/pairs.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

#include "drim/error.hpp"
#include "io/line_reader.hpp"

namespace drim {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.size() >= 2 && (cur.front() == '"' || cur.front() == '\'') && cur.back() == cur.front())
      cur = cur.substr(1, cur.size() - 2);
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (char ch : line) {
    if (ch == ',' || ch == '\t' || ch == ' ' || ch == ';') flush();
    else cur.push_back(ch);
  }
  flush();
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// A header names both columns: Gene1/Gene2 (BEELINE), tf/target, source/target, regulator/target, from/to.
bool is_header(const std::vector<std::string>& f) {
  static const std::set<std::pair<std::string, std::string>> headers{
      {"gene1", "gene2"}, {"tf", "target"}, {"source", "target"}, {"regulator", "target"}, {"from", "to"}};
  return f.size() >= 2 && headers.count({lower(f[0]), lower(f[1])}) > 0;
}

std::string strip_comment(const std::string& line) {
  auto pos = line.find('#');
  return pos == std::string::npos ? line : line.substr(0, pos);
}

}  // namespace

PairList read_pairs(const std::string& path) {
  detail::LineReader in(path);
  PairList list;
  std::string line;
  bool first = true, network = false;
  long labelled = 0;
  while (in.next(line)) {
    auto f = split_fields(strip_comment(line));
    if (f.empty()) continue;
    const std::string where = path + " line " + std::to_string(in.line_number());
    if (first) {
      first = false;
      if (is_header(f)) {
        network = lower(f[0]) == "gene1" && f.size() >= 2 && lower(f[1]) == "gene2";
        continue;
      }
    }
    if (f.size() < 2) throw Error(where + ": expected 'tf target [label]', got " + quote(line));
    GenePair p{f[0], f[1], -1};
    if (!network && f.size() >= 3) {
      if (f.size() > 3) throw Error(where + ": expected 'tf target [label]' (3 fields), got " + std::to_string(f.size()));
      if (f[2] != "0" && f[2] != "1") throw Error(where + ": label " + quote(f[2]) + " must be 0 or 1");
      p.label = f[2] == "1" ? 1 : 0;
      ++labelled;
    }
    list.pairs.push_back(std::move(p));
  }
  if (labelled > 0 && labelled != static_cast<long>(list.pairs.size())) {
    throw Error(path + ": " + std::to_string(labelled) + " of " + std::to_string(list.pairs.size()) +
                " pairs have a label; give a label on every line or on none");
  }
  list.has_labels = labelled > 0;
  return list;
}

std::vector<std::string> read_name_list(const std::string& path) {
  detail::LineReader in(path);
  std::vector<std::string> names;
  std::string line;
  while (in.next(line)) {
    auto f = split_fields(strip_comment(line));
    if (!f.empty()) names.push_back(f[0]);
  }
  if (names.empty()) throw Error(path + ": no names found (expected one name per line)");
  return names;
}

std::vector<int> read_neighbor_groups(const std::string& path, const std::vector<std::string>& genes,
                                     const GeneIndex& index) {
  detail::LineReader in(path);
  std::vector<int> group(genes.size(), -1);
  std::map<std::string, int> ids;
  std::string line;
  while (in.next(line)) {
    auto f = split_fields(strip_comment(line));
    if (f.empty()) continue;
    const std::string where = path + " line " + std::to_string(in.line_number());
    if (f.size() != 2) throw Error(where + ": expected 'gene group', got " + quote(line));
    auto row = index.find(f[0]);
    if (!row) throw Error(where + ": gene " + quote(f[0]) + " is not in the matrix");
    group[*row] = ids.emplace(f[1], static_cast<int>(ids.size())).first->second;
  }
  const std::size_t unlisted = static_cast<std::size_t>(std::count(group.begin(), group.end(), -1));
  if (unlisted > 0) {
    const auto first = std::find(group.begin(), group.end(), -1) - group.begin();
    throw Error(path + ": " + std::to_string(unlisted) + " gene(s) of the matrix have no group, the first is " +
                quote(genes[first]));
  }
  return group;
}

std::vector<char> neighbor_pool(const std::string& spec, const std::vector<std::string>& genes, const GeneIndex& index,
                                const std::vector<int>& tf_rows, std::size_t* skipped) {
  if (skipped) *skipped = 0;
  if (spec == "all") return {};
  std::vector<char> pool(genes.size(), 0);
  if (spec == "tfs") {
    if (tf_rows.empty()) throw Error("--neighbor-pool tfs: there are no TFs to draw neighbours from");
    for (int r : tf_rows) pool.at(static_cast<std::size_t>(r)) = 1;
    return pool;
  }
  std::size_t found = 0, missing = 0;
  for (const auto& name : read_name_list(spec)) {
    if (auto row = index.find(name)) found += pool[*row] ? 0 : 1, pool[*row] = 1;
    else ++missing;
  }
  if (found == 0) throw Error(spec + ": none of its " + std::to_string(missing) + " gene(s) is in the matrix (expected the neighbour pool: all, tfs, or a gene list)");
  if (skipped) *skipped = missing;
  return pool;
}

std::vector<std::string> neighbor_pool_names(const std::vector<char>& pool, const std::vector<std::string>& genes) {
  std::vector<std::string> names;
  for (std::size_t g = 0; g < pool.size() && g < genes.size(); ++g)
    if (pool[g]) names.push_back(genes[g]);
  return names;
}

std::vector<char> neighbor_pool_from_names(const std::vector<std::string>& names, const std::vector<std::string>& genes) {
  const std::unordered_set<std::string> in_pool(names.begin(), names.end());
  std::vector<char> pool(genes.size(), 0);
  for (std::size_t g = 0; g < genes.size(); ++g) pool[g] = in_pool.count(genes[g]) ? 1 : 0;
  return pool;
}

ResolvedPairs resolve_pairs(const PairList& list, const GeneIndex& index, bool skip_missing,
                            const std::string& source) {
  ResolvedPairs r;
  std::set<std::string> missing;
  for (const auto& p : list.pairs) {
    auto a = index.find(p.tf), b = index.find(p.target);
    if (!a) missing.insert(p.tf);
    if (!b) missing.insert(p.target);
    if (!a || !b) {
      ++r.dropped;
      continue;
    }
    r.tf.push_back(*a);
    r.target.push_back(*b);
    r.tf_names.push_back(p.tf);
    r.target_names.push_back(p.target);
    if (list.has_labels) r.label.push_back(static_cast<std::int8_t>(p.label));
  }
  r.missing.assign(missing.begin(), missing.end());
  if (!missing.empty() && !skip_missing) {
    std::string names;
    int shown = 0;
    for (const auto& m : r.missing) {
      if (shown++ == 5) break;
      names += (names.empty() ? "" : ", ") + quote(m);
    }
    throw Error(source + ": " + std::to_string(missing.size()) + " gene(s) not in the expression matrix (" + names +
                (missing.size() > 5 ? ", ..." : "") + "), in " + std::to_string(r.dropped) +
                " pair(s); use --skip-missing to drop those pairs");
  }
  if (r.size() == 0) throw Error(source + ": no pairs left to process");
  return r;
}

}  // namespace drim
