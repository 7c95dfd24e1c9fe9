#include "drim/gene_index.hpp"

#include <algorithm>
#include <cctype>

#include "drim/error.hpp"

namespace drim {

GeneIndex::GeneIndex(const std::vector<std::string>& genes, bool ignore_case) : ignore_case_(ignore_case) {
  index_.reserve(genes.size());
  for (std::size_t g = 0; g < genes.size(); ++g) {
    auto [it, fresh] = index_.emplace(key(genes[g]), static_cast<int>(g));
    if (!fresh) {
      throw Error("gene names " + quote(genes[it->second]) + " and " + quote(genes[g]) +
                  " are the same when case is ignored; drop --ignore-case");
    }
  }
}

std::string GeneIndex::key(const std::string& name) const {
  if (!ignore_case_) return name;
  std::string k = name;
  std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return std::toupper(c); });
  return k;
}

std::optional<int> GeneIndex::find(const std::string& name) const {
  auto it = index_.find(key(name));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

}  // namespace drim
