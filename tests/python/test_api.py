"""The Python API against the command-line tools on the demo: the same images, the same trained
model, the same ranked edges, bit for bit; CSR and dense AnnData alike; the CLI's error messages.
Usage: PYTHONPATH=build/python python3 tests/python/test_api.py BUILD_DIR DEMO_DIR"""
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

BUILD, DEMO = sys.argv[1], sys.argv[2]
del sys.argv[1:3]

try:
    import anndata
    import h5py
    import pandas
    import scipy.sparse as sp
except ImportError as e:  # pragma: no cover
    anndata = None
    MISSING = str(e)

import drim


def run(*args):
    return subprocess.run([os.path.join(BUILD, args[0])] + list(args[1:]), capture_output=True, text=True)


@unittest.skipIf(anndata is None, "anndata/h5py/pandas/scipy not installed")
class Api(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.d = cls.tmp.name
        cls.h5ad = os.path.join(DEMO, "expression.h5ad")
        cls.pairs = os.path.join(DEMO, "pairs.tsv")
        cls.tfs = os.path.join(DEMO, "tfs.txt")
        cls.adata = anndata.read_h5ad(cls.h5ad)

    def test_images_equal_drim_images(self):
        out = os.path.join(self.d, "img.h5")
        r = run("drim-images", "--expr", self.h5ad, "--pairs", self.pairs, "--neighbors", "3", "--out", out, "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(out) as f:
            want = f["images"][:]
        got = drim.images(self.adata, self.pairs, neighbors=3)
        self.assertEqual(got.dtype, np.float32)
        self.assertEqual(got.shape, want.shape)
        self.assertTrue(np.array_equal(got, want))
        # The file path reads through the same readers.
        self.assertTrue(np.array_equal(drim.images(self.h5ad, self.pairs, neighbors=3), want))

    def test_csr_csc_and_dense_alike(self):
        dense = anndata.AnnData(np.asarray(self.adata.X, dtype=np.float32), obs=self.adata.obs, var=self.adata.var)
        csr = anndata.AnnData(sp.csr_matrix(dense.X), obs=self.adata.obs, var=self.adata.var)
        csc = anndata.AnnData(sp.csc_matrix(dense.X), obs=self.adata.obs, var=self.adata.var)
        pairs = [("TF1", "G10"), ("TF2", "TF1"), ("G5", "G5")]
        a = drim.images(dense, pairs, neighbors=2)
        self.assertTrue(np.array_equal(a, drim.images(csr, pairs, neighbors=2)))
        self.assertTrue(np.array_equal(a, drim.images(csc, pairs, neighbors=2)))
        # A plain cells x genes array with names.
        b = drim.images(dense.X, pairs, neighbors=2, genes=list(dense.var_names))
        self.assertTrue(np.array_equal(a, b))
        e = drim.expression(csr)
        self.assertTrue(e.is_view)  # read in place, not copied
        self.assertEqual((e.n_genes, e.n_cells), (dense.n_vars, dense.n_obs))
        self.assertTrue(np.array_equal(e.values(), np.asarray(dense.X, dtype=np.float64).T))
        self.assertTrue(drim.expression(dense).is_view)
        self.assertFalse(drim.expression(self.h5ad).is_view)
        # Fortran order and a strided slice are read through their strides.
        f = np.asfortranarray(dense.X)
        self.assertTrue(np.array_equal(a, drim.images(f, pairs, neighbors=2, genes=list(dense.var_names))))
        wide = np.zeros((dense.n_obs, 2 * dense.n_vars), dtype=np.float32)
        wide[:, ::2] = dense.X
        self.assertTrue(np.array_equal(a, drim.images(wide[:, ::2], pairs, neighbors=2, genes=list(dense.var_names))))
        # log1p data: undone on the fly exactly as --input-scale log1p undoes it in the tools.
        logged = anndata.AnnData(np.log1p(dense.X), obs=self.adata.obs, var=self.adata.var)
        back = drim.expression(logged, input_scale="log1p").values()
        # The C library's expm1 (math.expm1, as std::expm1 in drim): numpy's own can differ in the last
        # bit (its SIMD kernels on AVX-512 machines).
        want = np.vectorize(math.expm1)(np.log1p(dense.X).astype(np.float64)).T
        self.assertTrue(np.array_equal(back, want))
        # A CSR matrix with a repeated entry adds it up, as scipy does.
        dup = sp.csr_matrix((np.array([1.0, 2.0, 5.0]), np.array([0, 0, 1]), np.array([0, 2, 3])), shape=(2, 2))
        self.assertTrue(np.array_equal(drim.expression(dup, genes=["a", "b"]).values(), dup.toarray().T))

    def test_errors_carry_the_cli_message(self):
        bad = os.path.join(self.d, "bad_pairs.tsv")
        with open(bad, "w") as f:
            f.write("TF1\tNoSuchGene\n")
        r = run("drim-images", "--expr", self.h5ad, "--pairs", bad, "--out", os.path.join(self.d, "x.h5"))
        self.assertEqual(r.returncode, 1)
        with self.assertRaises(drim.Error) as cm:
            drim.images(self.adata, [("TF1", "NoSuchGene")])
        self.assertIn("NoSuchGene", str(cm.exception))
        # The message after the source name is the CLI's, word for word.
        cli_error = [line for line in r.stderr.splitlines() if " error " in line][0]
        self.assertTrue(cli_error.endswith(str(cm.exception).split(": ", 1)[1]), (cli_error, str(cm.exception)))
        with self.assertRaises(drim.UsageError):
            drim.train(self.adata, pairs=self.pairs, epochs=1, no_such_option=3)
        with self.assertRaises(drim.Error) as cm:
            drim.train(self.adata, pairs=[("TF1", "G10", 1), ("TF2", "G11", 1)], epochs=1)
        self.assertIn("every pair is labelled 1", str(cm.exception))
        negative = anndata.AnnData(-np.ones((3, 2), dtype=np.float32))
        with self.assertRaises(drim.Error):
            drim.expression(negative)

    def test_train_and_predict_equal_the_cli(self):
        opts = dict(epochs=1, neighbors=1, seed=7, threads=2, pretrain_pairs=256)
        cli_model = os.path.join(self.d, "cli.pt")
        r = run("drim-train", "--expr", self.h5ad, "--pairs", self.pairs, "--epochs", "1", "--neighbors", "1", "--seed", "7",
                "--threads", "2", "--neighbor-pool", "tfs", "--neighbor-rank", "correlation", "--conditional", "2", "--resample-cells",
                "--pretrain-pairs", "256",
                "--out", cli_model,
                "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        model = drim.train(self.adata, pairs=self.pairs, neighbor_pool="tfs", neighbor_rank="correlation", conditional=2,
                           resample_cells=True, **opts)
        pairs = pandas.read_csv(self.pairs, sep="\t", comment="#", header=None)
        self.assertEqual(model.meta["neighbor_pool"], sorted(set(pairs[0]), key=list(self.adata.var_names).index))
        self.assertEqual(model.meta["neighbor_rank"], "correlation")
        self.assertEqual(model.meta["conditional"], 2)
        self.assertEqual(model.meta["preset"], "drim")
        self.assertEqual(model.meta["training"]["epochs"], 1)
        self.assertTrue(model.meta["training"]["resample_cells"])
        py_model = os.path.join(self.d, "py.pt")
        model.save(py_model)
        # Both model files rank every TF x gene pair identically through drim-predict.
        outs = []
        for m in (cli_model, py_model):
            out = os.path.join(self.d, os.path.basename(m) + ".tsv")
            r = run("drim-predict", "--model", m, "--expr", self.h5ad, "--tfs", self.tfs, "--top", "500", "--threads", "2",
                    "--out", out, "--quiet")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out) as f:
                outs.append(f.read())
        self.assertEqual(outs[0], outs[1])
        # Model.predict gives drim-predict's edges and float32 scores exactly.
        df = drim.load_model(cli_model).predict(self.adata, tfs=self.tfs, top=500, threads=2)
        cli = pandas.read_csv(os.path.join(self.d, "cli.pt.tsv"), sep="\t", dtype={"score": np.float32})
        self.assertEqual(list(df.columns), ["tf", "target", "score"])
        self.assertEqual(list(df.tf), list(cli.tf))
        self.assertEqual(list(df.target), list(cli.target))
        self.assertTrue(np.array_equal(df.score.to_numpy(np.float32), cli.score.to_numpy(np.float32)))
        # Explicit pairs.
        few = df.head(5)
        again = model.predict(self.adata, pairs=list(zip(few.tf, few.target)), threads=2)
        self.assertEqual(len(again), 5)

    def test_cv_equals_drim_cv(self):
        small = os.path.join(self.d, "small_pairs.tsv")
        with open(self.pairs) as f, open(small, "w") as out:
            out.writelines(f.readlines()[:301])
        cvdir = os.path.join(self.d, "cv")
        r = run("drim-cv", "--expr", self.h5ad, "--pairs", small, "--folds", "2", "--epochs", "1", "--neighbors", "1", "--seed", "3",
                "--threads", "2", "--pretrain-pairs", "128", "--out", cvdir, "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        report = drim.cv(self.adata, pairs=small, folds=2, epochs=1, neighbors=1, seed=3, threads=2, pretrain_pairs=128)
        cli = pandas.read_csv(os.path.join(cvdir, "scores.tsv"), sep="\t", float_precision="round_trip")
        got = report["scores"]
        self.assertEqual(list(got.tf), list(cli.tf))
        self.assertEqual(list(got.fold), list(cli.fold))
        for m in ("deepdrim", "pearson", "in_degree"):
            self.assertTrue(np.array_equal(got[m].to_numpy(), cli[m].to_numpy()), m)
        import json
        with open(os.path.join(cvdir, "report.json")) as f:
            want = json.load(f)
        for m in ("deepdrim", "pearson", "in_degree"):
            self.assertEqual(report["methods"][m]["auroc"], want["methods"][m]["auroc"], m)
        self.assertEqual(report["options"]["epochs"], 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
