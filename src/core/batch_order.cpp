#include "drim/batch_order.hpp"

#include <algorithm>
#include <map>
#include <random>

#include "drim/error.hpp"

namespace drim {

BatchOrder parse_batch_order(const std::string& name) {
  if (name == "random") return BatchOrder::Random;
  if (name == "balanced") return BatchOrder::Balanced;
  if (name == "target") return BatchOrder::Target;
  if (name == "tf") return BatchOrder::Tf;
  throw Error("unknown batch order " + quote(name) + " (expected random, balanced, target or tf)");
}

namespace {

std::vector<std::vector<std::size_t>> cut(const std::vector<std::size_t>& order, std::size_t batch) {
  std::vector<std::vector<std::size_t>> out;
  for (std::size_t first = 0; first < order.size(); first += batch)
    out.emplace_back(order.begin() + first, order.begin() + std::min(order.size(), first + batch));
  return out;
}

}  // namespace

std::vector<std::vector<std::size_t>> make_batches(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows,
                                                   std::size_t batch, BatchOrder order, std::uint64_t seed) {
  if (batch < 1) throw Error("batch size must be at least 1");
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> seq = rows;
  if (order == BatchOrder::Random) {
    std::shuffle(seq.begin(), seq.end(), rng);
    return cut(seq, batch);
  }
  if (order == BatchOrder::Balanced) {
    // Each class shuffled; its i-th of m rows goes to position (i + u) / m of the epoch, u ~ U(0, 1).
    std::vector<std::size_t> cls[2];
    for (auto r : rows) cls[pairs[r].label > 0 ? 1 : 0].push_back(r);
    std::vector<std::pair<double, std::size_t>> keyed;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (auto& c : cls) {
      std::shuffle(c.begin(), c.end(), rng);
      for (std::size_t i = 0; i < c.size(); ++i) keyed.emplace_back((i + u(rng)) / c.size(), c[i]);
    }
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t i = 0; i < keyed.size(); ++i) seq[i] = keyed[i].second;
    return cut(seq, batch);
  }
  std::map<int, std::vector<std::size_t>> by_gene;
  for (auto r : rows) by_gene[order == BatchOrder::Target ? pairs[r].target : pairs[r].tf].push_back(r);
  std::vector<std::vector<std::size_t>> groups;
  for (auto& [g, v] : by_gene) groups.push_back(std::move(v));
  std::shuffle(groups.begin(), groups.end(), rng);
  seq.clear();
  for (auto& v : groups) {
    std::shuffle(v.begin(), v.end(), rng);
    seq.insert(seq.end(), v.begin(), v.end());
  }
  auto batches = cut(seq, batch);
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

}  // namespace drim
