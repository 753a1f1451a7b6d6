"""Money mentions (placeholder until the amount rules land)."""

from __future__ import annotations

import bisect

from .document import Amount, Section


def find_amounts(text: str, norm: str) -> list[Amount]:
    """Every money mention in the text."""
    return []


def assign_sections(amounts: list[Amount], sections: list[Section]) -> None:
    """Set each amount's ``section`` to the label of the section it stands in."""
    starts = [s.start for s in sections]
    for a in amounts:
        i = bisect.bisect_right(starts, a.start) - 1
        if 0 <= i < len(sections) and a.start < sections[i].end:
            a.section = sections[i].label
