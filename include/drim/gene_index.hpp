#pragma once
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace drim {

/// Looks gene names up by name, case-sensitively by default.
class GeneIndex {
 public:
  /// Indexes `genes`; with `ignore_case`, names differing only by case must not collide.
  explicit GeneIndex(const std::vector<std::string>& genes, bool ignore_case = false);
  /// Row of `name`, or nullopt when absent.
  std::optional<int> find(const std::string& name) const;
  bool ignore_case() const { return ignore_case_; }
  std::size_t size() const { return index_.size(); }

 private:
  std::string key(const std::string& name) const;
  std::unordered_map<std::string, int> index_;
  bool ignore_case_;
};

}  // namespace drim
