#pragma once
// model::Collectives over PyTorch's c10d: a TCPStore rendezvous and a Gloo process group.
#include <memory>

#include "drim/distributed/dist_options.hpp"
#include "drim/model/collectives.hpp"

namespace drim::distributed {

/// Joins the group `setup` describes: rank 0 serves the TCPStore at host:port and every rank
/// connects to it, all within setup.timeout_s; then a Gloo process group over them. Each rank
/// keeps a heartbeat in the store, so that when a collective fails (a rank died, the network
/// dropped, or setup.timeout_s passed) the error names the rank(s) that stopped. Throws
/// drim::Error when the rendezvous does not complete in time.
std::shared_ptr<model::Collectives> connect(const DistSetup& setup);

}  // namespace drim::distributed
