#pragma once
#include <string>

#include <zlib.h>

namespace drim::detail {

/// Reads a text file line by line, gzip-compressed or not (zlib reads both), any line length.
class LineReader {
 public:
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Next line without its end-of-line characters; false at end of file.
  bool next(std::string& line);
  /// 1-based number of the line last returned.
  long line_number() const { return line_no_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  gzFile file_ = nullptr;
  long line_no_ = 0;
  std::string buf_;
};

}  // namespace drim::detail
