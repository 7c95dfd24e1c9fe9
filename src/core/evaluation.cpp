#include "drim/evaluation.hpp"

#include <cmath>

#include "drim/baselines.hpp"
#include "drim/metrics.hpp"

namespace drim {

MethodSummary summarize(const std::vector<LabelledPair>& pairs, const std::vector<double>& scores) {
  MethodSummary s;
  std::vector<int> labels;
  std::map<int, std::pair<std::vector<double>, std::vector<int>>> by_tf;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    labels.push_back(pairs[i].label);
    by_tf[pairs[i].tf].first.push_back(scores[i]);
    by_tf[pairs[i].tf].second.push_back(pairs[i].label);
  }
  s.auroc = auroc(scores, labels);
  s.auprc = auprc(scores, labels);
  s.epr = early_precision(scores, labels);
  std::vector<double> roc, pr;
  for (const auto& [tf, sl] : by_tf) {
    double a = auroc(sl.first, sl.second);
    if (std::isnan(a)) continue;
    s.tf_auroc[tf] = a;
    s.tf_auprc[tf] = auprc(sl.first, sl.second);
    roc.push_back(a);
    pr.push_back(s.tf_auprc[tf]);
  }
  s.median_tf_auroc = median(roc);
  s.median_tf_auprc = median(pr);
  return s;
}

double compare_per_tf(const MethodSummary& a, const MethodSummary& b) {
  std::vector<double> x, y;
  for (const auto& [tf, v] : a.tf_auroc) {
    auto it = b.tf_auroc.find(tf);
    if (it == b.tf_auroc.end()) continue;
    x.push_back(v);
    y.push_back(it->second);
  }
  return wilcoxon_signed_rank_p(x, y);
}

std::map<std::string, std::vector<double>> baseline_scores(const std::vector<double>& values, const std::vector<std::uint8_t>& codes,
                                                           std::size_t n_cells, const std::vector<LabelledPair>& train,
                                                           const std::vector<LabelledPair>& test) {
  std::map<std::string, std::vector<double>> out;
  auto& pe = out["pearson"];
  auto& sp = out["spearman"];
  auto& mi = out["mi"];
  auto& det = out["target_detection"];
  pe.resize(test.size());
  sp.resize(test.size());
  mi.resize(test.size());
  det.resize(test.size());
#pragma omp parallel for schedule(dynamic, 16)
  for (long i = 0; i < static_cast<long>(test.size()); ++i) {
    const double* a = values.data() + static_cast<std::size_t>(test[i].tf) * n_cells;
    const double* b = values.data() + static_cast<std::size_t>(test[i].target) * n_cells;
    pe[i] = std::abs(pearson(a, b, n_cells));
    sp[i] = std::abs(spearman(a, b, n_cells));
    mi[i] = histogram_mi(codes.data() + static_cast<std::size_t>(test[i].tf) * n_cells,
                         codes.data() + static_cast<std::size_t>(test[i].target) * n_cells, n_cells);
    det[i] = detection_rate(b, n_cells);
  }
  out["in_degree"] = in_degree_scores(train, test);
  // Stacking: a logistic regression on log1p(in-degree) and |Pearson|, fit on the training pairs
  // (with leave-one-TF-out in-degrees) and applied to the test pairs: what a learned combination
  // of the label prior and co-expression gives without images.
  std::vector<double> train_degree = leave_one_tf_out_in_degree(train), train_pearson(train.size());
  std::vector<int> train_labels(train.size());
#pragma omp parallel for schedule(dynamic, 16)
  for (long i = 0; i < static_cast<long>(train.size()); ++i) {
    train_pearson[i] = std::abs(pearson(values.data() + static_cast<std::size_t>(train[i].tf) * n_cells,
                                        values.data() + static_cast<std::size_t>(train[i].target) * n_cells, n_cells));
    train_labels[i] = train[i].label;
  }
  for (auto& v : train_degree) v = std::log1p(v);
  const auto w = fit_logistic({train_degree, train_pearson}, train_labels);
  auto& st = out["stacking"];
  st.resize(test.size());
  const auto& test_degree = out["in_degree"];
  for (std::size_t i = 0; i < test.size(); ++i) st[i] = w[0] + w[1] * std::log1p(test_degree[i]) + w[2] * pe[i];
  return out;
}

}  // namespace drim
