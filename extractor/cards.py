"""Model cards: what a model was trained on, with which libraries, and how well it does."""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import date
from importlib import metadata
from pathlib import Path

_LIBRARIES = ("scikit-learn", "numpy", "scipy", "jieba", "rjieba", "regex")


def corpus_hash(root) -> str:
    """sha256 over the corpus schema, label files and frozen texts, in a fixed order."""
    root = Path(root)
    h = hashlib.sha256()
    for path in [root / "schema.json", *sorted((root / "data").glob("*.jsonl")), *sorted((root / "amounts").glob("*.json")),
                 *sorted((root / "texts").glob("*.txt"))]:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def write_card(path, name: str, model_file, docs=None, root=None, metrics: dict | None = None, details: dict | None = None) -> None:
    """Write a Markdown card (with a JSON block machines can read) beside a model file."""
    model_file = Path(model_file)
    info = {
        "model": name,
        "file": model_file.name,
        "file_sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
        "file_bytes": model_file.stat().st_size,
        "trained_on": date.today().isoformat(),
        "documents": len(docs) if docs is not None else None,
        "regions": sorted({d.region for d in docs}) if docs else None,
        "corpus_sha256": corpus_hash(root) if root else None,
        "libraries": library_versions(),
        "details": details or {},
        "metrics": metrics or {},
    }
    text = [
        f"# Model card: {name}",
        "",
        f"Rebuild with `extractor train` (fixed seeds) from `annotations/`; load with `extractor.trained.default_models()`.",
        "The file is a NumPy .npz archive of plain arrays, read with allow_pickle=False: loading runs no code from it.",
        "",
        "```json",
        json.dumps(info, ensure_ascii=False, indent=1),
        "```",
        "",
    ]
    Path(path).write_text("\n".join(text), encoding="utf-8")
