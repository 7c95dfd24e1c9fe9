// Images files written as pixels and as counts read back the same through FilePairImages, and the
// counts file is what h5py users decode with the stored table: pixel_lut[counts].
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "drim/error.hpp"
#include "drim/image_builder.hpp"
#include "drim/images_writer.hpp"
#include "drim/pair_images.hpp"
#include "io/hdf5_util.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

struct Written {
  std::vector<float> pixels;  // every pair's pixels, in order
};

/// Writes pairs (i, i + 1) of `ctx` with the given storage and returns the pixels on the fly.
Written write_file(const ImageContext& ctx, const std::string& path, ImageStorage storage, int compression, int n_pairs) {
  ImagesFileOptions fo;
  fo.n_pairs = n_pairs;
  fo.images_per_pair = ctx.images_per_pair();
  fo.compression = compression;
  fo.storage = storage;
  if (storage == ImageStorage::counts) fo.pixel_lut = ctx.lut().table();
  ImagesWriter w(path, fo);
  const std::size_t per = ctx.images_per_pair() * kImagePixels;
  Written out;
  out.pixels.resize(n_pairs * per);
  std::vector<std::uint32_t> counts(n_pairs * per);
  std::vector<std::string> tf, target;
  std::vector<std::int8_t> label;
  for (int i = 0; i < n_pairs; ++i) {
    ctx.pair_images(i, i + 1, out.pixels.data() + i * per);
    ctx.pair_counts(i, i + 1, counts.data() + i * per);
    tf.push_back("g" + std::to_string(i));
    target.push_back("g" + std::to_string(i + 1));
    label.push_back(static_cast<std::int8_t>(i % 2));
  }
  if (storage == ImageStorage::counts) {
    w.write_counts(0, 2, counts.data());  // in two calls: first and offsets work
    w.write_counts(2, n_pairs - 2, counts.data() + 2 * per);
  } else {
    w.write(0, 2, out.pixels.data());
    w.write(2, n_pairs - 2, out.pixels.data() + 2 * per);
  }
  w.finish(tf, target, label);
  return out;
}

TEST(ImagesFile, CountsAndPixelsReadBackAlike) {
  test::ScratchDir dir;
  Expression e = test::random_expression(12, 80, 4);
  ImageOptions o;
  o.neighbors = 2;
  ImageContext ctx(e, o);
  const std::size_t per = ctx.images_per_pair() * kImagePixels;
  for (int level : {0, 1, 6}) {
    for (auto storage : {ImageStorage::pixels, ImageStorage::counts}) {
      const std::string path = dir.file("img" + std::to_string(level) + (storage == ImageStorage::counts ? "c" : "p") + ".h5");
      Written want = write_file(ctx, path, storage, level, 6);
      FilePairImages file(path);
      ASSERT_EQ(file.size(), 6u);
      ASSERT_EQ(file.images_per_pair(), ctx.images_per_pair());
      std::vector<float> got(per);
      for (std::size_t i = 0; i < 6; ++i) {
        file.images(i, got.data());
        for (std::size_t k = 0; k < per; ++k) ASSERT_EQ(got[k], want.pixels[i * per + k]) << path << " pair " << i << " value " << k;
        EXPECT_EQ(file.pair(i).label, static_cast<int>(i % 2));
      }
    }
  }
}

TEST(ImagesFile, CountsFileCarriesItsTableAndNarrowType) {
  test::ScratchDir dir;
  Expression e = test::random_expression(5, 40, 8);
  ImageContext ctx(e, ImageOptions{.neighbors = 1});
  write_file(ctx, dir.file("c.h5"), ImageStorage::counts, 1, 3);
  auto lock = detail::hdf5_lock();
  auto f = detail::open_file_ro(dir.file("c.h5"));
  auto d = detail::open_dataset(f, "images", "c.h5", "images");
  detail::H5Id type(H5Dget_type(d));
  EXPECT_EQ(H5Tget_class(type), H5T_INTEGER);
  EXPECT_EQ(H5Tget_size(type), 2u);
  auto lut = detail::read_float_attr(d, "pixel_lut");
  ASSERT_TRUE(lut);
  EXPECT_EQ(*lut, ctx.lut().table());
  EXPECT_EQ(detail::read_string_attr(d, "decode").value_or(""), "pixels = pixel_lut[images]");
}

TEST(ImagesFile, TablesPast65535CellsUseUint32AndDenseAttributes) {
  test::ScratchDir dir;
  const std::size_t cells = 70000;
  PixelLut lut(cells);
  ImagesFileOptions fo;
  fo.n_pairs = 1;
  fo.images_per_pair = 1;
  fo.storage = ImageStorage::counts;
  fo.pixel_lut = lut.table();
  std::vector<std::uint32_t> counts(1024, 0);
  counts[0] = 69000;  // past uint16
  counts[1] = 1000;
  {
    ImagesWriter w(dir.file("wide.h5"), fo);
    w.write_counts(0, 1, counts.data());
    w.finish({"a"}, {"b"}, {1});
  }
  FilePairImages file(dir.file("wide.h5"));
  std::vector<float> got(1024);
  file.images(0, got.data());
  EXPECT_EQ(got[0], lut(69000));
  EXPECT_EQ(got[1], lut(1000));
  EXPECT_EQ(got[2], lut(0));
}

TEST(ImagesFile, WrongKindOfWriteIsRefused) {
  test::ScratchDir dir;
  ImagesFileOptions fo;
  fo.n_pairs = 1;
  fo.images_per_pair = 1;
  ImagesWriter w(dir.file("p.h5"), fo);
  std::vector<std::uint32_t> counts(1024, 0);
  EXPECT_THROW(w.write_counts(0, 1, counts.data()), Error);
  fo.storage = ImageStorage::counts;
  EXPECT_THROW(ImagesWriter(dir.file("c.h5"), fo), Error);  // counts need the table
}

}  // namespace
}  // namespace drim
