#pragma once
#include <string>
#include <vector>

#include "drim/network/compare.hpp"
#include "drim/network/edge_list.hpp"
#include "drim/network/network.hpp"
#include "drim/network/node_metrics.hpp"

namespace drim {

// Every writer writes under a temporary name and renames at the end: a file is either whole or
// absent. Numbers are printed with 15 significant digits.

/// nodes.tsv: gene, is_tf, in/out degree, in/out weight, pagerank, betweenness ("NA" when not
/// computed); by PageRank descending, then gene name.
void write_nodes_tsv(const std::string& path, const GeneDictionary& genes, const std::vector<char>& is_tf,
                     const Network& net, const NodeMetrics& m);

/// edges.tsv: tf, target, score, best first.
void write_edges_tsv(const std::string& path, const GeneDictionary& genes, const std::vector<ScoredEdge>& edges);

/// targets_per_tf.tsv: tf, then the number of targets scoring at least each threshold.
void write_targets_per_tf(const std::string& path, const GeneDictionary& genes, const EdgeList& list,
                          const std::vector<double>& thresholds);

/// GraphML (igraph's writer) for Cytoscape or Gephi: node attributes name, is_tf, degrees,
/// pagerank and betweenness; edge attribute score.
void write_graphml(const std::string& path, const GeneDictionary& genes, const std::vector<char>& is_tf, const Network& net,
                   const NodeMetrics& m);

/// Comparison edges.tsv: tf, target, score_a, score_b, delta (b - a), in_a, in_b, status
/// (both, only_a, only_b), most changed first.
void write_compared_edges(const std::string& path, const GeneDictionary& genes, const NetworkComparison& cmp);

/// Comparison nodes.tsv: gene, is_tf, in_a, in_b (the gene has an edge in that network), degrees
/// and PageRank in both, pagerank_delta (b - a); by pagerank_delta descending.
void write_compared_nodes(const std::string& path, const GeneDictionary& genes, const std::vector<char>& is_tf,
                          const NetworkComparison& cmp);

/// tf_targets.tsv: tf, targets_a, targets_b, gained, lost; by |gained - lost| descending.
void write_tf_changes(const std::string& path, const GeneDictionary& genes, const NetworkComparison& cmp);

/// A GSEA/fgsea .rnk file: "gene<TAB>value" lines, value descending, no header.
void write_rnk(const std::string& path, const GeneDictionary& genes, const std::vector<std::int32_t>& node_genes,
               const std::vector<double>& values);

}  // namespace drim
