// libFuzzer harness: the pair-list reader (tf target [label], any separator, comments, header).
#include "drim/error.hpp"
#include "drim/pairs.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = drim::fuzz::write_input(data, size, ".tsv");
  try {
    drim::read_pairs(path);
  } catch (const drim::Error&) {
  }
  return 0;
}
