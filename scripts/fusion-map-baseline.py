#!/usr/bin/env python3
"""Label-free baselines from the spatial maps of a bench-fusion run (docs/spatial.md).

Scores every test pair of OUT/seedS/cv/scores.tsv by |Pearson r| of the two genes' maps
(cells binned 32 x 32 over obsm['spatial'], mean log1p expression per bin, no smoothing; empty
bins left out) and prints its pooled AUROC beside the models', and the AUROC of a rank average
of DeepDRIM's score and the maps' |r| (how much the maps could add to DeepDRIM at most so simply),
and the AUROC of DeepDRIM's and image-only's logits added (an ensemble of the two models as trained
apart: what late fusion, --fusion late, could reach without learning anything jointly).
Usage: /usr/bin/python3 scripts/fusion-map-baseline.py out/fusion-ipre/seed1 [...]
"""
import csv
import sys

import h5py
import numpy as np
from scipy.stats import rankdata


def auroc(score, label):
    """Mann-Whitney AUROC, tied scores sharing their average rank."""
    label = np.asarray(label)
    ranks = rankdata(score)
    npos = label.sum()
    nneg = len(label) - npos
    return (ranks[label == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)


def maps(path, bins=32):
    with h5py.File(path, "r") as f:
        x = np.log1p(f["X"][()])
        var = f["var"]
        genes = [g.decode() if isinstance(g, bytes) else g for g in var[var.attrs.get("_index", "_index")][()]]
        xy = f["obsm"]["spatial"][()]
    cell_bin = np.zeros(len(xy), int)
    for axis, scale in ((0, 1), (1, bins)):
        v = xy[:, axis]
        cell_bin += scale * np.clip(((v - v.min()) / (np.ptp(v) + 1e-12) * bins).astype(int), 0, bins - 1)
    count = np.bincount(cell_bin, minlength=bins * bins)
    m = np.stack([np.bincount(cell_bin, weights=x[:, g], minlength=bins * bins) for g in range(x.shape[1])]) / np.maximum(count, 1)
    m = m[:, count > 0]
    m -= m.mean(1, keepdims=True)
    m /= np.linalg.norm(m, axis=1, keepdims=True) + 1e-12
    return {g: i for i, g in enumerate(genes)}, m


for run in sys.argv[1:]:
    index, m = maps(f"{run}/data/expression.h5ad")
    rows = list(csv.DictReader(open(f"{run}/cv/scores.tsv"), delimiter="\t"))
    label = np.array([int(r["label"]) for r in rows])
    map_r = np.array([abs(m[index[r["tf"]]] @ m[index[r["target"]]]) for r in rows])
    line = [f"{k} {auroc([float(r[k]) for r in rows], label):.3f}" for k in ("deepdrim", "image_only", "fusion", "pearson") if k in rows[0]]
    blend = 0.75 * rankdata([float(r["deepdrim"]) for r in rows]) + 0.25 * rankdata(map_r)
    logit = lambda k: np.log(np.clip([float(r[k]) for r in rows], 1e-7, 1 - 1e-7)) - np.log(np.clip([1 - float(r[k]) for r in rows], 1e-7, 1))
    summed = f", logits of deepdrim + image-only {auroc(logit('deepdrim') + logit('image_only'), label):.3f}" if "image_only" in rows[0] else ""
    print(f"{run}: {', '.join(line)}, |map r| {auroc(map_r, label):.3f}, rank average deepdrim 0.75 + |map r| 0.25 {auroc(blend, label):.3f}{summed}")
