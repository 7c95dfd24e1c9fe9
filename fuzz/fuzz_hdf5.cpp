// libFuzzer harness: the HDF5 readers (h5ad, 10x, loom) through content detection. Seed it with
// small valid files (scripts/fuzz.sh writes them); mutations give damaged HDF5.
#include "drim/error.hpp"
#include "drim/expression_io.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = drim::fuzz::write_input(data, size, ".h5");
  try {
    drim::read_expression(path);
  } catch (const drim::Error&) {
  }
  return 0;
}
