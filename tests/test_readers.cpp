// Every reader on small files the test writes itself, the h5ad round trip, and bad-input errors.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "drim/expression_io.hpp"
#include "io/hdf5_util.hpp"
#include "test_util.hpp"

namespace drim {
namespace {

using detail::H5Id;

// genes x cells: g0 = {1, 0, 2.5}, g1 = {0, 3, 0}
const std::vector<std::string> kGenes = {"Sox2", "Nanog"};
const std::vector<std::string> kCells = {"A", "B", "C"};
const std::vector<double> kValues = {1, 0, 2.5, 0, 3, 0};

void expect_small(const Expression& e) {
  EXPECT_EQ(e.genes, kGenes);
  EXPECT_EQ(e.cells, kCells);
  EXPECT_EQ(e.values, kValues);
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

void write_gz(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, text.data(), text.size());
  gzclose(f);
}

H5Id dataset(hid_t loc, const std::string& name, hid_t type, std::vector<hsize_t> dims, const void* data, hid_t memtype) {
  H5Id space(H5Screate_simple(dims.size(), dims.data(), nullptr));
  H5Id d(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  return d;
}

H5Id group(hid_t loc, const std::string& name) { return H5Id(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); }

/// AnnData with X dense (cells x genes), or CSR/CSC; var's index dataset is named `gene_ids`.
void write_h5ad_by_hand(const std::string& path, const std::string& layout) {
  auto lock = detail::hdf5_lock();
  H5Id f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  {
    H5Id var = group(f, "var");
    detail::write_string_attr(var, "_index", "gene_ids");
    detail::write_strings(var, "gene_ids", kGenes);
    detail::write_strings(var, "_index", {"wrong1", "wrong2"});  // must not be used
    H5Id obs = group(f, "obs");
    detail::write_string_attr(obs, "_index", "_index");
    detail::write_strings(obs, "_index", kCells);
  }
  if (layout == "dense") {
    std::vector<double> x = {1, 0, 0, 3, 2.5, 0};  // cells x genes, float64 on disk
    dataset(f, "X", H5T_IEEE_F64LE, {3, 2}, x.data(), H5T_NATIVE_DOUBLE);
    return;
  }
  H5Id x = group(f, "X");
  detail::write_string_attr(x, "encoding-type", layout == "csr" ? "csr_matrix" : "csc_matrix");
  detail::write_int_array_attr(x, "shape", {3, 2});
  std::vector<float> data;
  std::vector<int> indices, indptr;
  if (layout == "csr") {  // rows = cells
    data = {1, 3, 2.5f};
    indices = {0, 1, 0};
    indptr = {0, 1, 2, 3};
  } else {  // columns = genes
    data = {1, 2.5f, 3};
    indices = {0, 2, 1};
    indptr = {0, 2, 3};
  }
  dataset(x, "data", H5T_IEEE_F32LE, {data.size()}, data.data(), H5T_NATIVE_FLOAT);
  dataset(x, "indices", H5T_STD_I32LE, {indices.size()}, indices.data(), H5T_NATIVE_INT);
  dataset(x, "indptr", H5T_STD_I32LE, {indptr.size()}, indptr.data(), H5T_NATIVE_INT);
}

TEST(CsvReader, CommaTabAndGzip) {
  test::ScratchDir dir;
  const std::string text = ",A,B,C\nSox2,1,0,2.5\nNanog,0,3,0\n";
  write_text(dir.file("e.csv"), text);
  expect_small(read_expression(dir.file("e.csv")));
  write_gz(dir.file("e.csv.gz"), text);
  expect_small(read_expression(dir.file("e.csv.gz")));
  write_text(dir.file("e.tsv"), "gene\tA\tB\tC\nSox2\t1\t0\t2.5\nNanog\t0\t3\t0\n");
  expect_small(read_expression(dir.file("e.tsv")));
  write_text(dir.file("r.csv"), "A,B,C\n\"Sox2\",1,0,2.5\n\"Nanog\",0,3,0\n");  // R style: no corner cell
  expect_small(read_expression(dir.file("r.csv")));
}

TEST(CsvReader, BadInputErrorsNameFileLineAndValue) {
  test::ScratchDir dir;
  write_text(dir.file("ragged.csv"), ",A,B,C\nSox2,1,0,2.5\nNanog,0,3\n");
  test::expect_error([&] { read_expression(dir.file("ragged.csv")); }, {"ragged.csv line 3", "ragged row", "3 fields", "4 were expected"});
  write_text(dir.file("text.csv"), ",A,B,C\nSox2,1,zero,2.5\n");
  test::expect_error([&] { read_expression(dir.file("text.csv")); }, {"text.csv line 2", "'zero'", "'Sox2'", "'B'", "not a number"});
  write_text(dir.file("nan.csv"), ",A,B,C\nSox2,1,nan,2.5\n");
  test::expect_error([&] { read_expression(dir.file("nan.csv")); }, {"nan.csv", "NaN", "'Sox2'", "'B'"});
  write_text(dir.file("neg.csv"), ",A,B,C\nSox2,1,-2,2.5\n");
  test::expect_error([&] { read_expression(dir.file("neg.csv")); }, {"neg.csv", "negative value", "'Sox2'", "'B'"});
  write_text(dir.file("dup.csv"), ",A,B\nSox2,1,2\nNanog,0,3\nSox2,4,4\n");
  test::expect_error([&] { read_expression(dir.file("dup.csv")); }, {"dup.csv", "duplicate gene name 'Sox2'", "rows 1 and 3"});
  write_text(dir.file("nocells.csv"), "gene\nSox2\nNanog\n");
  test::expect_error([&] { read_expression(dir.file("nocells.csv")); }, {"nocells.csv", "zero cells"});
  write_text(dir.file("empty.csv"), "");
  test::expect_error([&] { read_expression(dir.file("empty.csv")); }, {"empty.csv", "empty"});
  test::expect_error([&] { read_expression(dir.file("absent.csv")); }, {"absent.csv", "no such file"});
  // The format comes from the content, not the name: text under any name is read as CSV/TSV.
  write_text(dir.file("e.xyz"), "x");
  test::expect_error([&] { read_expression(dir.file("e.xyz")); }, {"e.xyz", "no gene rows"});
  write_text(dir.file("matrix.data"), "gene,A,B,C\nSox2,1,0,2.5\nNanog,0,3,0\n");
  expect_small(read_expression(dir.file("matrix.data")));
}

TEST(H5adReader, DenseCsrCscAndIndexAttribute) {
  test::ScratchDir dir;
  for (std::string layout : {"dense", "csr", "csc"}) {
    write_h5ad_by_hand(dir.file(layout + ".h5ad"), layout);
    expect_small(read_expression(dir.file(layout + ".h5ad")));
  }
}

TEST(H5adReader, MissingPartsAreNamed) {
  test::ScratchDir dir;
  {
    auto lock = detail::hdf5_lock();
    H5Id f(H5Fcreate(dir.file("novar.h5ad").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  }
  test::expect_error([&] { read_expression(dir.file("novar.h5ad")); }, {"novar.h5ad", "no group '/var'"});
  write_text(dir.file("notreally.h5ad"), "hello");
  test::expect_error([&] { read_expression(dir.file("notreally.h5ad")); }, {"notreally.h5ad", "not an HDF5 file"});
}

TEST(H5adWriter, RoundTripsThroughReader) {
  test::ScratchDir dir;
  Expression e = test::random_expression(7, 9, 4);
  write_h5ad(e, dir.file("rt.h5ad"));
  Expression back = read_expression(dir.file("rt.h5ad"));
  EXPECT_EQ(back.genes, e.genes);
  EXPECT_EQ(back.cells, e.cells);
  EXPECT_EQ(back.values, e.values);
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(dir.file("rt.h5ad")).parent_path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << "temporary file left: " << entry.path();
}

TEST(TenXReader, ReadsCscMatrix) {
  test::ScratchDir dir;
  {
    auto lock = detail::hdf5_lock();
    H5Id f(H5Fcreate(dir.file("filtered_feature_bc_matrix.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    H5Id m = group(f, "matrix");
    H5Id feat = group(m, "features");
    detail::write_strings(feat, "name", kGenes);
    detail::write_strings(feat, "id", {"ENS1", "ENS2"});
    detail::write_strings(m, "barcodes", kCells);
    std::vector<long long> shape = {2, 3};
    dataset(m, "shape", H5T_STD_I64LE, {2}, shape.data(), H5T_NATIVE_LLONG);
    std::vector<int> data = {1, 3, 5}, indices = {0, 1, 0}, indptr = {0, 1, 2, 3};  // columns = cells
    dataset(m, "data", H5T_STD_I32LE, {3}, data.data(), H5T_NATIVE_INT);
    dataset(m, "indices", H5T_STD_I64LE, {3}, std::vector<long long>{0, 1, 0}.data(), H5T_NATIVE_LLONG);
    dataset(m, "indptr", H5T_STD_I64LE, {4}, std::vector<long long>{0, 1, 2, 3}.data(), H5T_NATIVE_LLONG);
  }
  Expression e = read_expression(dir.file("filtered_feature_bc_matrix.h5"));
  EXPECT_EQ(e.genes, kGenes);
  EXPECT_EQ(e.cells, kCells);
  EXPECT_EQ(e.values, (std::vector<double>{1, 0, 5, 0, 3, 0}));
}

/// Fixed-length strings of `size` bytes with padding `pad`, as Cell Ranger and h5py ('S' dtype) write them.
void fixed_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values, std::size_t size, H5T_str_t pad) {
  H5Id type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type, size);
  H5Tset_strpad(type, pad);
  std::vector<char> buf(values.size() * size, pad == H5T_STR_SPACEPAD ? ' ' : '\0');
  for (std::size_t i = 0; i < values.size(); ++i) std::copy(values[i].begin(), values[i].end(), buf.begin() + i * size);
  dataset(loc, name, type, {values.size()}, buf.data(), type);
}

TEST(TenXReader, FixedLengthStringsKeepTheirLastByte) {
  // Gene names filling the whole slot once lost their last byte: 'Gene10' became 'Gene1' (and a
  // false duplicate), every barcode '...-1' became '...-'.
  const std::vector<std::string> genes = {"Gene10", "Gene1"}, cells = {"AAAC-1", "AAAG-1", "TTTC-1"};
  for (H5T_str_t pad : {H5T_STR_NULLPAD, H5T_STR_NULLTERM, H5T_STR_SPACEPAD}) {
    test::ScratchDir dir;
    {
      auto lock = detail::hdf5_lock();
      H5Id f(H5Fcreate(dir.file("m.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
      H5Id m = group(f, "matrix");
      H5Id feat = group(m, "features");
      const std::size_t gsize = pad == H5T_STR_NULLTERM ? 7 : 6;  // NULLTERM keeps room for the terminator
      fixed_strings(feat, "name", genes, gsize, pad);
      fixed_strings(feat, "id", {"ENSG01", "ENSG02"}, pad == H5T_STR_NULLTERM ? 7 : 6, pad);
      fixed_strings(m, "barcodes", cells, pad == H5T_STR_NULLTERM ? 7 : 6, pad);
      std::vector<long long> shape = {2, 3};
      dataset(m, "shape", H5T_STD_I64LE, {2}, shape.data(), H5T_NATIVE_LLONG);
      std::vector<int> data = {1, 3, 5};
      dataset(m, "data", H5T_STD_I32LE, {3}, data.data(), H5T_NATIVE_INT);
      dataset(m, "indices", H5T_STD_I64LE, {3}, std::vector<long long>{0, 1, 0}.data(), H5T_NATIVE_LLONG);
      dataset(m, "indptr", H5T_STD_I64LE, {4}, std::vector<long long>{0, 1, 2, 3}.data(), H5T_NATIVE_LLONG);
    }
    Expression e = read_expression(dir.file("m.h5"));
    EXPECT_EQ(e.genes, genes) << "padding " << pad;
    EXPECT_EQ(e.cells, cells) << "padding " << pad;
  }
}

TEST(PlainHdf5Reader, BothOrientationsAndErrors) {
  test::ScratchDir dir;
  {
    auto lock = detail::hdf5_lock();
    H5Id f(H5Fcreate(dir.file("plain.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    H5Id g = group(f, "data");
    dataset(g, "counts", H5T_IEEE_F64LE, {2, 3}, kValues.data(), H5T_NATIVE_DOUBLE);
    std::vector<float> t = {1, 0, 0, 3, 2.5f, 0};
    dataset(g, "counts_t", H5T_IEEE_F32LE, {3, 2}, t.data(), H5T_NATIVE_FLOAT);
    detail::write_strings(g, "genes", kGenes);
    detail::write_strings(g, "cells", kCells);
  }
  ReadExpressionOptions o;
  o.dataset = "/data/counts";
  o.genes = "/data/genes";
  o.cells = "/data/cells";
  expect_small(read_expression(dir.file("plain.h5"), o));
  o.dataset = "/data/counts_t";
  o.cells_by_genes = true;
  expect_small(read_expression(dir.file("plain.h5"), o));
  o.cells_by_genes = false;
  test::expect_error([&] { read_expression(dir.file("plain.h5"), o); }, {"plain.h5", "--cells-by-genes"});
  o.dataset = "/data/missing";
  test::expect_error([&] { read_expression(dir.file("plain.h5"), o); }, {"plain.h5", "no dataset '/data/missing'"});
  test::expect_error([&] { read_expression(dir.file("plain.h5")); }, {"plain.h5", "--dataset"});
  ReadExpressionOptions unnamed;
  unnamed.dataset = "/data/counts";
  Expression e = read_expression(dir.file("plain.h5"), unnamed);
  EXPECT_EQ(e.genes, (std::vector<std::string>{"gene_1", "gene_2"}));
}

/// A 10x v3 file: genes x cells CSC over kGenes + an antibody feature, with ids and types.
void write_10x_v3(const std::string& path, const std::vector<std::string>& names) {
  auto lock = detail::hdf5_lock();
  H5Id f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  H5Id m = group(f, "matrix");
  H5Id feat = group(m, "features");
  detail::write_strings(feat, "name", names);
  detail::write_strings(feat, "id", {"ENS1", "ENS2", "AB1"});
  detail::write_strings(feat, "feature_type", {"Gene Expression", "Gene Expression", "Antibody Capture"});
  detail::write_strings(m, "barcodes", kCells);
  std::vector<long long> shape = {3, 3};
  dataset(m, "shape", H5T_STD_I64LE, {2}, shape.data(), H5T_NATIVE_LLONG);
  // cells: A = {g0: 1, ab: 7}, B = {g1: 3}, C = {g0: 5}
  std::vector<int> data = {1, 7, 3, 5};
  dataset(m, "data", H5T_STD_I32LE, {4}, data.data(), H5T_NATIVE_INT);
  dataset(m, "indices", H5T_STD_I64LE, {4}, std::vector<long long>{0, 2, 1, 0}.data(), H5T_NATIVE_LLONG);
  dataset(m, "indptr", H5T_STD_I64LE, {4}, std::vector<long long>{0, 2, 3, 4}.data(), H5T_NATIVE_LLONG);
}

TEST(TenXReader, FeatureTypesGeneColumnsAndDuplicateSymbols) {
  test::ScratchDir dir;
  write_10x_v3(dir.file("v3.h5"), {"Sox2", "Nanog", "CD3"});
  Expression e = read_expression(dir.file("v3.h5"));
  EXPECT_EQ(e.genes, kGenes) << "Antibody Capture features are not genes";
  EXPECT_EQ(e.values, (std::vector<double>{1, 0, 5, 0, 3, 0}));
  ReadExpressionOptions o;
  o.feature_type = "all";
  EXPECT_EQ(read_expression(dir.file("v3.h5"), o).n_genes(), 3u);
  o.feature_type = "Gene Expression";
  o.gene_column = "ids";
  EXPECT_EQ(read_expression(dir.file("v3.h5"), o).genes, (std::vector<std::string>{"ENS1", "ENS2"}));
  o.feature_type = "CRISPR";
  test::expect_error([&] { read_expression(dir.file("v3.h5"), o); }, {"no feature of type 'CRISPR'"});
  // GRCh38 has repeated symbols: an error that names the way out, or suffixes on request.
  write_10x_v3(dir.file("dup.h5"), {"TBCE", "TBCE", "CD3"});
  test::expect_error([&] { read_expression(dir.file("dup.h5")); }, {"duplicate gene name 'TBCE'", "--make-unique"});
  ReadExpressionOptions u;
  u.make_unique = true;
  EXPECT_EQ(read_expression(dir.file("dup.h5"), u).genes, (std::vector<std::string>{"TBCE", "TBCE-1"}));
}

TEST(TenXReader, ReadsTheV2Layout) {
  test::ScratchDir dir;
  {
    auto lock = detail::hdf5_lock();
    H5Id f(H5Fcreate(dir.file("v2.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    H5Id m = group(f, "GRCh38");
    detail::write_strings(m, "gene_names", kGenes);
    detail::write_strings(m, "genes", {"ENS1", "ENS2"});
    detail::write_strings(m, "barcodes", kCells);
    std::vector<int> shape = {2, 3};
    dataset(m, "shape", H5T_STD_I32LE, {2}, shape.data(), H5T_NATIVE_INT);
    std::vector<int> data = {1, 3, 5};
    dataset(m, "data", H5T_STD_I32LE, {3}, data.data(), H5T_NATIVE_INT);
    dataset(m, "indices", H5T_STD_I64LE, {3}, std::vector<long long>{0, 1, 0}.data(), H5T_NATIVE_LLONG);
    dataset(m, "indptr", H5T_STD_I64LE, {4}, std::vector<long long>{0, 1, 2, 3}.data(), H5T_NATIVE_LLONG);
  }
  EXPECT_EQ(detect_expr_format(dir.file("v2.h5")), ExprFormat::TenX);
  Expression e = read_expression(dir.file("v2.h5"));
  EXPECT_EQ(e.genes, kGenes);
  EXPECT_EQ(e.cells, kCells);
  EXPECT_EQ(e.values, (std::vector<double>{1, 0, 5, 0, 3, 0}));
}

TEST(MtxReader, CellRangerFolderV3AndV2) {
  test::ScratchDir dir;
  const std::string mtx = "%%MatrixMarket matrix coordinate real general\n%metadata_json: {}\n3 3 4\n1 1 1\n3 1 7\n2 2 3\n1 3 2.5\n";
  std::filesystem::create_directories(dir.file("v3"));
  write_gz(dir.file("v3/matrix.mtx.gz"), mtx);
  write_gz(dir.file("v3/features.tsv.gz"), "ENS1\tSox2\tGene Expression\nENS2\tNanog\tGene Expression\nAB1\tCD3\tAntibody Capture\n");
  write_gz(dir.file("v3/barcodes.tsv.gz"), "A\nB\nC\n");
  EXPECT_EQ(detect_expr_format(dir.file("v3")), ExprFormat::Mtx);
  expect_small(read_expression(dir.file("v3")));
  expect_small(read_expression(dir.file("v3/matrix.mtx.gz")));
  std::filesystem::create_directories(dir.file("v2"));
  write_text(dir.file("v2/matrix.mtx"), "%%MatrixMarket matrix coordinate real general\n2 3 3\n1 1 1\n2 2 3\n1 3 2.5\n");
  write_text(dir.file("v2/genes.tsv"), "ENS1\tSox2\nENS2\tNanog\n");
  write_text(dir.file("v2/barcodes.tsv"), "A\nB\nC\n");
  Expression e = read_expression(dir.file("v2"));
  EXPECT_EQ(e.genes, kGenes);
  EXPECT_EQ(e.values, (std::vector<double>{1, 0, 2.5, 0, 3, 0}));
  write_text(dir.file("v2/matrix.mtx"), "%%MatrixMarket matrix coordinate real general\n2 3 1\n4 1 1\n");
  test::expect_error([&] { read_expression(dir.file("v2")); }, {"matrix.mtx line 3", "outside the 2 x 3 matrix"});
}

TEST(LoomReader, GenesByCellsWithRowAndColumnAttributes) {
  test::ScratchDir dir;
  {
    auto lock = detail::hdf5_lock();
    H5Id f(H5Fcreate(dir.file("x.loom").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    dataset(f, "matrix", H5T_IEEE_F32LE, {2, 3}, std::vector<float>{1, 0, 2.5f, 0, 3, 0}.data(), H5T_NATIVE_FLOAT);
    H5Id rows = group(f, "row_attrs");
    detail::write_strings(rows, "Gene", kGenes);
    H5Id cols = group(f, "col_attrs");
    detail::write_strings(cols, "CellID", kCells);
  }
  expect_small(read_expression(dir.file("x.loom")));
}

TEST(H5adReader, LayersRawAndGeneColumnsPlainOrCategorical) {
  test::ScratchDir dir;
  {
    auto lock = detail::hdf5_lock();
    H5Id f(H5Fcreate(dir.file("a.h5ad").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    H5Id var = group(f, "var");
    detail::write_string_attr(var, "_index", "_index");
    detail::write_strings(var, "_index", {"ENS1", "ENS2"});
    detail::write_strings(var, "symbol", kGenes);
    H5Id cat = group(var, "cat_symbol");  // anndata >= 0.8 categorical: codes into categories
    detail::write_strings(cat, "categories", {"Nanog", "Sox2"});
    dataset(cat, "codes", H5T_STD_I8LE, {2}, std::vector<signed char>{1, 0}.data(), H5T_NATIVE_SCHAR);
    H5Id obs = group(f, "obs");
    detail::write_string_attr(obs, "_index", "_index");
    detail::write_strings(obs, "_index", kCells);
    std::vector<double> logged = {0.5, 0, 0, 0.5, 0.5, 0};
    dataset(f, "X", H5T_IEEE_F64LE, {3, 2}, logged.data(), H5T_NATIVE_DOUBLE);
    H5Id layers = group(f, "layers");
    std::vector<double> x = {1, 0, 0, 3, 2.5, 0};
    dataset(layers, "counts", H5T_IEEE_F64LE, {3, 2}, x.data(), H5T_NATIVE_DOUBLE);
    H5Id raw = group(f, "raw");
    H5Id rvar = group(raw, "var");
    detail::write_string_attr(rvar, "_index", "_index");
    detail::write_strings(rvar, "_index", {"Sox2", "Nanog", "Extra"});
    std::vector<double> rx = {1, 0, 9, 0, 3, 9, 2.5, 0, 9};
    dataset(raw, "X", H5T_IEEE_F64LE, {3, 3}, rx.data(), H5T_NATIVE_DOUBLE);
  }
  ReadExpressionOptions o;
  o.layer = "counts";
  o.gene_column = "symbol";
  expect_small(read_expression(dir.file("a.h5ad"), o));
  o.gene_column = "cat_symbol";
  expect_small(read_expression(dir.file("a.h5ad"), o));
  ReadExpressionOptions r;
  r.layer = "raw";
  Expression e = read_expression(dir.file("a.h5ad"), r);
  EXPECT_EQ(e.genes, (std::vector<std::string>{"Sox2", "Nanog", "Extra"}));
  EXPECT_EQ(e.row(2)[1], 9.0);
  EXPECT_EQ(read_expression(dir.file("a.h5ad")).genes, (std::vector<std::string>{"ENS1", "ENS2"}));
  ReadExpressionOptions bad;
  bad.layer = "spliced";
  test::expect_error([&] { read_expression(dir.file("a.h5ad"), bad); }, {"a.h5ad", "no '/layers/spliced'"});
  bad.layer = "";
  bad.gene_column = "gene_symbols";
  test::expect_error([&] { read_expression(dir.file("a.h5ad"), bad); }, {"/var has no column 'gene_symbols'"});
}

TEST(Expression, MakeUniqueFollowsAnndata) {
  // Reference: anndata.utils.make_index_unique(pd.Index(["a", "a", "a-1", "b", "a", "b"])) (anndata 0.8)
  std::vector<std::string> names = {"a", "a", "a-1", "b", "a", "b"};
  EXPECT_EQ(make_names_unique(names), 3u);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "a-2", "a-1", "b", "a-3", "b-1"}));
}

TEST(Expression, DuplicateCellsAreAnErrorAndTheLookSpotsTranspositionAndLogs) {
  Expression e;
  e.genes = {"AAACCTGAGAAACCAT-1", "AAACCTGAGAAACCGC-1", "Sox2"};
  e.cells = {"x", "y", "x"};
  e.values = {0.5, 1.2, 0, 0, 0.3, 0, 1, 1, 1};
  test::expect_error([&] { validate_expression(e, "m.csv"); }, {"duplicate cell name 'x'", "--make-unique"});
  ExpressionLook look = look_at(e);
  EXPECT_NEAR(look.barcode_rows, 2.0 / 3, 1e-12);
  EXPECT_FALSE(look.all_integers);
  EXPECT_EQ(look.max_value, 1.2);
  undo_log1p(e);
  EXPECT_NEAR(e.values[0], std::exp(0.5) - 1, 1e-15);
}

}  // namespace
}  // namespace drim
