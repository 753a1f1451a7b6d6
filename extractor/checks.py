"""Consistency checks: the identities a disclosure's key figures must satisfy, and agreement
between the narrative and the table readings of one figure.

Rules (each a :class:`~extractor.document.Check`):

* ``three_public_sum``: “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费;
* ``vehicle_sum``: 公务用车购置及运行费 = 购置费 + 运行（维护）费;
* ``expenditure_sum``: 基本支出 + 项目支出 = 支出总计 — only where applicable: 支出总计 may also
  hold 年末结转和结余 or 上缴, so a mismatch is reported as ``skipped`` (not applicable), never as a
  failure;
* ``agreement:<figure>``: every reading the extractor tied to one figure (``Amount.field``) must
  agree with the others after rounding to the coarser printed precision (213.28万元 agrees with
  2,132,777.54元); a disagreement fails and names both values.

A rule whose figures are not all stated is ``skipped``. An identity holds to the rounding of the
printed numbers (half a unit of each one's last digit), as the key-figure chooser judges it.
"""

from __future__ import annotations

from .document import Check, Disclosure
from .figures import IDENTITIES, half_unit, agree, identity_holds


def _fmt(v: float) -> str:
    return f"{v:,.2f}元"


def identity_checks(values: dict[str, float], slack: dict[str, float] | None = None) -> list[Check]:
    """One check per identity over the given figure values (元).

    Args:
        values: figure name → value in 元.
        slack: figure name → rounding error of its printed number; an identity then holds to
            that rounding, as the key-figure chooser judges it (:func:`~extractor.figures.identity_holds`).
    """
    out = []
    for rule, total, parts in IDENTITIES:
        names = [total, *parts]
        missing = [n for n in names if n not in values]
        if missing:
            out.append(Check(rule, "skipped", f"{', '.join(missing)} not stated", names))
            continue
        s = sum(values[p] for p in parts)
        t = values[total]
        expr = " + ".join(f"{p} {_fmt(values[p])}" for p in parts)
        if identity_holds(values, total, parts, slack):
            out.append(Check(rule, "pass", f"{total} {_fmt(t)} = {expr}", names))
        elif rule == "expenditure_sum":
            out.append(Check(rule, "skipped", f"not applicable: {total} {_fmt(t)} ≠ {expr} = {_fmt(s)} "
                             "(支出总计 may include 结转结余)", names))
        else:
            out.append(Check(rule, "fail", f"{total} {_fmt(t)} ≠ {expr} = {_fmt(s)}", names))
    return out


def agreement_checks(doc: Disclosure) -> list[Check]:
    """Narrative/table agreement for every figure with more than one reading in ``doc.amounts``."""
    by_name: dict[str, list] = {}
    for a in doc.amounts:
        if a.field:
            by_name.setdefault(a.field, []).append(a)
    out = []
    for name, readings in by_name.items():
        if len(readings) < 2:
            continue
        chosen = doc.key_figures.get(name)
        ref = next((a for a in readings if chosen and a.start == chosen.start and a.end == chosen.end), readings[0])
        bad = [a for a in readings if a is not ref and not agree(a, ref)]
        if bad:
            others = "; ".join(f"{a.raw!r} {a.unit} = {_fmt(a.value)} at {a.start}" for a in bad)
            out.append(Check(f"agreement:{name}", "fail",
                             f"{name}: {ref.raw!r} {ref.unit} = {_fmt(ref.value)} at {ref.start} disagrees with {others}",
                             [name]))
        else:
            out.append(Check(f"agreement:{name}", "pass",
                             f"{name}: {len(readings)} readings agree ({_fmt(ref.value)})", [name]))
    return out


def run(doc: Disclosure) -> list[Check]:
    """Check extracted figures against the identities a disclosure must satisfy."""
    values = {n: float(k.value) for n, k in doc.key_figures.items()}
    slack = {n: half_unit(k) for n, k in doc.key_figures.items()}
    return identity_checks(values, slack) + agreement_checks(doc)
