#include "io/hdf5_util.hpp"

#include <cstring>
#include <filesystem>

#include "drim/error.hpp"

namespace drim::detail {
namespace {

struct Silencer {
  Silencer() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};

hid_t vlen_utf8() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

/// Reads n strings from an attribute or dataset whose file type is `ftype`.
template <typename ReadFn>
std::vector<std::string> read_string_data(hid_t ftype, hid_t space, std::size_t n, ReadFn read,
                                          const std::string& where) {
  if (H5Tget_class(ftype) != H5T_STRING) throw Error(where + " does not hold strings");
  std::vector<std::string> out(n);
  if (H5Tis_variable_str(ftype) > 0) {
    H5Id mtype(H5Tcopy(H5T_C_S1));
    H5Tset_size(mtype, H5T_VARIABLE);
    H5Tset_cset(mtype, H5Tget_cset(ftype));
    std::vector<char*> buf(n, nullptr);
    if (read(mtype, buf.data()) < 0) throw Error("cannot read strings of " + where);
    for (std::size_t i = 0; i < n; ++i) out[i] = buf[i] ? buf[i] : "";
    H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, buf.data());
  } else {
    // Read the bytes as stored: converting to a NULLTERM type of the same size would drop the
    // last character of every string that fills its slot (Cell Ranger and h5py write NULLPAD).
    std::size_t sz = H5Tget_size(ftype);
    const H5T_str_t pad = H5Tget_strpad(ftype);
    H5Id mtype(H5Tcopy(ftype));
    std::vector<char> buf(n * sz + 1, '\0');
    if (read(mtype, buf.data()) < 0) throw Error("cannot read strings of " + where);
    for (std::size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * sz;
      std::size_t len = strnlen(s, sz);
      if (pad == H5T_STR_SPACEPAD)
        while (len > 0 && s[len - 1] == ' ') --len;
      out[i] = std::string(s, len);
    }
  }
  return out;
}

}  // namespace

std::unique_lock<std::recursive_mutex> hdf5_lock() {
  static std::recursive_mutex m;
  static Silencer silencer;
  return std::unique_lock<std::recursive_mutex>(m);
}

void H5Id::reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
  id_ = -1;
}

H5Id open_file_ro(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error("cannot open " + quote(path) + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw Error(quote(path) + " is not an HDF5 file");
  H5Id f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!f.valid()) throw Error("cannot open HDF5 file " + quote(path));
  return f;
}

bool path_exists(hid_t loc, const std::string& path) {
  std::string cur;
  std::size_t pos = 0;
  if (!path.empty() && path[0] == '/') {
    cur = "/";
    pos = 1;
  }
  while (pos <= path.size()) {
    std::size_t next = path.find('/', pos);
    std::string part = path.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    if (!part.empty()) {
      cur += (cur.empty() || cur.back() == '/') ? part : "/" + part;
      if (H5Lexists(loc, cur.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return true;
}

bool is_group(hid_t loc, const std::string& path) {
  if (!path_exists(loc, path)) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name(loc, path.c_str(), &info, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_GROUP;
}

H5Id open_dataset(hid_t loc, const std::string& path, const std::string& file, const std::string& what) {
  if (!path_exists(loc, path) || is_group(loc, path)) {
    throw Error(file + ": no dataset " + quote(path) + " (" + what + ")");
  }
  H5Id d(H5Dopen2(loc, path.c_str(), H5P_DEFAULT));
  if (!d.valid()) throw Error(file + ": cannot open dataset " + quote(path));
  return d;
}

std::vector<hsize_t> dataset_dims(hid_t dset) {
  H5Id space(H5Dget_space(dset));
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

std::vector<std::string> read_strings(hid_t dset, const std::string& where) {
  auto dims = dataset_dims(dset);
  if (dims.size() != 1) throw Error(where + " must be a 1-D string dataset");
  H5Id ftype(H5Dget_type(dset));
  H5Id space(H5Dget_space(dset));
  return read_string_data(ftype, space, dims[0],
                          [&](hid_t mtype, void* buf) { return H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); },
                          where);
}

template <typename T>
std::vector<T> read_vector(hid_t dset, const std::string& where) {
  auto dims = dataset_dims(dset);
  if (dims.size() != 1) throw Error(where + " must be 1-D, it has " + std::to_string(dims.size()) + " dimensions");
  H5Id ftype(H5Dget_type(dset));
  auto cls = H5Tget_class(ftype);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw Error(where + " must be numeric");
  hid_t mtype = std::is_same_v<T, float> ? H5T_NATIVE_FLOAT
                : std::is_same_v<T, double> ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
  std::vector<T> out(dims[0]);
  if (!out.empty() && H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw Error("cannot read " + where);
  return out;
}
template std::vector<float> read_vector<float>(hid_t, const std::string&);
template std::vector<double> read_vector<double>(hid_t, const std::string&);
template std::vector<std::int64_t> read_vector<std::int64_t>(hid_t, const std::string&);

void read_rows_f64(hid_t dset, hsize_t row0, hsize_t nrows, hsize_t ncols, double* out) {
  H5Id fspace(H5Dget_space(dset));
  hsize_t start[2] = {row0, 0}, count[2] = {nrows, ncols};
  H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, count, nullptr);
  H5Id mspace(H5Screate_simple(2, count, nullptr));
  if (H5Dread(dset, H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, out) < 0)
    throw Error("cannot read rows " + std::to_string(row0) + ".." + std::to_string(row0 + nrows) + " of a matrix");
}

std::optional<std::string> read_string_attr(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return std::nullopt;
  H5Id attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT));
  H5Id ftype(H5Aget_type(attr));
  H5Id space(H5Aget_space(attr));
  if (H5Tget_class(ftype) != H5T_STRING) return std::nullopt;
  hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 1) return std::string();
  auto v = read_string_data(ftype, space, static_cast<std::size_t>(n),
                            [&](hid_t mtype, void* buf) { return H5Aread(attr, mtype, buf); }, "attribute " + quote(name));
  return v[0];
}

std::optional<std::vector<std::int64_t>> read_int_attr(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return std::nullopt;
  H5Id attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT));
  H5Id space(H5Aget_space(attr));
  hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<std::int64_t> v(n > 0 ? n : 0);
  if (n > 0 && H5Aread(attr, H5T_NATIVE_INT64, v.data()) < 0) return std::nullopt;
  return v;
}

H5Id dataset_plist() {
  H5Id p(H5Pcreate(H5P_DATASET_CREATE));
  H5Pset_obj_track_times(p, false);
  return p;
}

H5Id create_group(hid_t loc, const std::string& name) {
  H5Id p(H5Pcreate(H5P_GROUP_CREATE));
  H5Pset_obj_track_times(p, false);
  H5Id g(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, p, H5P_DEFAULT));
  if (!g.valid()) throw Error("cannot create group " + quote(name));
  return g;
}

void write_string_attr(hid_t obj, const std::string& name, const std::string& value) {
  H5Id type(vlen_utf8());
  H5Id space(H5Screate(H5S_SCALAR));
  H5Id attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT));
  const char* p = value.c_str();
  if (H5Awrite(attr, type, &p) < 0) throw Error("cannot write attribute " + quote(name));
}

void write_string_array_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  H5Id type(vlen_utf8());
  hsize_t n = values.size();
  H5Id space(H5Screate_simple(1, &n, nullptr));
  H5Id attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT));
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!ptrs.empty() && H5Awrite(attr, type, ptrs.data()) < 0) throw Error("cannot write attribute " + quote(name));
}

void write_int_attr(hid_t obj, const std::string& name, long long value) {
  H5Id space(H5Screate(H5S_SCALAR));
  H5Id attr(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT));
  if (H5Awrite(attr, H5T_NATIVE_LLONG, &value) < 0) throw Error("cannot write attribute " + quote(name));
}

void write_int_array_attr(hid_t obj, const std::string& name, const std::vector<long long>& values) {
  hsize_t n = values.size();
  H5Id space(H5Screate_simple(1, &n, nullptr));
  H5Id attr(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT));
  if (H5Awrite(attr, H5T_NATIVE_LLONG, values.data()) < 0) throw Error("cannot write attribute " + quote(name));
}

void write_float_array_attr(hid_t obj, const std::string& name, const std::vector<float>& values) {
  hsize_t n = values.size();
  H5Id space(H5Screate_simple(1, &n, nullptr));
  H5Id attr(H5Acreate2(obj, name.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid() || H5Awrite(attr, H5T_NATIVE_FLOAT, values.data()) < 0) throw Error("cannot write attribute " + quote(name));
}

std::optional<std::vector<float>> read_float_attr(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return std::nullopt;
  H5Id attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT));
  H5Id space(H5Aget_space(attr));
  hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) return std::nullopt;
  std::vector<float> out(static_cast<std::size_t>(n));
  if (n > 0 && H5Aread(attr, H5T_NATIVE_FLOAT, out.data()) < 0) return std::nullopt;
  return out;
}

H5Id write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  H5Id type(vlen_utf8());
  hsize_t n = values.size();
  H5Id space(H5Screate_simple(1, &n, nullptr));
  H5Id d(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dataset_plist(), H5P_DEFAULT));
  if (!d.valid()) throw Error("cannot create dataset " + quote(name));
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!ptrs.empty() && H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    throw Error("cannot write dataset " + quote(name));
  return d;
}

}  // namespace drim::detail
