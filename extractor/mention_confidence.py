"""The confidence of each money mention, calibrated per rule on the mention-labelled documents.

``amounts.find_amounts`` says which rule found a mention (``Amount.rule``: a number beside its
unit, a bare cell under a table's 单位 line, a unit carried past a new title, …) and gives it the
rule's hand-set prior from ``amount_rules.CONFIDENCE``. The documents of ``annotations/amounts/``
label every money mention, so each rule's precision can be counted there. The calibrated
confidence of a rule is its precision shrunk towards its family's (``amount_rules.RULE_FAMILIES``:
a number printed with its unit, a bare table cell, a zero in words):

    confidence(rule) = (right + SHRINK * family precision) / (found + SHRINK)

with the family's precision itself smoothed, (right + 1) / (found + 2). A rule seen a few times
only stays near its family; a rule never seen takes its family's precision; a family never seen
keeps the hand-set priors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import amount_rules as R
from .trained import load_arrays, save_arrays

#: Weight of the family's precision, in mentions.
SHRINK = 10
#: No mention is certain: a few documents cannot show an error rate below 1 in 1,000, and
#: mentions of one document err together, so the counts overstate what they show.
CEILING = 0.999
MODEL_FILE = "amounts.npz"
CARD_FILE = "amounts.md"


@dataclass
class MentionConfidence:
    """Calibrated confidence per rule, with the counts it came from."""

    confidence: dict[str, float]
    found: dict[str, int]
    right: dict[str, int]

    def apply(self, amounts) -> None:
        """Replace each mention's prior by its rule's calibrated confidence."""
        for a in amounts:
            c = self.confidence.get(a.rule)
            if c is not None:
                a.confidence = round(min(c, CEILING), 4)


def train(docs, seed: int = 13) -> MentionConfidence | None:
    """Count each rule's right and wrong mentions on the documents whose every mention is labelled.

    Args:
        docs: :class:`~extractor.corpus.AnnotatedDoc` list; those without ``amounts`` in their
            record are skipped. ``seed`` is unused (counting has no randomness).

    Returns:
        None when no document has labelled mentions.
    """
    from dataclasses import asdict

    from .amounts import find_amounts
    from .corpus import load_schema
    from .evaluate import amount_matching
    from .normalize import parse_form

    labelled = [d for d in docs if d.record.get("amounts") is not None]
    if not labelled:
        return None
    tolerance = load_schema()["figure_tolerance"]
    found: dict[str, int] = {}
    right: dict[str, int] = {}
    for d in labelled:
        pred = {"amounts": [asdict(a) for a in find_amounts(d.text, parse_form(d.text))]}
        rows, match, _ = amount_matching(d.record, pred, tolerance)
        for row, m in zip(rows, match):
            rule = row.get("rule") or "unknown"
            found[rule] = found.get(rule, 0) + 1
            right[rule] = right.get(rule, 0) + (m is not None)
    family_of = {r: f for f, rules in R.RULE_FAMILIES.items() for r in rules}
    fam_found: dict[str, int] = {}
    fam_right: dict[str, int] = {}
    for rule, n in found.items():
        f = family_of.get(rule.split("+")[0])
        if f:
            fam_found[f] = fam_found.get(f, 0) + n
            fam_right[f] = fam_right.get(f, 0) + right[rule]
    confidence = {}
    for f, rules in R.RULE_FAMILIES.items():
        if f not in fam_found:
            continue  # never seen: the priors stay
        p = (fam_right[f] + 1) / (fam_found[f] + 2)
        for rule in {*rules, *(r for r in found if family_of.get(r.split("+")[0]) == f)}:
            confidence[rule] = (right.get(rule, 0) + SHRINK * p) / (found.get(rule, 0) + SHRINK)
    return MentionConfidence(confidence, found, right)


def save_model(model: MentionConfidence, folder, docs=None, root=None, metrics: dict | None = None) -> Path:
    """Write the table as plain arrays (``amounts.npz``) plus its card."""
    from .cards import write_card

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rules = sorted(model.confidence)
    path = save_arrays(folder / MODEL_FILE, {
        "rules": np.array(rules, dtype=str),
        "confidence": np.array([model.confidence[r] for r in rules]),
        "found": np.array([model.found.get(r, 0) for r in rules]),
        "right": np.array([model.right.get(r, 0) for r in rules]),
    })
    labelled = [d for d in docs or [] if d.record.get("amounts") is not None]
    write_card(folder / CARD_FILE, "amounts", path, docs=labelled or None, root=root, metrics=metrics,
               details={"what": "confidence of a money mention per rule = (right + SHRINK × family precision) / (found + SHRINK) on the "
                                "documents of annotations/amounts/ (every money mention labelled)",
                        "shrink": f"towards the rule's family precision with weight {SHRINK} mentions",
                        "per rule": {r: f"{model.right.get(r, 0)}/{model.found.get(r, 0)} right -> {model.confidence[r]:.4f}" for r in rules}})
    return path


def load_model(folder) -> MentionConfidence | None:
    """The table saved by :func:`save_model`, or None when the folder has none."""
    path = Path(folder) / MODEL_FILE
    if not path.exists():
        return None
    a = load_arrays(path)
    if not {"rules", "confidence", "found", "right"} <= set(a):
        raise ValueError(f"{path}: not a mention-confidence table; run `extractor train`")
    rules = [str(r) for r in a["rules"]]
    found = {r: int(n) for r, n in zip(rules, a["found"]) if n}
    return MentionConfidence(
        dict(zip(rules, (float(x) for x in a["confidence"]))),
        found,
        {r: int(n) for r, n in zip(rules, a["right"]) if r in found},
    )
