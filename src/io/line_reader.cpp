#include "io/line_reader.hpp"

#include <cerrno>
#include <cstring>

#include "drim/error.hpp"

namespace drim::detail {

LineReader::LineReader(const std::string& path) : path_(path) {
  file_ = gzopen(path.c_str(), "rb");
  if (!file_) throw Error("cannot open " + quote(path) + ": " + std::strerror(errno));
  gzbuffer(file_, 1 << 18);
}

LineReader::~LineReader() {
  if (file_) gzclose(file_);
}

bool LineReader::next(std::string& line) {
  line.clear();
  char chunk[1 << 16];
  bool got = false;
  while (gzgets(file_, chunk, sizeof chunk)) {
    got = true;
    std::size_t len = std::strlen(chunk);
    line.append(chunk, len);
    if (len > 0 && chunk[len - 1] == '\n') break;
  }
  if (!got) {
    int err = 0;
    const char* msg = gzerror(file_, &err);
    if (err != Z_OK && err != Z_STREAM_END) throw Error("cannot read " + quote(path_) + ": " + msg);
    return false;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  ++line_no_;
  return true;
}

}  // namespace drim::detail
