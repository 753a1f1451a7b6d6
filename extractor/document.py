"""Result types: what the library returns for one disclosure (see CONTRACT.md).

Every field name here is part of the contract; add fields, rename none.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1"

#: Section labels, in the contract's order.
SECTION_LABELS = (
    "front_matter",
    "overview",
    "budget_summary",
    "budget_tables",
    "operating_costs",
    "three_public",
    "performance",
    "procurement",
    "assets",
    "projects",
    "glossary",
    "other",
)

#: Key-figure names, in the contract's order.
KEY_FIGURES = (
    "income_total",
    "expenditure_total",
    "fiscal_income",
    "basic_expenditure",
    "project_expenditure",
    "personnel_expenditure",
    "public_expenditure",
    "three_public_total",
    "three_public_overseas",
    "three_public_vehicle",
    "three_public_vehicle_purchase",
    "three_public_vehicle_operation",
    "three_public_reception",
    "operating_costs",
    "procurement_total",
)

#: Normalised comparison operators of indicator rows.
OPERATORS = ("≥", "≤", "=", ">", "<")


@dataclass
class Meta:
    """Who published the document, for which year, and what kind it is."""

    department: str | None = None
    year: int | None = None
    kind: str | None = None  # "budget" | "final"
    level: str | None = None  # "department" | "unit"


@dataclass
class Section:
    """A contiguous span of the text under one standard label."""

    label: str
    heading: str | None
    start: int
    end: int
    confidence: float


@dataclass
class Amount:
    """One money mention.

    Attributes:
        value: the amount in 元.
        unit: the unit as printed or inherited from a table header (元/万元/亿元).
        raw: the text of the mention, as it stands in ``Disclosure.text``.
        start, end: character offsets of ``raw``.
        section: label of the section it stands in.
        field: the key-figure name it supports, or None.
        confidence: probability that ``value`` is a money amount read right.
        relation: "decrease" / "increase" when the mention is a change on last year
            (比上年减少336.39万元); ``value`` stays the printed magnitude. None otherwise.
        rule: the kind of evidence that made it a mention (``amount_rules.CONFIDENCE`` keys:
            "explicit", "declared", "carried", …); its confidence is calibrated per rule.
    """

    value: float
    unit: str
    raw: str
    start: int
    end: int
    section: str | None = None
    field: str | None = None
    confidence: float = 0.5
    relation: str | None = None
    rule: str | None = None


@dataclass
class KeyFigure:
    """The value the extractor trusts for one key figure, in 元."""

    value: float
    unit: str
    raw: str
    start: int
    end: int
    confidence: float


@dataclass
class Project:
    """A project named in the disclosure."""

    code: str | None
    name: str
    amount: float | None
    start: int
    end: int
    confidence: float


@dataclass
class Indicator:
    """One performance-indicator row."""

    project: str | None
    project_code: str | None
    level1: str | None
    level2: str | None
    level3: str | None
    description: str | None
    operator: str | None
    value: str | None
    unit: str | None
    basis: str | None
    start: int
    end: int
    confidence: float


@dataclass
class Check:
    """One consistency finding."""

    rule: str
    status: str  # "pass" | "fail" | "skipped"
    message: str
    fields: list[str] = field(default_factory=list)


@dataclass
class Disclosure:
    """Everything extracted from one document; ``to_dict()`` is the contract's JSON form."""

    text: str
    source: str | None = None
    meta: Meta = field(default_factory=Meta)
    sections: list[Section] = field(default_factory=list)
    key_figures: dict[str, KeyFigure] = field(default_factory=dict)
    amounts: list[Amount] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    error: str | None = None
    # Extensions beyond the contract.
    format: str | None = None
    page_starts: list[int] = field(default_factory=list)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        """The JSON-serialisable form of CONTRACT.md (plus ``format`` and ``pages``).

        Args:
            include_text: also include ``text`` (off by default: outputs stay small).
        """
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "meta": asdict(self.meta),
            "sections": [asdict(s) for s in self.sections],
            "key_figures": {k: asdict(v) for k, v in self.key_figures.items()},
            "amounts": [asdict(a) for a in self.amounts],
            "projects": [asdict(p) for p in self.projects],
            "indicators": [asdict(i) for i in self.indicators],
            "checks": [asdict(c) for c in self.checks],
            "error": self.error,
            "format": self.format,
            "pages": list(self.page_starts),
        }
        if include_text:
            out["text"] = self.text
        return out

    @classmethod
    def failed(cls, source: str | None, error: str) -> "Disclosure":
        """A result for a document that could not be processed."""
        return cls(text="", source=source, error=error)
