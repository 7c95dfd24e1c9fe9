#include "drim/temp_path.hpp"

#include <unistd.h>

#include "drim/error.hpp"

namespace drim {

TempPath::TempPath(std::string final_path) : final_(std::move(final_path)) {
  std::filesystem::path p(final_);
  tmp_ = (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(getpid()))).string();
}

TempPath::~TempPath() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(tmp_, ec);
  }
}

void TempPath::commit() {
  std::error_code ec;
  std::filesystem::rename(tmp_, final_, ec);
  if (ec) throw Error("cannot rename " + quote(tmp_) + " to " + quote(final_) + ": " + ec.message());
  committed_ = true;
}

}  // namespace drim
