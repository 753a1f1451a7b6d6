"""Consistency checks (placeholder until the identities land)."""

from __future__ import annotations

from .document import Check, Disclosure


def run(doc: Disclosure) -> list[Check]:
    """Check extracted figures against the identities a disclosure must satisfy."""
    return []
