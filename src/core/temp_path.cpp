#include "drim/temp_path.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <unistd.h>

#include "drim/error.hpp"

namespace drim {

namespace {

// The signal handler may only touch lock-free atomics and fixed buffers: a table of slots, each
// holding one temporary file name while its state is kLive.
constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;
enum : int { kFree = 0, kWriting = 1, kLive = 2 };
std::atomic<int> slot_state[kSlots];
char slot_path[kSlots][kPathMax];

int claim_slot(const std::string& path) {
  if (path.size() >= kPathMax) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (slot_state[i].compare_exchange_strong(expected, kWriting)) {
      std::memcpy(slot_path[i], path.c_str(), path.size() + 1);
      slot_state[i].store(kLive);
      return i;
    }
  }
  return -1;
}

void release_slot(int i) {
  if (i >= 0) slot_state[i].store(kFree);
}

extern "C" void remove_and_reraise(int sig) {
  for (int i = 0; i < kSlots; ++i)
    if (slot_state[i].load() == kLive) ::unlink(slot_path[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void remove_temp_files_on_signal() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction sa {};
    sa.sa_handler = remove_and_reraise;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

TempPath::TempPath(std::string final_path) : final_(std::move(final_path)) {
  std::error_code ec;
  if (std::filesystem::is_symlink(final_, ec)) {
    const auto target = std::filesystem::weakly_canonical(final_, ec);
    if (!ec) final_ = target.string();
  }
  std::filesystem::path p(final_);
  tmp_ = (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(getpid()))).string();
  slot_ = claim_slot(tmp_);
}

TempPath::~TempPath() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(tmp_, ec);
  }
  release_slot(slot_);
}

void TempPath::commit() {
  std::error_code ec;
  std::filesystem::rename(tmp_, final_, ec);
  if (ec) throw Error("cannot rename " + quote(tmp_) + " to " + quote(final_) + ": " + ec.message());
  committed_ = true;
  release_slot(slot_);
  slot_ = -1;
}

}  // namespace drim
