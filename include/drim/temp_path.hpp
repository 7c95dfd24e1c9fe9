#pragma once
#include <filesystem>
#include <string>

namespace drim {

/// A file written under a temporary name beside its destination and renamed there by commit();
/// removed on destruction when never committed, so no partial output is left behind. A
/// destination that is a symbolic link is written through: the link's target is replaced and
/// the link stays. While it exists the temporary name is also removed if the process is stopped
/// by SIGINT, SIGTERM or SIGHUP (see remove_temp_files_on_signal).
class TempPath {
 public:
  explicit TempPath(std::string final_path);
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return tmp_; }
  /// Renames the temporary file to the final path.
  void commit();

 private:
  std::string final_, tmp_;
  int slot_ = -1;  ///< entry in the signal handler's table, -1 when the table was full
  bool committed_ = false;
};

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove every live TempPath's file and
/// then let the signal stop the process as it would have. Idempotent.
void remove_temp_files_on_signal();

}  // namespace drim
