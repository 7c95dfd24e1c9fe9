#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace drim {

/// A progress bar on stderr with count, rate and ETA; redraws at most 5 times a second on a
/// terminal and prints a line every 10 % otherwise. Silent when disabled.
class Progress {
 public:
  Progress(std::size_t total, std::string label, bool enabled = true, std::string unit = "pairs");
  /// Records that `done` items of `total` are finished.
  void update(std::size_t done);
  /// Prints the final line.
  void finish();
  double elapsed_seconds() const;

 private:
  void draw(std::size_t done, bool final);
  std::size_t total_;
  std::string label_, unit_;
  bool enabled_, tty_;
  int last_decile_ = -1;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace drim
