// drim-merge: merge drim-predict outputs (e.g. the shards of a Slurm array) into one ranked list.
#include <filesystem>
#include <memory>
#include <optional>
#include <queue>

#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/error.hpp"
#include "io/line_reader.hpp"
#include "shard.hpp"

namespace {

/// One edge line of an input, with the key it is ranked by.
struct Edge {
  float score = 0;
  std::string tf, target, score_text;
};

/// Score descending, then tf and target names ascending: drim-predict's order.
bool ranks_before(const Edge& a, const Edge& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.tf != b.tf) return a.tf < b.tf;
  return a.target < b.target;
}

/// A first line whose third field is not a number: a header of any of the edge list formats.
bool is_header(const std::string& line, char sep) {
  auto p2 = line.find(sep, line.find(sep) + 1);
  if (p2 == std::string::npos) return false;
  try {
    std::size_t used = 0;
    std::stof(line.substr(p2 + 1), &used);
    return false;
  } catch (const std::exception&) {
    return true;
  }
}

/// Streams the edges of one sorted input, checking that it is sorted.
class EdgeStream {
 public:
  explicit EdgeStream(const std::string& path) : in_(path) {}
  bool next(Edge& e) {
    std::string line;
    while (in_.next(line)) {
      if (line.empty()) continue;
      if (line[0] == '#') {
        if (!seen_data_)
          if (auto t = drim::cli::parse_shard_line(line)) tag_ = t;
        continue;
      }
      const char sep = line.find('\t') != std::string::npos ? '\t' : ',';
      const bool first = !seen_data_;
      seen_data_ = true;
      if (first && is_header(line, sep)) continue;
      auto p1 = line.find(sep), p2 = p1 == std::string::npos ? p1 : line.find(sep, p1 + 1);
      if (p2 == std::string::npos) throw drim::Error(where() + ": expected 'tf, target, score', got " + drim::quote(line));
      e.tf = line.substr(0, p1);
      e.target = line.substr(p1 + 1, p2 - p1 - 1);
      e.score_text = line.substr(p2 + 1);
      try {
        e.score = std::stof(e.score_text);
      } catch (const std::exception&) {
        throw drim::Error(where() + ": score " + drim::quote(e.score_text) + " is not a number");
      }
      if (have_prev_ && ranks_before(e, prev_))
        throw drim::Error(where() + ": edges are not sorted best first; give files written by drim-predict");
      prev_ = e;
      have_prev_ = true;
      return true;
    }
    return false;
  }
  /// The "# drim-predict shard i/N run KEY" line before the first edge, once next() was called.
  const std::optional<drim::cli::ShardTag>& tag() const { return tag_; }

 private:
  std::string where() const { return in_.path() + " line " + std::to_string(in_.line_number()); }
  drim::detail::LineReader in_;
  Edge prev_;
  bool have_prev_ = false, seen_data_ = false;
  std::optional<drim::cli::ShardTag> tag_;
};

/// Shards of one drim-predict run: all tagged, one run, each of 0..N-1 once (missing ones are an
/// error unless allowed). Untagged inputs are independent lists and are not checked.
void check_shards(const std::vector<std::string>& inputs, const std::vector<std::unique_ptr<EdgeStream>>& streams,
                  bool allow_missing) {
  std::size_t tagged = 0;
  for (const auto& s : streams) tagged += s->tag().has_value();
  if (tagged == 0) return;
  std::size_t first = 0;
  while (!streams[first]->tag()) ++first;
  const auto& ref = *streams[first]->tag();
  std::vector<std::size_t> owner(ref.count, inputs.size());
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const auto& t = streams[i]->tag();
    if (!t)
      throw drim::Error(drim::quote(inputs[i]) + " has no shard line but " + drim::quote(inputs[first]) +
                        " is shard " + std::to_string(ref.index) + "/" + std::to_string(ref.count) + " of a drim-predict run; merge the shards of one run only");
    if (t->count != ref.count || t->run != ref.run)
      throw drim::Error(drim::quote(inputs[i]) + " is shard " + std::to_string(t->index) + "/" + std::to_string(t->count) + " of run " + t->run +
                        ", " + drim::quote(inputs[first]) + " of run " + ref.run + " with " + std::to_string(ref.count) +
                        " shards: another model, other pairs, or other --top/--min-score");
    if (owner[t->index] != inputs.size())
      throw drim::Error("shard " + std::to_string(t->index) + "/" + std::to_string(t->count) + " is given twice: " +
                        drim::quote(inputs[owner[t->index]]) + " and " + drim::quote(inputs[i]));
    owner[t->index] = i;
  }
  std::string missing;
  std::size_t n_missing = 0;
  for (int k = 0; k < ref.count; ++k)
    if (owner[k] == inputs.size()) {
      if (n_missing++ < 10) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
    }
  if (n_missing == 0) {
    spdlog::info("all {} shards of run {} are here", ref.count, ref.run);
    return;
  }
  if (n_missing > 10) missing += ", ...";
  const std::string msg = std::to_string(n_missing) + " of " + std::to_string(ref.count) + " shards of run " + ref.run +
                          " are missing (shard " + missing + ")";
  if (!allow_missing) throw drim::Error(msg + "; did those tasks fail? --allow-missing merges what is here");
  spdlog::warn("{}: the merged list lacks their edges", msg);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Merge ranked edge lists from drim-predict shards into one, best first; an edge found in two inputs is an error.\n"
               "Shards written by drim-predict --shard (tsv) name their run in a first '#' line: all of a run's\n"
               "shards must be given, once each.\n"
               "Streams: memory does not grow with the number of edges.\n\n"
               "Example:\n  drim-merge shard_*.tsv --top 100000 --out network.tsv"};
  cli::RunArgs run;
  std::vector<std::string> inputs;
  std::string out = "-", format = "tsv";
  std::size_t top = 0;
  double min_score = 0.0;
  bool allow_missing = false;
  app.add_option("inputs", inputs, "Edge lists written by drim-predict")->required()->check(CLI::ExistingFile);
  app.add_option("--out,-o", out, "Output file, '-' for stdout")->capture_default_str();
  app.add_option("--format", format, "Columns: tsv (tf target score), beeline (Gene1 Gene2 EdgeWeight, tab-separated as "
                                     "BEELINE's evaluator reads rankedEdges.csv) or pyscenic (TF target importance)")
      ->check(CLI::IsMember(cli::edge_list_formats()))->capture_default_str();
  app.add_option("--top", top, "Keep only the K best edges (0 = all)")->capture_default_str();
  app.add_option("--min-score", min_score, "Drop edges scoring below this")->capture_default_str();
  app.add_flag("--allow-missing", allow_missing, "Merge the shards that are there even when some of the run's are missing (warns)");
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    cli::apply_run_options(run);
    cli::check_output(out, inputs, true);
    std::vector<std::unique_ptr<EdgeStream>> streams;
    using Head = std::pair<Edge, std::size_t>;
    auto worse = [](const Head& a, const Head& b) { return ranks_before(b.first, a.first); };
    std::priority_queue<Head, std::vector<Head>, decltype(worse)> heap(worse);
    for (const auto& path : inputs) {
      streams.push_back(std::make_unique<EdgeStream>(path));
      Edge e;
      if (streams.back()->next(e)) heap.push({e, streams.size() - 1});
    }
    for (std::size_t i = 0; i < inputs.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (std::filesystem::equivalent(inputs[i], inputs[j]))
          throw UsageError("the input " + quote(inputs[i]) + " is given twice (as " + quote(inputs[j]) + ")");
    check_shards(inputs, streams, allow_missing);
    cli::EdgeListOutput output(out, format);
    Edge prev;
    std::size_t prev_input = 0;
    while (!heap.empty() && (top == 0 || output.written() < top)) {
      auto [e, s] = heap.top();
      heap.pop();
      if (e.score < min_score) break;  // every later edge scores lower
      // One model gives an edge one score, so a repeated edge arrives right after itself.
      if (output.written() > 0 && e.tf == prev.tf && e.target == prev.target)
        throw Error("the edge " + quote(e.tf) + " -> " + quote(e.target) + " is in both " + quote(inputs[prev_input]) + " and " +
                    quote(inputs[s]) + ": the same shard given twice, or overlapping runs");
      prev = e;
      prev_input = s;
      output.write(e.tf, e.target, e.score_text);
      Edge n;
      if (streams[s]->next(n)) heap.push({n, s});
    }
    output.commit();
    spdlog::info("merged {} file(s), wrote {} edges", inputs.size(), output.written());
    cli::emit_summary(run, {{"tool", "drim-merge"}, {"inputs", inputs.size()}, {"written", output.written()}, {"out", out}}, out == "-");
  });
}
