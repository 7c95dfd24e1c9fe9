"""A notebook-style walk through drim's Python API on the demo data: load an AnnData, train
DeepDRIM, predict every TF x gene pair, check the top edges against the known network, plot.
Run: PYTHONPATH=build/python /usr/bin/python3 scripts/example_api.py [--epochs 4] [--out out/example]
(scripts/test.sh runs it with 1 epoch where anndata and matplotlib are installed.)"""
import argparse
import logging
import os

import anndata
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

import drim

ap = argparse.ArgumentParser()
ap.add_argument("--demo", default="data/demo")
ap.add_argument("--epochs", type=int, default=4)
ap.add_argument("--out", default="out/example")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

# 1. The data: any AnnData (cells x genes; counts in X or in a layer).
adata = anndata.read_h5ad(f"{args.demo}/expression.h5ad")
tfs = [line.strip() for line in open(f"{args.demo}/tfs.txt") if line.strip()]
print(f"{adata.n_obs} cells x {adata.n_vars} genes, {len(tfs)} TFs")

# 2. Train on known TF-target edges; negatives are drawn per TF among its non-targets.
network = pd.read_csv(f"{args.demo}/network.csv")[["Gene1", "Gene2"]]
model = drim.train(adata, network=network, tfs=tfs, epochs=args.epochs, seed=1)
print(model, "best epoch metrics:", model.meta["metrics"])
model.save(f"{args.out}/model.pt")  # drim-predict --model reads it too

# 3. Score every TF against every gene: a DataFrame, best first.
edges = model.predict(adata, tfs=tfs)
edges.to_csv(f"{args.out}/edges.tsv", sep="\t", index=False)
truth = set(zip(network.Gene1, network.Gene2))
edges["true"] = [(a, b) in truth for a, b in zip(edges.tf, edges.target)]
top = edges.head(100)
chance = len(truth & set(zip(edges.tf, edges.target))) / len(edges) * 100
print(f"true edges among the top 100: {int(top.true.sum())} (chance: about {chance:.0f})")

# 4. Plot: the score distribution of true and other pairs, and precision along the ranking.
fig, ax = plt.subplots(1, 2, figsize=(10, 4))
ax[0].hist([edges.score[edges.true], edges.score[~edges.true]], bins=40, density=True, label=["network edges", "other pairs"])
ax[0].set_xlabel("score")
ax[0].legend()
k = range(1, len(edges) + 1)
ax[1].plot(k, edges.true.cumsum() / pd.Series(k), label="precision at k")
ax[1].set_xscale("log")
ax[1].set_xlabel("k (edges, best first)")
ax[1].legend()
fig.tight_layout()
fig.savefig(f"{args.out}/example.png", dpi=100)
print(f"wrote {args.out}/model.pt, edges.tsv and example.png")
