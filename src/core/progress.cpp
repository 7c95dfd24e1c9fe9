#include "drim/progress.hpp"

#include <cstdio>

#include <unistd.h>

namespace drim {

Progress::Progress(std::size_t total, std::string label, bool enabled, std::string unit)
    : total_(total), label_(std::move(label)), unit_(std::move(unit)), enabled_(enabled),
      tty_(isatty(fileno(stderr)) != 0), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(std::size_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (now - last_draw_ < std::chrono::milliseconds(200)) return;
    last_draw_ = now;
    draw(done, false);
  } else {
    int decile = total_ ? static_cast<int>(10 * done / total_) : 10;
    if (decile > last_decile_ && decile < 10) {
      last_decile_ = decile;
      draw(done, false);
    }
  }
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  draw(total_, true);
}

void Progress::draw(std::size_t done, bool final) {
  const double secs = elapsed_seconds();
  const double rate = secs > 0 ? done / secs : 0.0;
  const double frac = total_ ? static_cast<double>(done) / total_ : 1.0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
  char bar[31];
  int filled = static_cast<int>(frac * 30);
  for (int i = 0; i < 30; ++i) bar[i] = i < filled ? '#' : '.';
  bar[30] = '\0';
  std::fprintf(stderr, "%s%s [%s] %zu/%zu %s %5.1f%% %.0f %s/s %s %.0fs%s", tty_ ? "\r" : "", label_.c_str(), bar,
               done, total_, unit_.c_str(), 100.0 * frac, rate, unit_.c_str(), final ? "took" : "ETA",
               final ? secs : eta, (final || !tty_) ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace drim
