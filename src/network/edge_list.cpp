#include "drim/network/edge_list.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "drim/error.hpp"
#include "io/line_reader.hpp"

namespace drim {

std::int32_t GeneDictionary::intern(const std::string& name) {
  auto [it, added] = ids_.try_emplace(name, static_cast<std::int32_t>(names_.size()));
  if (added) names_.push_back(name);
  return it->second;
}

std::int32_t GeneDictionary::find(const std::string& name) const {
  auto it = ids_.find(name);
  return it == ids_.end() ? -1 : it->second;
}

namespace {

bool parse_number(std::string_view s, double& out) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

/// Splits the first three fields of `line` at `sep`; false when there are fewer.
bool split3(const std::string& line, char sep, std::string_view f[3]) {
  std::size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    std::size_t end = line.find(sep, start);
    if (end == std::string::npos) {
      if (i < 2) return false;
      end = line.size();
    }
    f[i] = std::string_view(line).substr(start, end - start);
    start = end + 1;
  }
  return true;
}

std::string format_of_header(std::string_view a, std::string_view b) {
  if (a == "Gene1" && b == "Gene2") return "beeline";
  if ((a == "TF" || a == "tf") && b == "target") return a == "TF" ? "pyscenic" : "drim";
  return "header " + std::string(a) + "/" + std::string(b);
}

}  // namespace

EdgeList read_edge_list(const std::string& path, const EdgeListReadOptions& opts, GeneDictionary& genes) {
  EdgeList out;
  out.path = path;
  out.format = "drim";
  out.best_score = -std::numeric_limits<double>::infinity();
  EdgeSelector selector(opts.select);
  std::vector<std::uint64_t> keys;  // (tf, target) of every edge, for the duplicate check
  detail::LineReader in(path);
  auto where = [&] { return path + " line " + std::to_string(in.line_number()); };
  std::string line, tf_name, target_name;
  char sep = 0;
  bool first = true;
  while (in.next(line)) {
    if (line.empty() || line[0] == '#') continue;
    if (sep == 0) sep = line.find('\t') != std::string::npos ? '\t' : ',';
    std::string_view f[3];
    if (!split3(line, sep, f))
      throw Error(where() + ": expected three fields 'tf, target, score' separated by " +
                  (sep == '\t' ? std::string("tabs") : std::string("commas")) + ", got " + quote(line));
    double score;
    if (!parse_number(f[2], score)) {
      if (first) {
        out.format = format_of_header(f[0], f[1]);
        first = false;
        continue;
      }
      throw Error(where() + ": score " + quote(std::string(f[2])) + " is not a number");
    }
    first = false;
    if (std::isnan(score)) throw Error(where() + ": score is NaN");
    tf_name.assign(f[0]);
    target_name.assign(f[1]);
    if (tf_name.empty() || target_name.empty()) throw Error(where() + ": empty gene name in " + quote(line));
    const std::int32_t tf = genes.intern(tf_name), target = genes.intern(target_name);
    if (out.is_tf.size() < genes.size()) {
      out.is_tf.resize(genes.size(), 0);
      out.targets_at.resize(genes.size());
    }
    if (!out.is_tf[tf]) {
      out.is_tf[tf] = 1;
      out.targets_at[tf].assign(opts.thresholds.size(), 0);
    }
    auto& counts = out.targets_at[tf];
    for (std::size_t i = 0; i < opts.thresholds.size(); ++i) counts[i] += score >= opts.thresholds[i];
    const ScoredEdge e{static_cast<float>(score), tf, target};
    selector.add(e);
    if (opts.keep_all) out.all.push_back(e);
    keys.push_back(static_cast<std::uint64_t>(tf) << 32 | static_cast<std::uint32_t>(target));
    out.best_score = std::max(out.best_score, score);
    ++out.n_edges;
  }
  if (out.format.rfind("header ", 0) == 0) out.format = "tsv";
  out.is_tf.resize(genes.size(), 0);
  out.targets_at.resize(genes.size());
  std::sort(keys.begin(), keys.end());
  auto dup = std::adjacent_find(keys.begin(), keys.end());
  if (dup != keys.end())
    throw Error(path + ": the edge " + quote(genes.name(static_cast<std::int32_t>(*dup >> 32))) + " -> " +
                quote(genes.name(static_cast<std::int32_t>(*dup & 0xffffffffu))) +
                " is listed more than once; an edge list holds one score per pair (was a file merged twice?)");
  out.n_passed = selector.passed();
  out.kept = selector.finish();
  if (opts.keep_all)
    std::sort(out.all.begin(), out.all.end(), [](const ScoredEdge& a, const ScoredEdge& b) {
      return a.tf != b.tf ? a.tf < b.tf : a.target < b.target;
    });
  if (out.n_edges == 0) throw Error(path + ": no edges (expected lines 'tf, target, score')");
  return out;
}

}  // namespace drim
