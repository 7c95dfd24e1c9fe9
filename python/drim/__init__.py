"""drim: DeepDRIM gene regulatory networks from single-cell RNA-seq, from Python.

The same C++ libraries as the command-line tools (no second implementation): images equal
``drim-images``'s, a model trained here is the model ``drim-train`` writes with the same seed,
and ``Model.predict`` ranks edges as ``drim-predict`` does.

    import anndata, drim
    adata = anndata.read_h5ad("data/demo/expression.h5ad")
    model = drim.train(adata, pairs="data/demo/pairs.tsv", epochs=4, seed=1)
    edges = model.predict(adata, tfs=open("data/demo/tfs.txt").read().split(), top=100)

Data (``data``) is an AnnData (cells x genes; ``X`` or ``layer=``, dense or sparse), a numpy
array or scipy sparse matrix of cells x genes with ``genes=`` (and optionally ``cells=``), or a
path to any file the command-line tools read. Values should be counts (``input_scale="counts"``,
the default) or natural-log1p data (``input_scale="log1p"``, scanpy's ``pp.log1p``).

Errors raise ``drim.Error`` (a RuntimeError) with the command-line tools' messages, or
``drim.UsageError`` (a ValueError) for bad arguments. Progress goes to the ``drim`` logger.
"""
import json
import logging
import os
import warnings

import numpy as np

from . import _drim
from ._drim import Error, UsageError

__version__ = _drim.__version__
__all__ = ["Error", "UsageError", "Model", "expression", "images", "train", "cv", "load_model", "preset_names"]

log = logging.getLogger("drim")


def _sparse_csr(x):
    """The CSR form of a scipy sparse matrix (no copy when it is CSR already), or None."""
    try:
        import scipy.sparse as sp
    except ImportError:
        return None
    if not sp.issparse(x):
        return None
    return x if x.format == "csr" else x.tocsr()


def expression(data, genes=None, cells=None, layer=None, input_scale="counts", make_unique=False, **read_options):
    """drim's genes x cells matrix (``_drim.Matrix``) from an AnnData, an array or a path.

    A dense numpy array (float32/64 or integer, any order) and a CSR matrix are read in place,
    not copied (``matrix.is_view``); a CSC matrix is converted to CSR first, a file is read.
    ``read_options`` go to the file readers as on the command line (``format``, ``dataset``,
    ``gene_column``, ``feature_type``, ``cells_by_genes``, ...); ``layer="raw"`` reads ``raw``.
    Warnings (values that look log-transformed, rows that look like barcodes) are Python warnings.
    """
    if isinstance(data, _drim.Matrix):
        return data
    if isinstance(data, (str, os.PathLike)):
        source = os.fspath(data)
        expr = _drim.read_expression(source, layer=layer or "", make_unique=make_unique, **read_options)
    else:
        if read_options:
            raise UsageError("reader options %s apply to files only" % sorted(read_options))
        source = "matrix"
        if hasattr(data, "var_names") and hasattr(data, "obs_names"):  # AnnData
            source = "AnnData"
            if layer == "raw":
                x, genes = data.raw.X, list(map(str, data.raw.var_names))
            elif layer:
                x, genes = data.layers[layer], list(map(str, data.var_names))
            else:
                x, genes = data.X, list(map(str, data.var_names))
            cells = list(map(str, data.obs_names))
        else:
            x = data
            if genes is None:
                raise UsageError("give genes= (one name per column) with a matrix")
            genes = list(map(str, genes))
        n_cells = x.shape[0]
        cells = list(map(str, cells)) if cells is not None else ["cell_%d" % (i + 1) for i in range(n_cells)]
        csr = _sparse_csr(x)
        if csr is not None:
            expr = _drim.expression_from_csr(csr.data, csr.indices, csr.indptr, genes, cells, source, make_unique)
        else:
            expr = _drim.expression_from_dense(np.asarray(x), genes, cells, source, make_unique)
    for w in _drim.apply_input_scale(expr, input_scale):
        warnings.warn(w, stacklevel=2)
    return expr


def _pairs(pairs):
    """(tfs, targets, labels or []) from a path, a DataFrame (tf, target[, label]) or tuples."""
    if pairs is None:
        return [], [], []
    if isinstance(pairs, (str, os.PathLike)):
        tfs, targets, labels = _drim.read_pairs(os.fspath(pairs))
        return list(tfs), list(targets), list(labels)
    if hasattr(pairs, "columns"):  # DataFrame
        cols = list(pairs.columns)
        tf_col = "tf" if "tf" in cols else cols[0]
        target_col = "target" if "target" in cols else cols[1]
        labels = list(map(int, pairs["label"])) if "label" in cols else []
        return list(map(str, pairs[tf_col])), list(map(str, pairs[target_col])), labels
    rows = list(pairs)
    tfs = [str(r[0]) for r in rows]
    targets = [str(r[1]) for r in rows]
    labels = [int(r[2]) for r in rows] if rows and len(rows[0]) > 2 else []
    return tfs, targets, labels


def _names(names):
    if names is None:
        return []
    if isinstance(names, (str, os.PathLike)):
        return list(_drim.read_names(os.fspath(names)))
    return list(map(str, names))


def images(data, pairs, neighbors=10, primary_only=False, exclude_self=False, ignore_case=False, threads=0, **expression_options):
    """DeepDRIM images of the pairs, float32 [pairs, 2n + 3, 32, 32] (1 image with primary_only).

    Image order per pair: I(a,b); I(a,a); I(b,b); I(a, nA_1..n); I(nB_1..n, b), exactly as
    ``drim-images`` writes them.
    """
    expr = expression(data, **expression_options)
    tfs, targets, _ = _pairs(pairs)
    return _drim.images(expr, tfs, targets, neighbors, primary_only, exclude_self, ignore_case, threads)


class Model:
    """A trained network: ``predict``, ``save``, and ``meta`` (the model file's metadata)."""

    def __init__(self, handle):
        self._m = handle

    @property
    def meta(self):
        return json.loads(self._m.meta_json)

    def save(self, path):
        """Writes the model file ``drim-predict --model`` reads."""
        self._m.save(os.fspath(path))

    def predict(self, data, tfs=None, targets=None, pairs=None, top=0, min_score=0.0, cache=True, batch=256, threads=0,
                device="auto", skip_missing=False, **expression_options):
        """Scores every TF against every target (self pairs excluded), or the given pairs; returns
        a pandas DataFrame (tf, target, score), best first, as ``drim-predict`` ranks it."""
        import pandas as pd
        expr = expression(data, **expression_options)
        pair_tfs, pair_targets, _ = _pairs(pairs)
        tf, target, score = self._m.predict(expr, _names(tfs), _names(targets), pair_tfs, pair_targets, top, min_score, cache,
                                            batch, threads, device, skip_missing)
        return pd.DataFrame({"tf": tf, "target": target, "score": score})

    def __repr__(self):
        m = self.meta
        return "drim.Model(%s, n=%s, %s parameters, preset %s)" % (m.get("kind"), m.get("neighbors"), m.get("parameters"),
                                                                   m.get("preset"))


def load_model(path):
    """A model file written by drim-train or Model.save."""
    return Model(_drim.load_model(os.fspath(path)))


def preset_names():
    return list(_drim.preset_names())


def _pair_source(pairs, network, tfs, negatives, negative_ratio, max_positives, skip_missing):
    src = _drim.PairSource()
    src.pair_tfs, src.pair_targets, src.labels = _pairs(pairs)
    src.net_tfs, src.net_targets, _ = _pairs(network)
    src.tfs = _names(tfs)
    src.negatives, src.negative_ratio, src.max_positives, src.skip_missing = negatives, negative_ratio, max_positives, skip_missing
    return src


def train(data, pairs=None, network=None, tfs=None, preset="drim", model="deepdrim", neighbors=10, exclude_self=False,
          neighbor_pool="all", neighbor_rank="covariance", conditional=0, val_fraction=0.2, negatives="uniform", negative_ratio=1.0, max_positives=0, seed=42, threads=0, device="auto",
          skip_missing=False, layer=None, input_scale="counts", expression_options=None, **options):
    """Trains DeepDRIM (``model="cnnc"``: CNNC) as drim-train does and returns a Model.

    Labelled ``pairs`` (path, DataFrame tf/target/label, or (tf, target, label) tuples), or
    positives from ``network`` (pairs without labels) with ``tfs``, negatives drawn per TF.
    ``options`` are the recipe options under their command-line names (``epochs``, ``lr``,
    ``optimizer``, ``tower_dropout``, ``norm``, ...); the preset sets the others. ``layer`` and
    ``input_scale`` (and ``expression_options``) choose the data as in ``drim.expression``.
    ``neighbor_pool`` ("all", "tfs" or a gene-list path), ``neighbor_rank`` ("covariance" or
    "correlation") and ``conditional`` (K conditioning genes, 0 = off) are drim-train's
    --neighbor-pool, --neighbor-rank and --conditional.
    """
    expr = expression(data, layer=layer, input_scale=input_scale, **(expression_options or {}))
    src = _pair_source(pairs, network, tfs, negatives, negative_ratio, max_positives, skip_missing)
    source = os.fspath(data) if isinstance(data, (str, os.PathLike)) else type(data).__name__

    def on_epoch(record):
        r = json.loads(record)
        log.info("epoch %3d  loss %.4f  acc %.3f  val_auroc %.3f  %.1fs", r["epoch"], r["loss"], r["accuracy"],
                 r.get("val_auroc", float("nan")), r["seconds"])

    handle = _drim.train(expr, src, json.dumps(options), preset, model, neighbors, exclude_self, os.fspath(neighbor_pool), neighbor_rank,
                         conditional, val_fraction, seed, threads, device, source, on_epoch)
    return Model(handle)


def cv(data, pairs=None, network=None, tfs=None, folds=3, split="tf", with_cnnc=False, train_fraction=1.0, preset="drim", neighbors=10,
       exclude_self=False, neighbor_pool="all", neighbor_rank="covariance", conditional=0, val_fraction=0.2, negatives="uniform", negative_ratio=1.0, max_positives=0, seed=42, threads=0,
       device="auto", layer=None, input_scale="counts", expression_options=None, **options):
    """TF-disjoint cross-validation as drim-cv runs it. Returns the report as a dict (the keys of
    drim-cv's report.json: ``methods.<name>.auroc|auprc|epr|median_tf_auroc|per_tf|auroc_within_in_degree``,
    ``folds``, ``options``) with ``report["scores"]``, a DataFrame of every pair's held-out score
    per method (tf, target, label, fold, deepdrim, pearson, ..., in_degree). ``split`` is
    drim-cv's --split: tf, target, both or pair; ``neighbor_pool``, ``neighbor_rank`` and
    ``conditional`` are its --neighbor-pool, --neighbor-rank and --conditional."""
    import pandas as pd
    expr = expression(data, layer=layer, input_scale=input_scale, **(expression_options or {}))
    src = _pair_source(pairs, network, tfs, negatives, negative_ratio, max_positives, False)

    def on_epoch(fold, model, record):
        r = json.loads(record)
        log.info("fold %d, %s, epoch %3d: loss %.4f  val_auroc %.3f  %.1fs", fold + 1, model, r["epoch"], r["loss"],
                 r.get("val_auroc", float("nan")), r["seconds"])

    report, scores = _drim.cross_validate(expr, src, json.dumps(options), preset, folds, split, with_cnnc, train_fraction, neighbors,
                                          exclude_self, os.fspath(neighbor_pool), neighbor_rank, conditional, val_fraction, seed, threads, device,
                                          on_epoch)
    report = json.loads(report)
    report["scores"] = pd.DataFrame(dict(scores))
    return report
