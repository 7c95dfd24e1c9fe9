#pragma once
#include <stdexcept>
#include <string>

namespace drim {

/// Error raised for bad input or impossible requests; the message names the offending value.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Quotes a value for an error message: quote("x") == "'x'".
inline std::string quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace drim
