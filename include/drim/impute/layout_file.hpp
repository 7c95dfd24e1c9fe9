#pragma once
// A GenoMap layout as text, so a layout fitted once is reused (drim-impute --layout).
#include <string>

#include "drim/impute/genomap.hpp"

namespace drim::impute {

/// Writes "# drim genomap rows R cols C", then "gene<TAB>row<TAB>col" lines; through a temporary
/// name, renamed when complete.
void write_layout(const GenomapLayout& layout, const std::string& path);

/// Reads a layout written by write_layout; throws naming the file and line for a bad header,
/// a position outside the grid, two genes on one pixel, or a repeated gene.
GenomapLayout read_layout(const std::string& path);

/// Checks a layout's consistency (sizes, positions inside the grid, one gene per pixel); throws
/// naming `source`.
void validate_layout(const GenomapLayout& layout, const std::string& source);

}  // namespace drim::impute
