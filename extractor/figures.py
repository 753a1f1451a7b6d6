"""Key figures (placeholder until the key-figure model lands)."""

from __future__ import annotations

from .document import Disclosure, KeyFigure


def load_model(folder):
    """The trained key-figure scorer in ``folder``, or None when there is none."""
    return None


def choose(text: str, norm: str, doc: Disclosure, model=None) -> dict[str, KeyFigure]:
    """The value trusted for each key figure the document states."""
    return {}
