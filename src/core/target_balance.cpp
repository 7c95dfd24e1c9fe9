#include "drim/target_balance.hpp"

#include <unordered_map>

#include "drim/error.hpp"

namespace drim {

std::vector<double> target_balance_weights(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows) {
  struct Counts {
    std::size_t positives = 0, negatives = 0;
  };
  std::unordered_map<int, Counts> by_target;
  for (std::size_t r : rows) {
    if (r >= pairs.size()) throw Error("row " + quote(std::to_string(r)) + " is past the " + std::to_string(pairs.size()) + " pairs");
    auto& c = by_target[pairs[r].target];
    (pairs[r].label > 0 ? c.positives : c.negatives) += 1;
  }
  std::vector<double> w;
  w.reserve(rows.size());
  for (std::size_t r : rows) {
    const Counts& c = by_target.at(pairs[r].target);
    if (c.positives == 0 || c.negatives == 0) {
      w.push_back(0.0);
      continue;
    }
    const double n = static_cast<double>(c.positives + c.negatives);
    w.push_back(n / (2.0 * static_cast<double>(pairs[r].label > 0 ? c.positives : c.negatives)));
  }
  return w;
}

LossRows loss_rows(const std::vector<LabelledPair>& pairs, const std::vector<std::size_t>& rows, const std::string& balance) {
  if (balance == "none") return {rows, {}};
  if (balance != "target") throw Error("unknown balance " + quote(balance) + " (expected none or target)");
  const auto w = target_balance_weights(pairs, rows);
  LossRows out;
  out.weight.assign(pairs.size(), 0.0f);
  for (std::size_t i = 0; i < w.size(); ++i)
    if (w[i] > 0) {
      out.rows.push_back(rows[i]);
      out.weight[rows[i]] = static_cast<float>(w[i]);
    }
  if (out.rows.empty())
    throw Error("balance 'target': no target among the " + std::to_string(rows.size()) + " training pairs has both positive and negative pairs");
  return out;
}

}  // namespace drim
