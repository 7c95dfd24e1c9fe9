#include "drim/pixel_lut.hpp"

#include <cmath>

namespace drim {

PixelLut::PixelLut(std::size_t n_cells) : table_(n_cells + 1) {
  const double n = static_cast<double>(n_cells);
  for (std::size_t k = 0; k <= n_cells; ++k) {
    table_[k] = static_cast<float>((std::log10(static_cast<double>(k) / n + 1e-4) + 4.0) / 4.0);
  }
}

}  // namespace drim
