// drim-merge: merge drim-predict outputs (e.g. the shards of a Slurm array) into one ranked list.
#include <memory>
#include <queue>

#include <spdlog/spdlog.h>

#include "cli_common.hpp"
#include "drim/error.hpp"
#include "io/line_reader.hpp"

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

/// Streams the edges of one sorted input, checking that it is sorted.
class EdgeStream {
 public:
  explicit EdgeStream(const std::string& path) : in_(path) {}
  bool next(Edge& e) {
    std::string line;
    while (in_.next(line)) {
      if (line.empty() || line == "tf\ttarget\tscore" || line == "Gene1,Gene2,EdgeWeight") continue;
      const char sep = line.find('\t') != std::string::npos ? '\t' : ',';
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

 private:
  std::string where() const { return in_.path() + " line " + std::to_string(in_.line_number()); }
  drim::detail::LineReader in_;
  Edge prev_;
  bool have_prev_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace drim;
  CLI::App app{"Merge ranked edge lists from drim-predict (TSV or BEELINE CSV) into one, best first.\n"
               "Streams: memory does not grow with the number of edges.\n\n"
               "Example:\n  drim-merge shard_*.tsv --top 100000 --out network.tsv"};
  cli::RunArgs run;
  std::vector<std::string> inputs;
  std::string out = "-", format = "tsv";
  std::size_t top = 0;
  double min_score = 0.0;
  app.add_option("inputs", inputs, "Edge lists written by drim-predict")->required()->check(CLI::ExistingFile);
  app.add_option("--out,-o", out, "Output file, '-' for stdout")->capture_default_str();
  app.add_option("--format", format, "tsv or beeline")->check(CLI::IsMember({"tsv", "beeline"}))->capture_default_str();
  app.add_option("--top", top, "Keep only the K best edges (0 = all)")->capture_default_str();
  app.add_option("--min-score", min_score, "Drop edges scoring below this")->capture_default_str();
  cli::add_run_options(app, run);

  return cli::run_app(app, argc, argv, [&] {
    cli::apply_run_options(run);
    std::vector<std::unique_ptr<EdgeStream>> streams;
    using Head = std::pair<Edge, std::size_t>;
    auto worse = [](const Head& a, const Head& b) { return ranks_before(b.first, a.first); };
    std::priority_queue<Head, std::vector<Head>, decltype(worse)> heap(worse);
    for (const auto& path : inputs) {
      streams.push_back(std::make_unique<EdgeStream>(path));
      Edge e;
      if (streams.back()->next(e)) heap.push({e, streams.size() - 1});
    }
    cli::EdgeListOutput output(out, format);
    while (!heap.empty() && (top == 0 || output.written() < top)) {
      auto [e, s] = heap.top();
      heap.pop();
      if (e.score < min_score) break;  // every later edge scores lower
      output.write(e.tf, e.target, e.score_text);
      Edge n;
      if (streams[s]->next(n)) heap.push({n, s});
    }
    output.commit();
    spdlog::info("merged {} file(s), wrote {} edges", inputs.size(), output.written());
  });
}
