"""Train every model of the pipeline from the annotated corpus (``extractor train``).

Each trainable part exposes ``train(docs, seed) -> model`` and ``save_model(model, folder, card)``;
this module runs them with fixed seeds and writes their files and cards to ``models/``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .trained import MODEL_DIR, Models

#: Seed for every random choice in training.
SEED = 13


def fit(docs, seed: int = SEED) -> Models:
    """Train every trainable part on ``docs`` (a list of :class:`~extractor.corpus.AnnotatedDoc`).

    Returns:
        The trained :class:`~extractor.trained.Models` (parts without training data stay None).
    """
    from . import figures, mention_confidence, segment

    return Models(
        segmenter=segment.train(docs, seed) if hasattr(segment, "train") else None,
        figures=figures.train(docs, seed) if hasattr(figures, "train") else None,
        amounts=mention_confidence.train(docs, seed),
    )


def main(args) -> int:
    """``extractor train``: retrain and save every model from the corpus."""
    from . import figures, mention_confidence, segment
    from .corpus import DEFAULT_ROOT, load_corpus

    root = Path(args.root) if args.root else DEFAULT_ROOT
    out = Path(args.out) if args.out else MODEL_DIR
    started = time.perf_counter()
    docs = load_corpus(root)
    models = fit(docs)
    report = json.loads(Path(args.metrics).read_text(encoding="utf-8")) if getattr(args, "metrics", None) else {}
    modules = {"segmenter": segment, "figures": figures, "amounts": mention_confidence}
    for part, model in (("segmenter", models.segmenter), ("figures", models.figures), ("amounts", models.amounts)):
        module = modules[part]
        if model is not None and hasattr(module, "save_model"):
            module.save_model(model, out, docs=docs, root=root, metrics=_card_metrics(part, report))
            print(f"train: wrote {part} to {out}", file=sys.stderr)
    print(f"train: {len(docs)} documents, {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def _card_metrics(part: str, report: dict) -> dict:
    """The cross-validated figures of one model, taken from an evaluation report."""
    if not report:
        return {}
    keys = {"segmenter": ("sections", "boundaries"), "figures": ("key_figures",), "amounts": ("amounts",)}[part]
    out = {"cv": report.get("run", {}).get("cv"), "documents": report.get("run", {}).get("documents"), "source": "extractor evaluate --cv region --json"}
    for key in keys:
        value = report.get(key)
        if isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if not isinstance(v, (list, dict)) or k in ("overall", "three_public", "labels", "names")}
    calibration = report.get("calibration", {}).get("by_type", {})
    kind = {"segmenter": "sections", "figures": "key_figures", "amounts": "amounts"}[part]
    if kind in calibration:
        out["calibration_ece"] = calibration[kind].get("ece")
    return out
