#!/usr/bin/env python3
"""Writes a synthetic plain-HDF5 matrix (genes x cells, float32) for scaling benchmarks."""
import sys
import numpy as np
import h5py

genes, cells, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(0)
with h5py.File(path, "w") as f:
    d = f.create_dataset("X", (genes, cells), dtype="f4", chunks=(256, cells))
    for g0 in range(0, genes, 1000):
        n = min(1000, genes - g0)
        block = rng.lognormal(0.0, 1.0, size=(n, cells)).astype("f4")
        block[rng.random((n, cells)) < 0.6] = 0
        d[g0:g0 + n] = block
