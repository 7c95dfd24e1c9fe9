#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "drim/gene_index.hpp"

namespace drim {

/// One TF-target pair as read from a file; label is -1 when the file gives none.
struct GenePair {
  std::string tf;
  std::string target;
  int label = -1;
};

/// Pairs as read from a file, in file order.
struct PairList {
  std::vector<GenePair> pairs;
  bool has_labels = false;  ///< every pair has a 0/1 label
};

/// Reads `tf target [label]` lines (whitespace or comma separated, `#` comments, optionally
/// gzip-compressed) or a BEELINE network CSV with a `Gene1,Gene2[,...]` header (its extra columns
/// are ignored). Throws naming the file and line for malformed lines, labels other than 0/1,
/// and labels given on some lines but not others.
PairList read_pairs(const std::string& path);

/// Reads a list of names, one per line (first field; `#` comments; gzip allowed).
std::vector<std::string> read_name_list(const std::string& path);

/// Reads `gene group` lines (whitespace or comma separated; `#` comments; gzip allowed) into one
/// group id per gene (`genes`, the matrix's names, looked up through `index`; ids numbered by
/// first appearance). Every gene of the matrix
/// must be listed; throws naming the file and line for unknown genes or malformed lines, and the
/// first gene left out.
std::vector<int> read_neighbor_groups(const std::string& path, const std::vector<std::string>& genes,
                                     const GeneIndex& index);

/// The genes that may be ranked as neighbours, one flag per gene of the matrix: `spec` is "all"
/// (every gene: returns an empty vector), "tfs" (the rows in `tf_rows`, e.g. the TFs of the
/// training pairs) or the path of a gene list (names not in the matrix are skipped and counted in
/// `skipped` when given; a list with no gene of the matrix is an error).
std::vector<char> neighbor_pool(const std::string& spec, const std::vector<std::string>& genes, const GeneIndex& index,
                                const std::vector<int>& tf_rows, std::size_t* skipped = nullptr);
/// The names of the flagged genes (for a model file).
std::vector<std::string> neighbor_pool_names(const std::vector<char>& pool, const std::vector<std::string>& genes);
/// Back to one flag per gene of another matrix; pool genes it lacks are simply not candidates.
std::vector<char> neighbor_pool_from_names(const std::vector<std::string>& names, const std::vector<std::string>& genes);

/// Pairs resolved to gene rows.
struct ResolvedPairs {
  std::vector<int> tf;
  std::vector<int> target;
  std::vector<std::int8_t> label;   ///< empty when the list had no labels
  std::vector<std::string> tf_names, target_names;
  std::vector<std::string> missing;  ///< unknown gene names (when skipped)
  std::size_t dropped = 0;           ///< pairs dropped for unknown genes

  std::size_t size() const { return tf.size(); }
};

/// Maps names to rows. Unknown genes are an error listing the first few and the count, unless
/// `skip_missing`, which drops those pairs and records them.
ResolvedPairs resolve_pairs(const PairList& list, const GeneIndex& index, bool skip_missing,
                            const std::string& source);

}  // namespace drim
