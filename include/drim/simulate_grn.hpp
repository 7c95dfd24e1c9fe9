#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "drim/expression.hpp"

namespace drim {

/// A regulatory edge: TF row -> target row, +1 activation or -1 repression.
struct RegulatoryEdge {
  int tf;
  int target;
  int sign;
};

/// Settings of the `grn` simulation (defaults: the bundled demo's size).
struct GrnSimOptions {
  int genes = 300;           ///< total genes, TFs included
  int tfs = 30;              ///< regulators (rows 0..tfs-1)
  int cells = 400;           ///< cells
  int states = 3;            ///< cell states with their own master-TF levels
  int max_regulators = 2;    ///< regulators per regulated gene, 1..max
  double pareto_alpha = 1.5; ///< TF attractiveness ~ Pareto(alpha): scale-free out-degree
  double nb_size = 10.0;     ///< negative-binomial size (smaller = noisier)
  double dropout = 0.4;      ///< zero-inflation strength (probability at low mean)
  double size_factor_sd = 0.25;  ///< sd of the log cell size factors (library size)
  std::uint64_t seed = 1;
  /// Each cell's state (0..states-1), e.g. its spatial domain; empty: drawn uniformly per cell.
  std::vector<int> cell_states;
};

/// Simulated counts (genes x cells, integers) and the edges that really drive them.
struct GrnSimResult {
  Expression expr;
  std::vector<RegulatoryEdge> edges;
  std::vector<int> tfs;  ///< TF rows
};

/// Simulates single-cell counts from a random directed network: master TFs vary by cell state,
/// every other gene's mean is a Hill function of its regulators' latent levels, counts are
/// negative-binomial (gamma-Poisson) with cell size factors and mean-dependent zero inflation.
GrnSimResult simulate_grn(const GrnSimOptions& opts);

/// Simulates `conditions` conditions over the same genes. The first is simulate_grn(opts), byte
/// for byte. Each further condition keeps every gene's base level and cell-state levels, moves a
/// fraction `rewire` of the first condition's edges to another regulator of the same target (a
/// TF the target had in no condition before; TF targets keep the network acyclic), and draws
/// its own cells, named with the suffix "_B", "_C", ...
std::vector<GrnSimResult> simulate_grn_conditions(const GrnSimOptions& opts, int conditions, double rewire);

}  // namespace drim
