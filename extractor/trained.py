"""The trained models the pipeline uses, loaded lazily, once per process.

Model files live in the repository's ``models/`` folder, installed as the package
``extractor.models``. They are skops files (loaded with an explicit list of trusted
types, so loading executes no code from the file) or plain JSON.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@functools.lru_cache(maxsize=1)
def default_models() -> Models:
    """The models shipped in ``models/``, loaded on first use."""
    from . import segment, figures

    folder = model_dir()
    return Models(segmenter=segment.load_model(folder), figures=figures.load_model(folder))


#: Containers and arrays every model file may hold; each model adds its estimator types.
BASE_TRUSTED_TYPES = [
    "numpy.ndarray",
    "numpy.dtype",
    "builtins.dict",
    "builtins.list",
    "builtins.str",
    "builtins.float",
    "builtins.int",
]


def load_skops(path: Path, trusted_types: list[str]):
    """Load a skops file, refusing any type outside ``trusted_types``.

    skops never unpickles: it rebuilds only the types it is told to trust, so loading runs
    no code from the file. Returns None when the file does not exist.

    Raises:
        ValueError: the file holds a type outside ``trusted_types``.
    """
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        return None
    found = sio.get_untrusted_types(file=path)
    untrusted = [t for t in found if t not in trusted_types]
    if untrusted:
        raise ValueError(f"{path}: refusing to load untrusted types {untrusted}")
    return sio.load(path, trusted=found)
