"""The trained models the pipeline uses, loaded lazily, once per process.

Model files live in the repository's ``models/`` folder, installed as the package
``extractor.models``. Each is a NumPy ``.npz`` archive of plain arrays (weights, vocabulary
strings, label names) read with ``allow_pickle=False``: loading executes no code from the
file, and prediction needs NumPy alone, so scikit-learn (about 1.5 s to import) is
imported only to train.
"""

from __future__ import annotations

import functools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent.parent / "models"


def model_dir() -> Path:
    """Folder of the installed model files."""
    try:
        from . import models as _pkg  # installed: extractor.models

        return Path(_pkg.__file__).resolve().parent
    except ImportError:  # pragma: no cover - source tree without install
        return MODEL_DIR


@dataclass
class Models:
    """Every trained part of the pipeline; a part left None falls back to its rules."""

    segmenter: Any = None
    figures: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    amounts: Any = None  # mention_confidence.MentionConfidence


@functools.lru_cache(maxsize=1)
def default_models() -> Models:
    """The models shipped in ``models/``, loaded on first use."""
    from . import figures, mention_confidence, segment

    folder = model_dir()
    return Models(segmenter=segment.load_model(folder), figures=figures.load_model(folder),
                  amounts=mention_confidence.load_model(folder))


@dataclass
class LinearModel:
    """What prediction needs of a fitted scikit-learn linear classifier: weights, bias, classes."""

    coef: np.ndarray  # (1 or n_classes, n_features)
    intercept: np.ndarray  # (1 or n_classes,)
    classes: list
    _coef_t: np.ndarray | None = field(default=None, repr=False, compare=False)  # coef transposed, made on first use

    @classmethod
    def from_sklearn(cls, clf) -> "LinearModel":
        return cls(np.asarray(clf.coef_, dtype=float), np.asarray(clf.intercept_, dtype=float), list(clf.classes_))

    def positive_proba(self, X: np.ndarray) -> np.ndarray:
        """P(second class) of a binary classifier for the rows of a dense matrix ``X``."""
        return _sigmoid(np.asarray(X, dtype=float) @ self.coef[0] + self.intercept[0])

    def decision_sparse(self, cols: np.ndarray, rows: np.ndarray, n_rows: int, scale: np.ndarray | None = None) -> np.ndarray:
        """Decision values, (n_rows × coef rows), of rows of binary features given as pairs.

        Entry k says feature ``cols[k]`` is present in row ``rows[k]``: a row's value is the
        sum of its features' weights (times ``scale`` of the row, when given) plus the bias.
        No sparse matrix is built: the weights are read feature-major (``coef`` transposed
        once) and summed per row with one ``reduceat``, several times faster than scipy's
        product or one ``bincount`` per class on one document's few hundred rows.
        """
        if self._coef_t is None:
            self._coef_t = np.ascontiguousarray(self.coef.T)
        if len(rows) > 1 and (np.diff(rows) < 0).any():  # callers give rows in order; others are sorted
            order = np.argsort(rows, kind="stable")
            cols, rows = cols[order], rows[order]
        lengths = np.bincount(rows, minlength=n_rows)
        z = np.zeros((n_rows, self.coef.shape[0]))
        filled = lengths > 0
        if filled.any():
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[filled]
            z[filled] = np.add.reduceat(self._coef_t[cols], starts, axis=0)
        if scale is not None:
            z *= scale[:, None]
        return z + self.intercept

    def positive_proba_sparse(self, cols: np.ndarray, rows: np.ndarray, n_rows: int, scale: np.ndarray | None = None) -> np.ndarray:
        """P(second class) of a binary classifier for rows given as in :meth:`decision_sparse`."""
        return _sigmoid(self.decision_sparse(cols, rows, n_rows, scale)[:, 0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def save_arrays(path: Path, arrays: dict[str, Any]) -> Path:
    """Write named arrays as a compressed ``.npz`` (written to a temporary name, then renamed)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "wb") as fh:
        np.savez_compressed(fh, **{k: np.asarray(v) for k, v in arrays.items()})
    tmp.replace(path)
    return path


def load_arrays(path: Path, expect: dict[str, Any] | None = None) -> dict[str, np.ndarray] | None:
    """Read a model file written by :func:`save_arrays`; None when it does not exist.

    Args:
        path: the ``.npz`` file.
        expect: arrays that must hold these values (the feature list the code computes, …):
            a model trained by other code is refused rather than scored wrongly.

    Raises:
        ValueError: the file is not such an archive, holds an object array (which would
            need unpickling, i.e. running code from the file), or fails ``expect``.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path}: not a plain-array model file ({exc})") from exc
    for key, value in (expect or {}).items():
        if key not in arrays or arrays[key].tolist() != value:
            raise ValueError(f"{path}: trained with other features; run `extractor train`")
    return arrays
