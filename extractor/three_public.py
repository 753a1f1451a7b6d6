"""Read a “三公” table row by the identities its numbers must satisfy.

A “三公”经费 table prints one row of numbers under a header that PDF extraction often
scatters (one header cell per line, two header levels, columns in another order, a blank
cell for a zero). The row itself still obeys the accounting identities every such table
does:

    total = overseas + vehicle + reception        vehicle = purchase + operation

so the positions of total, overseas, vehicle, purchase, operation and reception can be
recovered from the numbers alone. :func:`solve_row` tries every column layout these
tables use (the total, then the three items in any order, the vehicle item as a subtotal
with its two parts right after it, one part possibly blank) and keeps the names that every
layout satisfying both identities agrees on. The key-figure
scorer gets them as features, so a region's habit of ordering columns is never a rule.
"""

from __future__ import annotations

import itertools

TOTAL, OVERSEAS, VEHICLE, PURCHASE, OPERATION, RECEPTION = (
    "three_public_total",
    "three_public_overseas",
    "three_public_vehicle",
    "three_public_vehicle_purchase",
    "three_public_vehicle_operation",
    "three_public_reception",
)

# How the vehicle item is printed: its subtotal and both parts, or one part left blank. Only
# layouts with both identities count: "a number equals the sum of the next three" alone holds
# in many budget tables (人员经费 + 公用经费 + 项目支出), vehicle = purchase + operation beside it does not.
_VEHICLE_FORMS = ((VEHICLE, PURCHASE, OPERATION), (VEHICLE, OPERATION), (VEHICLE, PURCHASE))


def _close(a: float, b: float) -> bool:
    # Cells are rounded to the printed precision: a sum of three may be off by a few units of it.
    return abs(a - b) <= max(0.02, 2e-5 * abs(a))


def _layouts(n: int):
    """(total position, names of the following positions) for every layout that fits n numbers."""
    for blocks in itertools.permutations(("O", "R", "V")):
        for vform in _VEHICLE_FORMS:
            names = [x for b in blocks for x in ((OVERSEAS,) if b == "O" else (RECEPTION,) if b == "R" else vform)]
            for t in range(n - len(names)):  # the total, then len(names) numbers after it
                yield t, names


def _satisfies(values: list[float], t: int, names: list[str]) -> bool:
    got = dict(zip(names, values[t + 1 : t + 1 + len(names)]))
    if OVERSEAS not in got or RECEPTION not in got:
        return False
    parts = got.get(PURCHASE, 0.0) + got.get(OPERATION, 0.0)
    vehicle = got.get(VEHICLE, parts)
    if VEHICLE in got and (PURCHASE in got or OPERATION in got) and not _close(vehicle, parts):
        return False
    return _close(values[t], got[OVERSEAS] + vehicle + got[RECEPTION])


def solve_row(values: list[float]) -> dict[int, str]:
    """Position → “三公” name for the numbers of one table row, where the identities decide.

    Args:
        values: the row's numbers in printed order (blank cells absent).

    Returns:
        The positions whose name is the same in every layout that satisfies both identities;
        empty when none does, or when the total is zero (then every layout fits).

    >>> solve_row([77.6726, 50.3326, 1.92, 25.42, 18.69, 6.73])[3]
    'three_public_vehicle'
    """
    fits = [(t, names) for t, names in _layouts(len(values)) if values[t] > 0 and _satisfies(values, t, names)]
    if not fits:
        return {}
    # A layout that explains more of the row's numbers wins: 77.67 = 50.33 + 1.92 + 25.42 also
    # fits with the vehicle subtotal alone, but only the layout with its parts explains 18.69 and 6.73.
    widest = max(len(names) for _, names in fits)
    found: dict[int, set[str]] = {}
    for t, names in fits:
        if len(names) < widest:
            continue
        found.setdefault(t, set()).add(TOTAL)
        for k, name in enumerate(names):
            found.setdefault(t + 1 + k, set()).add(name)
    # A position named differently by two fitting layouts is left undecided.
    return {i: next(iter(s)) for i, s in found.items() if len(s) == 1}
