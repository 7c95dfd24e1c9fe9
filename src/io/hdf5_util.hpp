#pragma once
// Thin RAII helpers over the HDF5 C API. Debian's libhdf5 is not thread-safe: every caller holds
// hdf5_lock() for the duration of its HDF5 calls.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <hdf5.h>

namespace drim::detail {

/// The lock serialising every HDF5 call of the process.
std::unique_lock<std::recursive_mutex> hdf5_lock();

/// Owns an HDF5 identifier and closes it with the matching H5*close.
class H5Id {
 public:
  H5Id() = default;
  explicit H5Id(hid_t id) : id_(id) {}
  ~H5Id() { reset(); }
  H5Id(H5Id&& o) noexcept : id_(o.id_) { o.id_ = -1; }
  H5Id& operator=(H5Id&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      o.id_ = -1;
    }
    return *this;
  }
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();

 private:
  hid_t id_ = -1;
};

/// Opens an existing HDF5 file read-only; throws naming `path` when it is missing or not HDF5.
H5Id open_file_ro(const std::string& path);
/// Whether every component of `path` exists under `loc`.
bool path_exists(hid_t loc, const std::string& path);
/// Whether `path` under `loc` is a group (false for datasets or missing paths).
bool is_group(hid_t loc, const std::string& path);
/// Opens a dataset, throwing "<file>: no dataset '<path>' (<what>)" when absent.
H5Id open_dataset(hid_t loc, const std::string& path, const std::string& file, const std::string& what);
/// Dimensions of a dataset.
std::vector<hsize_t> dataset_dims(hid_t dset);
/// All strings of a 1-D string dataset (variable or fixed length).
std::vector<std::string> read_strings(hid_t dset, const std::string& where);
/// Whole 1-D numeric dataset converted to T (float, double, int64).
template <typename T>
std::vector<T> read_vector(hid_t dset, const std::string& where);
/// Rows [row0, row0 + nrows) of a 2-D dataset as float64, row-major.
void read_rows_f64(hid_t dset, hsize_t row0, hsize_t nrows, hsize_t ncols, double* out);
/// A string attribute, or nullopt when absent.
std::optional<std::string> read_string_attr(hid_t obj, const std::string& name);
/// An integer array attribute, or nullopt when absent.
std::optional<std::vector<std::int64_t>> read_int_attr(hid_t obj, const std::string& name);

/// Dataset creation properties without modification times, so same input gives the same bytes.
H5Id dataset_plist();
/// Creates a group without modification times.
H5Id create_group(hid_t loc, const std::string& name);

/// Writes a scalar variable-length UTF-8 string attribute.
void write_string_attr(hid_t obj, const std::string& name, const std::string& value);
/// Writes a 1-D variable-length UTF-8 string attribute (may be empty).
void write_string_array_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values);
/// Writes a scalar integer attribute.
void write_int_attr(hid_t obj, const std::string& name, long long value);
/// Writes a 1-D integer array attribute.
void write_int_array_attr(hid_t obj, const std::string& name, const std::vector<long long>& values);
/// Writes a 1-D float32 array attribute (the file must allow dense attributes past 64 KiB).
void write_float_array_attr(hid_t obj, const std::string& name, const std::vector<float>& values);
/// A numeric array attribute as float, or nullopt when absent or not numeric.
std::optional<std::vector<float>> read_float_attr(hid_t obj, const std::string& name);
/// Creates a 1-D variable-length UTF-8 string dataset.
H5Id write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values);

}  // namespace drim::detail
