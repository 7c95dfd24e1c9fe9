#pragma once
#include <filesystem>
#include <string>

namespace drim {

/// A file written under a temporary name beside its destination and renamed there by commit();
/// removed on destruction when never committed, so no partial output is left behind.
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
  bool committed_ = false;
};

}  // namespace drim
