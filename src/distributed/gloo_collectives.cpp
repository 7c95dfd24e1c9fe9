#include "drim/distributed/gloo_collectives.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "drim/error.hpp"

namespace drim::distributed {
namespace {

using std::chrono::milliseconds;

/// A store connection: the rendezvous (`join`: every rank counts itself in and waits for the
/// others; rank 0 serves) or, later, an extra client (heartbeat, diagnosis).
c10::intrusive_ptr<c10d::TCPStore> open_store(const DistSetup& s, bool join, milliseconds timeout) {
  c10d::TCPStoreOptions o;
  o.port = static_cast<std::uint16_t>(s.port);
  o.isServer = join && s.rank == 0;
  o.numWorkers = join ? c10::optional<std::size_t>(s.world_size) : c10::nullopt;
  o.waitWorkers = join;
  o.timeout = timeout;
  return c10::make_intrusive<c10d::TCPStore>(s.host, o);
}

std::string alive_key(int rank) { return "drim/alive/" + std::to_string(rank); }

class GlooCollectives final : public model::Collectives {
 public:
  explicit GlooCollectives(const DistSetup& s) : setup_(s), timeout_(static_cast<long>(s.timeout_s * 1000)) {
    const std::string where = "tcp://" + s.host + ":" + std::to_string(s.port);
    try {
      store_ = open_store(s, true, timeout_);
    } catch (const std::exception& e) {
      throw Error("rank " + std::to_string(s.rank) + " of " + std::to_string(s.world_size) + ": the rendezvous at " + where +
                  " did not complete within " + std::to_string(static_cast<long>(s.timeout_s)) + " s (--dist-timeout): " +
                  (s.rank == 0 ? "not every rank connected" : "rank 0 is not serving it") + " (" + first_line(e.what()) + ")");
    }
    auto opts = c10d::ProcessGroupGloo::Options::create(timeout_);
    const bool local = s.host == "127.0.0.1" || s.host == "localhost";
    const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
    opts->devices.push_back(ifname    ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
                            : local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                    : c10d::ProcessGroupGloo::createDefaultDevice());
    opts->threads = 2;
    try {
      group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store_, s.rank, s.world_size, opts);
    } catch (const std::exception& e) {
      fail("joining the Gloo group", e);
    }
    heartbeat_ = std::thread([this] { beat(); });
  }

  ~GlooCollectives() override {
    stop_ = true;
    if (heartbeat_.joinable()) heartbeat_.join();
    if (broken_) {  // peers are gone: tearing the group down could block on them
      group_.release();
      store_.release();
    }
  }

  int rank() const override { return setup_.rank; }
  int size() const override { return setup_.world_size; }

  void all_reduce_sum(torch::Tensor& t) override {
    run("all-reduce", t, [&](std::vector<at::Tensor>& v) { return group_->allreduce(v); });
  }

  torch::Tensor all_gather(const torch::Tensor& t) override {
    torch::Tensor in = t.to(torch::kCPU).contiguous();
    std::vector<std::vector<at::Tensor>> out(1);
    for (int r = 0; r < size(); ++r) out[0].push_back(torch::empty_like(in));
    std::vector<at::Tensor> inputs{in};
    wait("all-gather", [&] { return group_->allgather(out, inputs); });
    return torch::stack(out[0]).to(t.device());
  }

  void broadcast(torch::Tensor& t, int root) override {
    c10d::BroadcastOptions o;
    o.rootRank = root;
    run("broadcast", t, [&](std::vector<at::Tensor>& v) { return group_->broadcast(v, o); });
  }

  void check_same(const std::string& what, const std::string& digest) override {
    // Numbered: drim-cv compares once per fold, and a rank must not read the previous fold's digest.
    const std::string key = "drim/check/" + std::to_string(checks_++) + "/" + what + "/";
    try {
      store_->set(key + std::to_string(rank()), std::vector<std::uint8_t>(digest.begin(), digest.end()));
      for (int r = 0; r < size(); ++r) {
        const auto v = store_->get(key + std::to_string(r));
        const std::string theirs(v.begin(), v.end());
        if (theirs != digest)
          throw Error("rank " + std::to_string(r) + "'s " + what + " differ from rank " + std::to_string(rank()) + "'s (digest " + theirs +
                      " against " + digest + "): start every rank with the same data and options");
      }
    } catch (const Error&) {
      broken_ = true;
      throw;
    } catch (const std::exception& e) {
      fail("comparing " + what, e);
    }
  }

 private:
  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

  /// Runs an in-place collective on `t` (copied through the CPU when it lives elsewhere).
  template <typename Op>
  void run(const std::string& what, torch::Tensor& t, Op op) {
    const bool direct = t.device().is_cpu() && t.is_contiguous();
    std::vector<at::Tensor> v{direct ? t : t.to(torch::kCPU).contiguous()};
    wait(what, [&] { return op(v); });
    if (!direct) t.copy_(v[0]);
  }

  template <typename Start>
  void wait(const std::string& what, Start start) {
    try {
      auto work = start();
      if (!work->wait(timeout_)) throw std::runtime_error("timed out");
    } catch (const std::exception& e) {
      fail(what, e);
    }
  }

  [[noreturn]] void fail(const std::string& what, const std::exception& e) {
    broken_ = true;
    throw Error("rank " + std::to_string(rank()) + " of " + std::to_string(size()) + ": " + what + " failed: " + diagnose() + " (" +
                first_line(e.what()) + ")");
  }

  /// Which ranks stopped beating: two readings of every heartbeat counter, 2.5 s apart.
  std::string diagnose() {
    try {
      auto probe = open_store(setup_, false, milliseconds(3000));
      std::vector<std::int64_t> before;
      for (int r = 0; r < size(); ++r) before.push_back(probe->add(alive_key(r), 0));
      std::this_thread::sleep_for(milliseconds(2500));
      std::string gone, absent;
      for (int r = 0; r < size(); ++r) {
        if (r == rank()) continue;
        const std::int64_t now = probe->add(alive_key(r), 0);
        if (now == 0) absent += (absent.empty() ? "" : ", ") + std::to_string(r);
        else if (now == before[r]) gone += (gone.empty() ? "" : ", ") + std::to_string(r);
      }
      if (!gone.empty()) return "rank " + gone + " stopped (no heartbeat for 2.5 s: killed, crashed or out of memory)";
      if (!absent.empty()) return "rank " + absent + " never joined (not started, or started with another --dist-url)";
      return "every rank is alive, but the collective did not complete within --dist-timeout";
    } catch (const std::exception&) {
      return "rank 0, which serves the rendezvous store at " + setup_.host + ":" + std::to_string(setup_.port) + ", is gone";
    }
  }

  void beat() {
    c10::intrusive_ptr<c10d::TCPStore> own;
    try {
      own = open_store(setup_, false, milliseconds(5000));
    } catch (const std::exception&) {
      return;
    }
    while (!stop_) {
      try {
        own->add(alive_key(rank()), 1);
      } catch (const std::exception&) {
        return;  // rank 0 has gone; the next collective says so
      }
      for (int i = 0; i < 5 && !stop_; ++i) std::this_thread::sleep_for(milliseconds(100));
    }
  }

  DistSetup setup_;
  milliseconds timeout_;
  c10::intrusive_ptr<c10d::TCPStore> store_;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group_;
  std::thread heartbeat_;
  std::uint64_t checks_ = 0;
  std::atomic<bool> stop_{false}, broken_{false};
};

}  // namespace

std::shared_ptr<model::Collectives> connect(const DistSetup& setup) { return std::make_shared<GlooCollectives>(setup); }

}  // namespace drim::distributed
