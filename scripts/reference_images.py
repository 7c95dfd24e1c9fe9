#!/usr/bin/env python3
"""The DeepDRIM image recipe in numpy, written straight from ../shared/docs/deepdrim-reference.md
(sections 1-2), used as an independent reference for drim-images.

  reference_images.py compare --expr E.csv.gz --pairs P.tsv --images drim.h5 [--neighbors 10]
      rebuilds every pair's images with numpy.histogram2d / np.cov and prints the max abs difference
  reference_images.py bench --expr E.csv.gz --pairs P.tsv [--neighbors 10]
      times the numpy recipe and prints one JSON line with pairs/s
"""
import argparse, gzip, json, sys, time
import numpy as np


def load_csv(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        header = f.readline().rstrip("\n").split(",")
        genes, rows = [], []
        for line in f:
            parts = line.rstrip("\n").split(",")
            genes.append(parts[0].strip('"'))
            rows.append([float(v) for v in parts[1:]])
    return genes, np.array(rows, dtype=np.float64)


def load_pairs(path):
    pairs = []
    with open(path) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            parts = line.replace(",", " ").split()
            if parts[0].lower() in ("gene1", "tf"):
                continue
            pairs.append((parts[0], parts[1]))
    return pairs


def image(xa, xb):
    """Reference primary image: histogram2d with per-gene ranges, transposed, log-normalised."""
    h, _, _ = np.histogram2d(xa, xb, bins=32)
    h = h.T
    return (np.log10(h / len(xa) + 10 ** -4) + 4) / 4


def neighbours(expr, n):
    cov = np.cov(expr)  # ddof=1, over cells, loaded values
    return np.argsort(-cov, axis=1, kind="stable")[:, :n]  # ties by gene index


def pair_images(logx, nb, a, b, n):
    imgs = [image(logx[a], logx[b]), image(logx[a], logx[a]), image(logx[b], logx[b])]
    imgs += [image(logx[a], logx[k]) for k in nb[a][:n]]
    imgs += [image(logx[k], logx[b]) for k in nb[b][:n]]
    return np.stack(imgs).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["compare", "bench"])
    ap.add_argument("--expr", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--images")
    ap.add_argument("--neighbors", type=int, default=10)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    genes, expr = load_csv(args.expr)
    idx = {g: i for i, g in enumerate(genes)}
    pairs = load_pairs(args.pairs)
    if args.limit:
        pairs = pairs[: args.limit]
    t0 = time.perf_counter()
    logx = np.log10(expr + 10 ** -2)
    nb = neighbours(expr, args.neighbors)
    t1 = time.perf_counter()
    out = [pair_images(logx, nb, idx[a], idx[b], args.neighbors) for a, b in pairs]
    t2 = time.perf_counter()
    if args.mode == "bench":
        print(json.dumps({"tool": "numpy-reference", "pairs": len(pairs), "prepare_seconds": t1 - t0,
                          "image_seconds": t2 - t1, "image_pairs_per_s": len(pairs) / (t2 - t1)}))
        return
    import h5py
    with h5py.File(args.images, "r") as f:
        drim = f["images"][:]
        if drim.dtype.kind in "ui":  # --store counts: pixels = pixel_lut[counts]
            drim = f["images"].attrs["pixel_lut"][drim]
        tf = [s.decode() if isinstance(s, bytes) else s for s in f["tf"][:]]
        tg = [s.decode() if isinstance(s, bytes) else s for s in f["target"][:]]
    if [(a, b) for a, b in pairs] != list(zip(tf, tg))[: len(pairs)]:
        sys.exit("pair order differs between the pair list and the images file")
    ref = np.stack(out)
    drim = drim[: len(pairs)]
    diff = np.abs(ref - drim)
    worst = np.unravel_index(np.argmax(diff), diff.shape)
    bad_images = int((diff.reshape(diff.shape[0] * diff.shape[1], -1).max(axis=1) > 1e-6).sum())
    print(json.dumps({"pairs": len(pairs), "images": int(diff.shape[0] * diff.shape[1]),
                      "max_abs_diff": float(diff.max()), "images_over_1e-6": bad_images,
                      "worst_index": [int(i) for i in worst]}))
    sys.exit(0 if diff.max() < 1e-6 else 1)


if __name__ == "__main__":
    main()
