// connect() for builds without Gloo's headers (e.g. some upstream LibTorch packages): data-parallel
// training is refused with the reason, single-process training is unaffected.
#include "drim/distributed/gloo_collectives.hpp"

#include "drim/error.hpp"

namespace drim::distributed {

std::shared_ptr<model::Collectives> connect(const DistSetup& setup) {
  throw Error("data-parallel training (" + setup.source + ", world size " + std::to_string(setup.world_size) +
              ") needs Gloo's headers at build time, and this drim was built without them: install libgloo-dev "
              "(scripts/setup.sh) and rebuild");
}

}  // namespace drim::distributed
