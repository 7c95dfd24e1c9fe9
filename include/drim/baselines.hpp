#pragma once
// Scores that need no training, computed on exactly the pairs a model is tested on.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drim/training_pairs.hpp"

namespace drim {

/// Pearson correlation of two vectors (0 when either is constant).
double pearson(const double* x, const double* y, std::size_t n);

/// Spearman correlation: Pearson of the ranks, ties given their average rank.
double spearman(const double* x, const double* y, std::size_t n);

/// Mutual information (nats) of two genes' joint 32 x 32 histogram from their bin codes.
double histogram_mi(const std::uint8_t* a, const std::uint8_t* b, std::size_t n);

/// Detection rate: the fraction of the n cells in which x is above its minimum over those cells
/// (0 when x is constant). For counts or log counts, the fraction of cells that express the gene.
double detection_rate(const double* x, std::size_t n);

/// Target in-degree: for each test pair, how many positives its target has in `train` (labels
/// only, never expression). The leak every benchmark here must report.
std::vector<double> in_degree_scores(const std::vector<LabelledPair>& train, const std::vector<LabelledPair>& test);

/// The target in-degree of each training pair without the pair's own TF (its positives among
/// the other TFs' pairs), so that no pair's label feeds its own feature when a model learns from
/// in-degree.
std::vector<double> leave_one_tf_out_in_degree(const std::vector<LabelledPair>& train);

/// Logistic regression by Newton's method: weights (intercept first, then one per feature) that
/// maximise the log-likelihood of `labels` less l2/2 times the squared non-intercept weights.
std::vector<double> fit_logistic(const std::vector<std::vector<double>>& features, const std::vector<int>& labels, double l2 = 1e-4);

}  // namespace drim
