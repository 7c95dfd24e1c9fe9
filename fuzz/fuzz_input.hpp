#pragma once
// Shared by the fuzz harnesses: the readers take paths, so each input is written to a file in
// /dev/shm (memory) first. Expected drim::Error exceptions are the readers' answer to bad input;
// anything else (a crash, a sanitizer report, another exception type) is a finding.
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace drim::fuzz {

/// Writes the input to a per-process file with the given suffix and returns its path.
inline std::string write_input(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
  static const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = dir + "/drim-fuzz-" + std::to_string(getpid()) + suffix;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) __builtin_trap();
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

}  // namespace drim::fuzz
