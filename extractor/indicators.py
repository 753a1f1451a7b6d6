"""Projects and performance-indicator rows (placeholder until the table rules land)."""

from __future__ import annotations

from .document import Indicator, Project, Section


def extract(text: str, norm: str, sections: list[Section]) -> tuple[list[Project], list[Indicator]]:
    """Projects and indicator rows of the document."""
    return [], []
