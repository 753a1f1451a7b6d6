"""Section segmentation (placeholder until the trained segmenter lands: returns no sections)."""

from __future__ import annotations

from .document import Section


def load_model(folder):
    """The trained segmenter in ``folder``, or None when there is none."""
    return None


def segment(text: str, norm: str, model=None) -> list[Section]:
    """Split the document into labelled sections."""
    return []
