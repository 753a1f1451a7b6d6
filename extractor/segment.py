"""Section segmentation (placeholder until the trained segmenter lands: returns no sections)."""

from __future__ import annotations

from .document import Section


def segment(text: str, norm: str) -> list[Section]:
    """Split the document into labelled sections."""
    return []
