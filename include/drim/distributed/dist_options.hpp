#pragma once
// Where a data-parallel run finds its peers: explicit options, torchrun's variables or Slurm's.
// Free of LibTorch, so that the command-line code and its tests can use it.
#include <functional>
#include <optional>
#include <string>

namespace drim::distributed {

/// What the command line gave (--dist-url, --rank, --world-size, --dist-timeout).
struct DistOptions {
  std::string url;         ///< tcp://host:port of rank 0's rendezvous store; empty: from the environment
  int rank = -1;           ///< this process's rank; -1: from the environment
  int world_size = 0;      ///< processes in the group; 0: from the environment (none there: one process)
  double timeout_s = 300;  ///< how long the rendezvous and every collective wait before giving up
};

/// A resolved group: rank `rank` of `world_size`, rank 0 serving the store at host:port.
struct DistSetup {
  std::string host;
  int port = 0;
  int rank = 0, world_size = 1;
  int local_rank = 0;      ///< rank on this node (LOCAL_RANK, SLURM_LOCALID): picks the GPU
  double timeout_s = 300;
  std::string source;      ///< "--dist-url", "torchrun" or "slurm": where the values came from
};

/// Reads an environment variable (null when unset); std::getenv by default, a map in tests.
using EnvLookup = std::function<const char*(const char*)>;

/// The group this process belongs to, or nothing for a single process. Explicit options win
/// (all of --dist-url, --rank and --world-size are then needed); else torchrun's RANK,
/// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT; else, in an srun step of several tasks
/// (SLURM_STEP_NUM_TASKS > 1), SLURM_PROCID and SLURM_LOCALID with MASTER_ADDR and MASTER_PORT
/// from the job script. A world size of 1 from the environment is a single process; given explicitly, a group
/// of one (the data-parallel arithmetic without peers, for comparisons). Throws on missing or malformed values, naming
/// the variable or option.
std::optional<DistSetup> resolve_dist(const DistOptions& opts, const EnvLookup& env = {});

}  // namespace drim::distributed
