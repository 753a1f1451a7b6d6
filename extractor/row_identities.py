"""Read a table row by the accounting identities its numbers must satisfy.

Tables print their numbers under a header that PDF extraction often scatters (one header
cell per line, two header levels, columns in another order, a blank cell for a zero, a
header fifty rows above the 合计 row). The rows themselves still obey the identities every
such table does:

    “三公”:       total = overseas + vehicle + reception      vehicle = purchase + operation
    expenditure: total = basic + project                     basic = personnel + public

so the positions of the parts can be recovered from the numbers alone.
:func:`three_public_row` tries every column layout these
tables use (the total, then the three items in any order, the vehicle item as a subtotal
with its two parts right after it, one part possibly blank) and keeps the names that every
layout satisfying both identities agrees on. The key-figure
scorer gets them as features, so a region's habit of ordering columns is never a rule.
"""

from __future__ import annotations

import itertools

from .document import KEY_FIGURES

# The six “三公” key figures, in the contract's order.
TOTAL, OVERSEAS, VEHICLE, PURCHASE, OPERATION, RECEPTION = (n for n in KEY_FIGURES if n.startswith("three_public_"))

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


def three_public_row(values: list[float]) -> dict[int, str]:
    """Position → “三公” name for the numbers of one table row, where the identities decide.

    Args:
        values: the row's numbers in printed order (blank cells absent).

    Returns:
        The positions whose name is the same in every layout that satisfies both identities;
        empty when none does, or when the total is zero (then every layout fits).

    >>> three_public_row([77.6726, 50.3326, 1.92, 25.42, 18.69, 6.73])[3]
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


def three_public_under_header(names: list[str], values: list[float]) -> dict[str, float | int]:
    """Which header column each number of a “三公” row stands in, where the header's order and
    the identities decide.

    PDF text drops blank cells, so a row under a header of six names may print fewer numbers,
    and the blanks may stand anywhere (4.70 1.50 3.20 3.20 under 合计 出国 接待 用车 购置 运行 is
    出国 and 购置 blank). Every way of placing the numbers in the header's order, the other
    columns blank (0), is tried; a name is decided when every placement satisfying both
    identities gives it the same column. A full row has one placement, the header's order: the
    identities alone cannot tell 出国 from 接待 or 购置 from 运行 (:func:`three_public_row`),
    the header's order can, and the identities check that the order was read right.

    Args:
        names: the six “三公” names in the header's left-to-right order.
        values: the row's numbers in printed order, no more than ``names``.

    Returns:
        name → position in ``values`` of its number, or -1 when its cell is blank; only names
        every fitting placement agrees on. Empty when none fits or the total would be zero.

    >>> three_public_under_header([TOTAL, OVERSEAS, RECEPTION, VEHICLE, PURCHASE, OPERATION], [231.43, 218.57, 12.86])
    {'three_public_total': 0, 'three_public_overseas': 1, 'three_public_reception': 2, 'three_public_vehicle': -1, 'three_public_vehicle_purchase': -1, 'three_public_vehicle_operation': -1}
    """
    if sorted(names) != sorted((TOTAL, OVERSEAS, VEHICLE, PURCHASE, OPERATION, RECEPTION)) or not 2 <= len(values) <= len(names):
        return {}
    found: dict[str, set[int]] = {}
    for printed in itertools.combinations(range(len(names)), len(values)):
        pos = {names[c]: k for k, c in enumerate(printed)}
        v = {n: values[pos[n]] if n in pos else 0.0 for n in names}
        if v[TOTAL] <= 0 or not _close(v[VEHICLE], v[PURCHASE] + v[OPERATION]):
            continue
        if not _close(v[TOTAL], v[OVERSEAS] + v[VEHICLE] + v[RECEPTION]):
            continue
        for n in names:
            found.setdefault(n, set()).add(pos.get(n, -1))
    return {n: next(iter(s)) for n, s in found.items() if len(s) == 1}


#: Names :func:`expenditure_row` gives: basic and project expenditure, and the two parts of
#: basic in printed order (which part is 人员经费 is left to the scorer, which sees the header).
BASIC, PROJECT, BASIC_PART1, BASIC_PART2 = "basic_expenditure", "project_expenditure", "basic_part1", "basic_part2"


def expenditure_row(values: list[float]) -> dict[int, str]:
    """Position → name for a 合计 row of an expenditure table, where the identities decide.

    The row holds the total, then 基本支出 followed by its two parts, and 项目支出 (either
    block first; numbers after them, such as the project column's own parts, are ignored).

    >>> expenditure_row([110896.619602, 11161.558229, 10302.566783, 858.991446, 99735.061373, 99735.061373])
    {1: 'basic_expenditure', 2: 'basic_part1', 3: 'basic_part2', 4: 'project_expenditure'}
    """
    n = len(values)
    fits = []
    for t in range(n - 4):
        total = values[t]
        if total <= 0:
            continue
        for basic_first in (True, False):
            b = t + 1 if basic_first else t + 2
            p = t + 4 if basic_first else t + 1
            basic, part1, part2, project = values[b], values[b + 1], values[b + 2], values[p]
            # Every part non-zero: a row of zeros or repeated numbers satisfies the sums trivially.
            if min(part1, part2, project) > 0 and _close(basic, part1 + part2) and _close(total, basic + project):
                fits.append({b: BASIC, b + 1: BASIC_PART1, b + 2: BASIC_PART2, p: PROJECT})
    if len(fits) != 1:
        return {}  # no fit, or two that disagree: nothing is decided
    return fits[0]
