// libFuzzer harness: the CSV/TSV expression reader (plain text; gzip is zlib's).
#include "drim/error.hpp"
#include "drim/expression_io.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = drim::fuzz::write_input(data, size, ".csv");
  try {
    drim::ReadExpressionOptions o;
    o.format = drim::ExprFormat::Csv;
    drim::read_expression(path, o);
  } catch (const drim::Error&) {
  }
  return 0;
}
