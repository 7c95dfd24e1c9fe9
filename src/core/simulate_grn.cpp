#include "drim/simulate_grn.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "drim/error.hpp"

namespace drim {

GrnSimResult simulate_grn(const GrnSimOptions& o) {
  if (o.tfs < 2 || o.genes <= o.tfs || o.cells < 2 || o.states < 1 || o.max_regulators < 1)
    throw Error("grn simulation needs genes > tfs >= 2, cells >= 2, states >= 1, max regulators >= 1");
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::normal_distribution<double> norm(0.0, 1.0);
  const int G = o.genes, T = o.tfs, C = o.cells;
  const int masters = std::max(1, T / 5);

  GrnSimResult res;
  for (int t = 0; t < T; ++t) res.tfs.push_back(t);
  std::vector<double> attract(T);
  for (auto& a : attract) a = std::pow(1.0 - unif(rng), -1.0 / o.pareto_alpha);
  std::vector<std::vector<RegulatoryEdge>> regs(G);
  for (int g = masters; g < G; ++g) {
    const int pool = g < T ? g : T;  // TFs are regulated only by earlier TFs: a DAG
    std::discrete_distribution<int> pick(attract.begin(), attract.begin() + pool);
    const int k = std::min(pool, 1 + static_cast<int>(unif(rng) * o.max_regulators));
    while (static_cast<int>(regs[g].size()) < k) {
      int tf = pick(rng);
      bool dup = std::any_of(regs[g].begin(), regs[g].end(), [&](const RegulatoryEdge& e) { return e.tf == tf; });
      if (!dup) regs[g].push_back({tf, g, unif(rng) < 0.75 ? 1 : -1});
    }
  }

  std::vector<int> state(C);
  for (auto& s : state) s = static_cast<int>(unif(rng) * o.states);
  std::vector<double> size_factor(C);
  for (auto& s : size_factor) s = std::exp(o.size_factor_sd * norm(rng));
  std::vector<double> latent(static_cast<std::size_t>(G) * C);
  std::vector<double> half_max(G, 1.0);  // Hill constant of each regulator: its median level
  for (int g = 0; g < G; ++g) {
    double* x = latent.data() + static_cast<std::size_t>(g) * C;
    const double base = std::exp(std::log(8.0) + 0.6 * norm(rng));
    if (regs[g].empty()) {
      std::vector<double> level(o.states);
      for (auto& l : level) l = base * std::exp(1.2 * norm(rng));
      for (int c = 0; c < C; ++c) x[c] = level[state[c]] * std::exp(0.3 * norm(rng));
    } else {
      for (int c = 0; c < C; ++c) {
        double drive = 0.0;
        for (const auto& e : regs[g]) {
          const double r = latent[static_cast<std::size_t>(e.tf) * C + c], k = half_max[e.tf];
          const double h = r * r / (r * r + k * k);  // Hill n = 2
          drive += e.sign > 0 ? h : 1.0 - h;
        }
        x[c] = base * (0.05 + 2.0 * drive / regs[g].size()) * std::exp(0.2 * norm(rng));
      }
    }
    if (g < T) {
      std::vector<double> sorted(x, x + C);
      std::nth_element(sorted.begin(), sorted.begin() + C / 2, sorted.end());
      half_max[g] = sorted[C / 2];
    }
  }

  res.expr.genes.resize(G);
  for (int g = 0; g < G; ++g) res.expr.genes[g] = (g < T ? "TF" : "G") + std::to_string(g < T ? g + 1 : g - T + 1);
  res.expr.cells.resize(C);
  for (int c = 0; c < C; ++c) res.expr.cells[c] = "cell" + std::to_string(c + 1) + "_s" + std::to_string(state[c] + 1);
  res.expr.values.resize(static_cast<std::size_t>(G) * C);
  for (int g = 0; g < G; ++g) {
    for (int c = 0; c < C; ++c) {
      const double mu = latent[static_cast<std::size_t>(g) * C + c] * size_factor[c];
      std::gamma_distribution<double> gam(o.nb_size, mu / o.nb_size);
      std::poisson_distribution<long> pois(gam(rng));
      long count = pois(rng);
      if (unif(rng) < o.dropout / (1.0 + mu / 4.0)) count = 0;
      res.expr.values[static_cast<std::size_t>(g) * C + c] = static_cast<double>(count);
    }
  }
  for (int g = 0; g < G; ++g)
    for (const auto& e : regs[g]) res.edges.push_back(e);
  std::sort(res.edges.begin(), res.edges.end(), [](const RegulatoryEdge& a, const RegulatoryEdge& b) {
    return a.tf != b.tf ? a.tf < b.tf : a.target < b.target;
  });
  return res;
}

}  // namespace drim
