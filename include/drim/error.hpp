#pragma once
#include <stdexcept>
#include <string>

namespace drim {

/// Error raised for bad input or impossible requests; the message names the offending value.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A bad command line found after parsing (a missing or conflicting option): tools exit 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

/// Quotes a value for an error message: quote("x") == "'x'".
inline std::string quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace drim
