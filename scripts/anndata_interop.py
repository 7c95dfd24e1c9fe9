#!/usr/bin/env python3
"""Interop with the real anndata package: files written by anndata (dense and CSR, float32 and
float64) are read back by drim with the same values and names, and drim-convert's output opens with
anndata.read_h5ad unchanged. Exits non-zero on any mismatch."""
import argparse, json, os, subprocess, sys, tempfile
import numpy as np
import pandas as pd
import anndata as ad
import h5py
import scipy.sparse as sp


def drim_convert(bin_dir, src, dst, *extra):
    subprocess.run([f"{bin_dir}/drim-convert", "--expr", src, "--out", dst, "--quiet", *extra], check=True)
    return ad.read_h5ad(dst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build")
    args = ap.parse_args()
    rng = np.random.default_rng(3)
    genes, cells = [f"Gene{i}" for i in range(40)], [f"cell_{i}" for i in range(25)]
    counts = rng.poisson(1.2, size=(25, 40)).astype(np.float32) * rng.random((25, 40), dtype=np.float32)
    checks = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, X in [("dense32", counts), ("dense64", counts.astype(np.float64)),
                        ("csr", sp.csr_matrix(counts)), ("csc", sp.csc_matrix(counts))]:
            a = ad.AnnData(X=X, dtype=X.dtype)
            a.obs_names, a.var_names = cells, genes
            src = os.path.join(tmp, f"{name}.h5ad")
            a.write_h5ad(src)
            back = drim_convert(args.bin, src, os.path.join(tmp, f"{name}.out.h5ad"))
            ok = (list(back.var_names) == genes and list(back.obs_names) == cells
                  and np.array_equal(np.asarray(back.X, dtype=np.float32), counts))
            checks.append((f"anndata {name} -> drim -> anndata", ok))
        # CSV -> h5ad -> anndata
        csv = os.path.join(tmp, "e.csv")
        with open(csv, "w") as f:
            f.write("," + ",".join(cells) + "\n")
            for g, row in zip(genes, counts.T):
                f.write(g + "," + ",".join(repr(float(v)) for v in row) + "\n")
        back = drim_convert(args.bin, csv, os.path.join(tmp, "csv.h5ad"))
        checks.append(("csv -> drim -> anndata", list(back.var_names) == genes and np.array_equal(back.X, counts)))
        # scanpy-style file: log1p in X, counts in layers and raw (with more genes), a categorical
        # var column of symbols; drim reads each on request and undoes log1p exactly.
        a = ad.AnnData(X=np.log1p(counts.astype(np.float64)))
        a.obs_names, a.var_names = cells, [f"ENSG{i:05d}" for i in range(40)]
        a.var["symbol"] = pd.Categorical(genes)
        a.layers["counts"] = sp.csr_matrix(counts)
        a.raw = ad.AnnData(X=np.hstack([counts, counts[:, :5]]), var=pd.DataFrame(index=genes + [f"Extra{i}" for i in range(5)]))
        src = os.path.join(tmp, "scanpy.h5ad")
        a.write_h5ad(src)
        back = drim_convert(args.bin, src, os.path.join(tmp, "layer.h5ad"), "--layer", "counts", "--gene-column", "symbol")
        checks.append(("anndata layers/counts + categorical var column", list(back.var_names) == genes
                       and np.array_equal(np.asarray(back.X, dtype=np.float32), counts)))
        back = drim_convert(args.bin, src, os.path.join(tmp, "raw.h5ad"), "--layer", "raw")
        checks.append(("anndata raw (more genes than X)", back.n_vars == 45 and list(back.var_names[:40]) == genes
                       and np.array_equal(np.asarray(back.X[:, :40], dtype=np.float32), counts)))
        back = drim_convert(args.bin, src, os.path.join(tmp, "log.h5ad"), "--input-scale", "log1p")
        checks.append(("anndata log1p X read with --input-scale log1p", np.allclose(back.X, counts, rtol=1e-12, atol=1e-6)))
        # Spatial: an anndata file with obsm['spatial'] binned by drim-maps equals numpy's bin means
        # of log1p, each map divided by its maximum (no smoothing).
        a = ad.AnnData(X=counts.astype(np.float64))
        a.obs_names, a.var_names = cells, genes
        xy = rng.random((25, 2)) * [3.0, 2.0]
        a.obsm["spatial"] = xy
        src = os.path.join(tmp, "spatial.h5ad")
        a.write_h5ad(src)
        maps = os.path.join(tmp, "maps.h5")
        subprocess.run([f"{args.bin}/drim-maps", "--expr", src, "--spatial-bins", "4", "--smooth", "0", "--out", maps, "--quiet"], check=True)
        bx = np.minimum(3, ((xy[:, 0] - xy[:, 0].min()) / np.ptp(xy[:, 0]) * 4).astype(int))
        by = np.minimum(3, ((xy[:, 1] - xy[:, 1].min()) / np.ptp(xy[:, 1]) * 4).astype(int))
        ref = np.zeros((40, 4, 4))
        for b in set(zip(by, bx)):
            sel = (by == b[0]) & (bx == b[1])
            ref[:, b[0], b[1]] = np.log1p(counts[sel].astype(np.float64)).mean(axis=0)
        top = ref.reshape(40, -1).max(axis=1)
        ref = ref / np.where(top > 0, top, 1)[:, None, None]
        with h5py.File(maps) as f:
            got, names = f["images"][:, 0], [n.decode() for n in f["genes"][:]]
        checks.append(("anndata obsm['spatial'] -> drim-maps = numpy bin means", names == genes and np.allclose(got, ref, atol=1e-6)))
        sim = os.path.join(tmp, "sim")
        subprocess.run([f"{args.bin}/drim-simulate", "spatial", "--genes", "30", "--tfs", "5", "--cells", "50", "--out", sim, "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
        s = ad.read_h5ad(os.path.join(sim, "expression.h5ad"))
        dom = pd.read_csv(os.path.join(sim, "domains.tsv"), sep="\t")
        checks.append(("drim-simulate spatial -> anndata obsm['spatial']", s.obsm["spatial"].shape == (50, 2)
                       and list(dom["cell"]) == list(s.obs_names) and np.allclose(s.obsm["spatial"], dom[["x", "y"]].to_numpy(), atol=1e-5)))
        with h5py.File(os.path.join(tmp, "csv.h5ad")) as f:
            checks.append(("encoding attributes", f.attrs["encoding-type"] == "anndata" and f["X"].attrs["encoding-type"] == "array"))
    for name, ok in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    print(json.dumps({"anndata_version": ad.__version__, "checks": len(checks), "failed": sum(not ok for _, ok in checks)}))
    sys.exit(0 if all(ok for _, ok in checks) else 1)


if __name__ == "__main__":
    main()
