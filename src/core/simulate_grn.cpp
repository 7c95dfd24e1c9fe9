#include "drim/simulate_grn.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "drim/error.hpp"

namespace drim {

namespace {

/// One random stream with its distributions (normal_distribution caches, so it must persist).
struct Stream {
  explicit Stream(std::uint64_t seed) : eng(seed) {}
  std::mt19937_64 eng;
  std::uniform_real_distribution<double> unif{0.0, 1.0};
  std::normal_distribution<double> norm{0.0, 1.0};
};

using Regulators = std::vector<std::vector<RegulatoryEdge>>;  ///< per gene, its incoming edges

/// Per-gene levels shared by every condition: the base level and, for genes no TF regulates,
/// the level in each cell state.
struct GeneLevels {
  std::vector<double> base;
  std::vector<std::vector<double>> state_level;
};

Regulators draw_network(const GrnSimOptions& o, Stream& r) {
  const int G = o.genes, T = o.tfs, masters = std::max(1, T / 5);
  std::vector<double> attract(T);
  for (auto& a : attract) a = std::pow(1.0 - r.unif(r.eng), -1.0 / o.pareto_alpha);
  Regulators regs(G);
  for (int g = masters; g < G; ++g) {
    const int pool = g < T ? g : T;  // TFs are regulated only by earlier TFs: a DAG
    std::discrete_distribution<int> pick(attract.begin(), attract.begin() + pool);
    const int k = std::min(pool, 1 + static_cast<int>(r.unif(r.eng) * o.max_regulators));
    while (static_cast<int>(regs[g].size()) < k) {
      int tf = pick(r.eng);
      bool dup = std::any_of(regs[g].begin(), regs[g].end(), [&](const RegulatoryEdge& e) { return e.tf == tf; });
      if (!dup) regs[g].push_back({tf, g, r.unif(r.eng) < 0.75 ? 1 : -1});
    }
  }
  return regs;
}

/// Cells of one condition. With `record` the gene levels are drawn and stored in `levels`;
/// otherwise they are taken from it.
GrnSimResult draw_cells(const GrnSimOptions& o, const Regulators& regs, Stream& r, GeneLevels& levels, bool record,
                        const std::string& cell_suffix) {
  const int G = o.genes, T = o.tfs, C = o.cells;
  if (record) {
    levels.base.assign(G, 0.0);
    levels.state_level.assign(G, {});
  }
  std::vector<int> state = o.cell_states;
  if (state.empty()) {
    state.resize(C);
    for (auto& s : state) s = static_cast<int>(r.unif(r.eng) * o.states);
  }
  std::vector<double> size_factor(C);
  for (auto& s : size_factor) s = std::exp(o.size_factor_sd * r.norm(r.eng));
  std::vector<double> latent(static_cast<std::size_t>(G) * C);
  std::vector<double> half_max(G, 1.0);  // Hill constant of each regulator: its median level
  for (int g = 0; g < G; ++g) {
    double* x = latent.data() + static_cast<std::size_t>(g) * C;
    if (record) levels.base[g] = std::exp(std::log(8.0) + 0.6 * r.norm(r.eng));
    const double base = levels.base[g];
    if (regs[g].empty()) {
      auto& level = levels.state_level[g];
      if (record) {
        level.resize(o.states);
        for (auto& l : level) l = base * std::exp(1.2 * r.norm(r.eng));
      }
      for (int c = 0; c < C; ++c) x[c] = level[state[c]] * std::exp(0.3 * r.norm(r.eng));
    } else {
      for (int c = 0; c < C; ++c) {
        double drive = 0.0;
        for (const auto& e : regs[g]) {
          const double v = latent[static_cast<std::size_t>(e.tf) * C + c], k = half_max[e.tf];
          const double h = v * v / (v * v + k * k);  // Hill n = 2
          drive += e.sign > 0 ? h : 1.0 - h;
        }
        x[c] = base * (0.05 + 2.0 * drive / regs[g].size()) * std::exp(0.2 * r.norm(r.eng));
      }
    }
    if (g < T) {
      std::vector<double> sorted(x, x + C);
      std::nth_element(sorted.begin(), sorted.begin() + C / 2, sorted.end());
      half_max[g] = sorted[C / 2];
    }
  }

  GrnSimResult res;
  for (int t = 0; t < T; ++t) res.tfs.push_back(t);
  res.expr.genes.resize(G);
  for (int g = 0; g < G; ++g) res.expr.genes[g] = (g < T ? "TF" : "G") + std::to_string(g < T ? g + 1 : g - T + 1);
  res.expr.cells.resize(C);
  for (int c = 0; c < C; ++c) res.expr.cells[c] = "cell" + std::to_string(c + 1) + "_s" + std::to_string(state[c] + 1) + cell_suffix;
  res.expr.values.resize(static_cast<std::size_t>(G) * C);
  for (int g = 0; g < G; ++g) {
    for (int c = 0; c < C; ++c) {
      const double mu = latent[static_cast<std::size_t>(g) * C + c] * size_factor[c];
      std::gamma_distribution<double> gam(o.nb_size, mu / o.nb_size);
      std::poisson_distribution<long> pois(gam(r.eng));
      long count = pois(r.eng);
      if (r.unif(r.eng) < o.dropout / (1.0 + mu / 4.0)) count = 0;
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

/// A copy of `regs` with a fraction `rewire` of its edges given another regulator.
Regulators rewire_network(const GrnSimOptions& o, const Regulators& regs, double rewire, Stream& r) {
  Regulators out = regs;
  std::vector<std::pair<int, int>> edges;  // (gene, index in its regulator list)
  for (int g = 0; g < o.genes; ++g)
    for (int i = 0; i < static_cast<int>(regs[g].size()); ++i) edges.emplace_back(g, i);
  std::shuffle(edges.begin(), edges.end(), r.eng);
  edges.resize(static_cast<std::size_t>(std::lround(rewire * static_cast<double>(edges.size()))));
  for (auto [g, i] : edges) {
    const int pool = g < o.tfs ? g : o.tfs;
    std::vector<int> free;
    for (int tf = 0; tf < pool; ++tf) {
      auto has = [tf](const std::vector<RegulatoryEdge>& l) {
        return std::any_of(l.begin(), l.end(), [tf](const RegulatoryEdge& e) { return e.tf == tf; });
      };
      if (!has(regs[g]) && !has(out[g])) free.push_back(tf);
    }
    if (free.empty()) continue;
    out[g][i].tf = free[static_cast<std::size_t>(r.unif(r.eng) * free.size())];
  }
  return out;
}

void check(const GrnSimOptions& o) {
  if (o.tfs < 2 || o.genes <= o.tfs || o.cells < 2 || o.states < 1 || o.max_regulators < 1)
    throw Error("grn simulation needs genes > tfs >= 2, cells >= 2, states >= 1, max regulators >= 1");
  if (!o.cell_states.empty() && (o.cell_states.size() != static_cast<std::size_t>(o.cells) ||
                                 std::any_of(o.cell_states.begin(), o.cell_states.end(), [&](int s) { return s < 0 || s >= o.states; })))
    throw Error("grn simulation: cell_states needs one state in 0.." + std::to_string(o.states - 1) + " per cell (" +
                std::to_string(o.cells) + " cells), got " + std::to_string(o.cell_states.size()));
}

}  // namespace

GrnSimResult simulate_grn(const GrnSimOptions& o) {
  check(o);
  Stream r(o.seed);
  const Regulators regs = draw_network(o, r);
  GeneLevels levels;
  return draw_cells(o, regs, r, levels, true, "");
}

std::vector<GrnSimResult> simulate_grn_conditions(const GrnSimOptions& o, int conditions, double rewire) {
  check(o);
  if (conditions < 1 || conditions > 26) throw Error("conditions " + std::to_string(conditions) + " must lie in 1..26");
  if (!(rewire >= 0.0 && rewire <= 1.0)) throw Error("rewired fraction " + std::to_string(rewire) + " must lie in [0, 1]");
  Stream r(o.seed);
  const Regulators regs = draw_network(o, r);
  GeneLevels levels;
  std::vector<GrnSimResult> out;
  out.push_back(draw_cells(o, regs, r, levels, true, ""));
  for (int k = 1; k < conditions; ++k) {
    Stream rk(o.seed + 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(k));
    const Regulators rewired = rewire_network(o, regs, rewire, rk);
    out.push_back(draw_cells(o, rewired, rk, levels, false, std::string("_") + static_cast<char>('A' + k)));
  }
  return out;
}

}  // namespace drim
