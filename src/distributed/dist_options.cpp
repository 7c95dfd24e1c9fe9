#include "drim/distributed/dist_options.hpp"

#include <cstdlib>

#include "drim/error.hpp"

namespace drim::distributed {
namespace {

int parse_int(const std::string& text, const std::string& what, long lo, long hi) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < lo || v > hi)
    throw Error(what + " is " + quote(text) + ", expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return static_cast<int>(v);
}

void check_rank(DistSetup& s, const std::string& what) {
  if (s.rank < 0 || s.rank >= s.world_size)
    throw Error(what + ": rank " + std::to_string(s.rank) + " is outside a world of " + std::to_string(s.world_size) + " process(es)");
}

}  // namespace

std::optional<DistSetup> resolve_dist(const DistOptions& opts, const EnvLookup& lookup) {
  const EnvLookup env = lookup ? lookup : EnvLookup([](const char* name) { return std::getenv(name); });
  auto var = [&](const char* name) -> std::optional<std::string> {
    const char* v = env(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  auto need = [&](const char* name, const std::string& context) {
    auto v = var(name);
    if (!v || v->empty()) throw Error(context + " but " + name + " is not set");
    return *v;
  };
  if (opts.timeout_s <= 0) throw Error("--dist-timeout must be positive, got " + quote(std::to_string(opts.timeout_s)));
  DistSetup s;
  s.timeout_s = opts.timeout_s;
  if (!opts.url.empty() || opts.rank >= 0 || opts.world_size > 0) {
    if (opts.url.empty() || opts.rank < 0 || opts.world_size <= 0)
      throw Error("--dist-url, --rank and --world-size go together; given: " + std::string(opts.url.empty() ? "" : "--dist-url ") +
                  (opts.rank >= 0 ? "--rank " : "") + (opts.world_size > 0 ? "--world-size" : ""));
    const std::string prefix = "tcp://";
    const auto colon = opts.url.rfind(':');
    if (opts.url.rfind(prefix, 0) != 0 || colon == std::string::npos || colon <= prefix.size())
      throw Error("--dist-url " + quote(opts.url) + ": expected tcp://host:port");
    s.host = opts.url.substr(prefix.size(), colon - prefix.size());
    s.port = parse_int(opts.url.substr(colon + 1), "the port of --dist-url", 1, 65535);
    s.rank = opts.rank;
    s.world_size = opts.world_size;
    s.source = "--dist-url";
    check_rank(s, s.source);
    return s;  // a group of one on request: the synchronised layers' arithmetic without peers
  } else if (var("WORLD_SIZE")) {
    const std::string ctx = "WORLD_SIZE is set (torchrun)";
    s.world_size = parse_int(*var("WORLD_SIZE"), "WORLD_SIZE", 1, 1 << 20);
    if (s.world_size == 1) return std::nullopt;
    s.rank = parse_int(need("RANK", ctx), "RANK", 0, 1 << 20);
    s.local_rank = var("LOCAL_RANK") ? parse_int(*var("LOCAL_RANK"), "LOCAL_RANK", 0, 1 << 20) : 0;
    s.host = need("MASTER_ADDR", ctx);
    s.port = parse_int(need("MASTER_PORT", ctx), "MASTER_PORT", 1, 65535);
    s.source = "torchrun";
  } else if (var("SLURM_STEP_NUM_TASKS") && parse_int(*var("SLURM_STEP_NUM_TASKS"), "SLURM_STEP_NUM_TASKS", 1, 1 << 20) > 1) {
    // srun's step size, not the job's SLURM_NTASKS: a batch script of an --ntasks=4 job that runs
    // drim-train once (not through srun) is a single process.
    s.world_size = parse_int(*var("SLURM_STEP_NUM_TASKS"), "SLURM_STEP_NUM_TASKS", 1, 1 << 20);
    const std::string ctx = "srun started " + std::to_string(s.world_size) +
                            " tasks (SLURM_STEP_NUM_TASKS), so training is data parallel, "
                            "(export MASTER_ADDR and MASTER_PORT in the job script, see scripts/slurm-train.sh; or run a single task)";
    s.rank = parse_int(need("SLURM_PROCID", ctx), "SLURM_PROCID", 0, 1 << 20);
    s.local_rank = var("SLURM_LOCALID") ? parse_int(*var("SLURM_LOCALID"), "SLURM_LOCALID", 0, 1 << 20) : 0;
    s.host = need("MASTER_ADDR", ctx);
    s.port = parse_int(need("MASTER_PORT", ctx), "MASTER_PORT", 1, 65535);
    s.source = "slurm";
  } else {
    return std::nullopt;
  }
  check_rank(s, s.source);
  if (s.world_size == 1) return std::nullopt;
  return s;
}

}  // namespace drim::distributed
