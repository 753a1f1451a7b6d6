"""Projects and performance-indicator rows (项目支出绩效目标表 and the like).

Tables are rebuilt by :mod:`extractor.tables`; this module turns their rows into
:class:`~extractor.document.Indicator` records, finds the projects the tables belong to
(labelled heads such as ``项目名称 …``/``项目编码 …``, and rows of a table's 项目名称 column),
and ties each row to its project.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from . import project_rules as R
from . import tables as T
from .document import Indicator, Project, Section

# ----------------------------------------------------------------------------------------------
# Labelled project heads (项目名称 X / 项目编码 Y / 年度预算资金总额：Z)
# ----------------------------------------------------------------------------------------------


def _wrapped(word: str) -> str:
    """Regex for ``word`` allowing a line break between any two characters (项目名\\n称)."""
    return r"\n?".join(re.escape(ch) for ch in word)


_NAME_RE = re.compile(r"(?m)^[ \t]*(?:" + "|".join(_wrapped(w) for w in R.NAME_LABELS) + r")[ \t]*[:：]?")
_CODE_RE = re.compile(r"(?m)^[ \t]*(?:" + "|".join(_wrapped(w) for w in R.CODE_LABELS) + r")[ \t]*[:：]?")
_AMOUNT_RE = re.compile(
    r"(?:" + "|".join(re.escape(w) for w in R.AMOUNT_LABELS) + r")(?:\s*\((?:万元|元)\))?\s*[:：]?\s*(?:为\s*)?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|亿元|元)?"
)
#: A 项目名称 that is a column header, not a label: followed by other column names.
_COLUMN_WORDS = re.compile(r"^(?:\(|（|资金使用|项目总额|总计|合计|金额|项目类别|预算数|预算资金|单位|项目编码|项目代码|类别)")
#: Labels of a project head's other cells: a short line starting like one is not a name's tail.
_LABEL_WORDS = ("主管部门", "实施单位", "项目资金", "资金总额", "专项资金", "年度目标", "总体目标", "预算单位",
                "项目编码", "项目代码", "执行率", "其中")


@dataclass
class _Head:
    name: str
    code: str | None
    amount: float | None
    start: int
    end: int
    confidence: float
    where: str  # "label" | "table" (a table's project column) | "ptable" (a project table)
    scope_end: int | None = None  # rows after this offset do not belong to it


def _value_after(norm: str, pos: int) -> tuple[int, int] | None:
    """Span of the value cell that follows a label ending at ``pos``: the rest of the line, or
    (when the label stands alone) the next non-empty line."""
    eol = norm.find("\n", pos)
    eol = len(norm) if eol < 0 else eol
    if norm[pos:eol].strip():
        # A labelled value stops at the next label on the same line (tab or wide gap).
        return _cell(norm, pos, eol, " \t:：", r"\t|\s{2,}")
    nxt = eol + 1
    while nxt < len(norm):
        e2 = norm.find("\n", nxt)
        e2 = len(norm) if e2 < 0 else e2
        if norm[nxt:e2].strip():
            return _cell(norm, nxt, e2, " \t", r"\t")
        nxt = e2 + 1
    return None


def _cell(norm: str, s: int, e: int, lead: str, sep: str) -> tuple[int, int]:
    """The first cell of ``norm[s:e]``: leading ``lead`` characters and trailing space dropped,
    cut at the first match of ``sep``."""
    seg = norm[s:e]
    a = s + len(seg) - len(seg.lstrip(lead))
    b = s + len(seg.rstrip())
    cut = re.search(sep, norm[a:b])
    return (a, a + cut.start()) if cut else (a, b)


def _label_heads(text: str, norm: str, tables: list[T.Table]) -> list[_Head]:
    """Projects named by a 项目名称 label, with the code and amount labelled near it."""
    heads: list[_Head] = []
    table_starts = sorted(t.start for t in tables)
    names = list(_NAME_RE.finditer(norm))
    codes = list(_CODE_RE.finditer(norm))
    for k, m in enumerate(names):
        span = _value_after(norm, m.end())
        if span is None:
            continue
        a, b = span
        val = norm[a:b].strip()
        if not val or _COLUMN_WORDS.match(val) or re.search(r"项目总额|金额|合计|项目类别", val):
            continue
        name_end = b
        # A name PDF wrapped onto a short next line (skipping a page number between).
        nxt = norm.find("\n", b)
        parts = [(a, b)]
        hops = 0
        while nxt >= 0 and hops < 3:
            e2 = norm.find("\n", nxt + 1)
            e2 = len(norm) if e2 < 0 else e2
            ln = norm[nxt + 1:e2].strip()
            if not ln or T._JUNK_LINE.match(ln):
                nxt = e2 if e2 < len(norm) else -1
                hops += 1
                continue
            if len(ln) <= 6 and not re.search(r"\d", ln) and not any(lab.startswith(ln[:2]) for lab in _LABEL_WORDS):
                s2 = nxt + 1 + (len(norm[nxt + 1:e2]) - len(norm[nxt + 1:e2].lstrip()))
                parts.append((s2, s2 + len(ln)))
                name_end = s2 + len(ln)
            break
        name = T.clean("".join(text[x:y] for x, y in parts))
        if not name or len(name) > 80:
            continue
        # The head block: from the previous name (or 12 lines up) to the next table or name.
        block_lo = names[k - 1].end() if k else 0
        nxt_name = names[k + 1].start() if k + 1 < len(names) else len(norm)
        nxt_table = next((s for s in table_starts if s > m.end()), len(norm))
        block_hi = min(nxt_name, nxt_table)
        # Code: a labelled code in this block, nearest the name.
        code = None
        start = m.start() + (len(norm[m.start():m.end()]) - len(norm[m.start():m.end()].lstrip()))
        cands = [c for c in codes if block_lo <= c.start() < block_hi and abs(c.start() - m.start()) < 400]
        if cands:
            c = min(cands, key=lambda c: abs(c.start() - m.start()))
            cs = _value_after(norm, c.end())
            if cs:
                raw = norm[cs[0]:cs[1]].strip()
                tok = re.sub(r"\s+", "", raw)
                if re.search(r"\d", tok) and re.fullmatch(r"[0-9A-Za-z\-_.]{4,40}", tok):
                    code = tok
                    cstart = c.start() + (len(norm[c.start():c.end()]) - len(norm[c.start():c.end()].lstrip()))
                    start = min(start, cstart)
                    name_end = max(name_end, cs[1])
        # Amount: a labelled amount between the name and the table (or just before the name).
        amount = None
        lo = max(block_lo, m.start() - 200)
        for am in _AMOUNT_RE.finditer(norm, lo, block_hi):
            num = float(am.group("num").replace(",", ""))
            unit = am.group("unit")
            if unit is None:
                ctx = norm[max(lo, am.start() - 60):min(block_hi, am.end() + 40)]
                unit = "万元" if "万元" in ctx else ("元" if re.search(r"[(（]元[)）]|单位[:：]\s*元", ctx) else "万元")
            amount = round(num * {"万元": 1e4, "亿元": 1e8, "元": 1.0}[unit], 2)
            if not math.isfinite(amount):  # a run of hundreds of digits
                amount = None
            break
        if code is None and amount is None and nxt_table >= nxt_name:
            continue  # a 项目名称 column header over some other table's rows, not a project head
        heads.append(_Head(name, code, amount, start, name_end, 0.8, "label"))
    return heads


def _amount(raw: str | None, scale: float) -> float | None:
    if not raw:
        return None
    try:
        return round(float(raw.replace(",", "")) * scale, 2)
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------------
# Rows → Indicator
# ----------------------------------------------------------------------------------------------

def _interpret(row: T.Row) -> tuple[str | None, str | None, str | None, float]:
    """(operator, value, unit, confidence) of a row, whichever cells its table has.

    A separate 符号 column (cell-per-line tables) gives the operator; 文字描述 there means the
    text value stands in the 单位（文字描述）column. A 性质 column saying 定性 means a text
    value. Otherwise the 指标值 cell is parsed (:func:`extractor.tables.parse_value`); a unit
    column fills in a unit the value cell does not print.
    """
    op_cell, nature = row.get("op"), row.get("nature")
    value, unit = row.get("value"), row.get("unit")
    if op_cell is not None:
        oc = op_cell.strip()
        op = T._op(oc)
        if op is None and not value and unit:
            value, unit = unit, None  # 文字描述: the text is in the 单位（文字描述）column
        if op is None and value and oc not in R.QUALITATIVE_MARKS:
            v = T.parse_value(value)
            if v is not None:
                return v.op, v.value, v.unit or unit, 0.85
        return op, value, unit, 0.95 if op else 0.85
    if nature in R.QUALITATIVE_MARKS:
        return None, value, None, 0.8
    if value is None:
        return None, None, unit, 0.2
    v = T.parse_value(value)
    if v is None:
        return None, value, unit, 0.8  # a text value
    exact = T.parse_value(value, strict=True) is not None
    return v.op, v.value, v.unit or unit, 0.95 if exact else 0.75


def _to_indicator(row: T.Row, head: _Head | None) -> Indicator | None:
    op, value, unit, conf = _interpret(row)
    l3 = row.get("l3")
    if l3:
        l3 = R.INDICATOR_NUMBER.sub("", l3) or l3
    if not l3 and row.get("desc"):
        l3 = row.get("desc")  # a blank 三级指标 cell: the description names the indicator
    if not l3 and not value:
        return None
    if not l3:
        conf = min(conf, 0.2)
    return Indicator(
        project=head.name if head else None,
        project_code=head.code if head else None,
        level1=row.get("l1"),
        level2=row.get("l2"),
        level3=l3,
        description=row.get("desc"),
        operator=op,
        value=value,
        unit=unit,
        basis=row.get("basis"),
        start=row.start,
        end=row.end,
        confidence=round(conf, 3),
    )


# ----------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------


class _Owner:
    """Finds the project each row belongs to (see :meth:`of`)."""

    def __init__(self, heads: list[_Head], pages: list[int]):
        self.heads = heads
        self.starts = [h.start for h in heads]
        self.pages = pages
        self.table_heads = [h for h in heads if h.where == "table"]
        self.table_starts = [h.start for h in self.table_heads]

    def page(self, pos: int) -> int:
        return bisect.bisect_right(self.pages, pos)

    def of(self, row: T.Row, row_starts: list[int]) -> _Head | None:
        """The last head before the row; but when PDF text printed a page's project cell after
        its rows (a head closing the page: no row of the table after it on that page), the
        rows before it on that page are its own.

        Args:
            row: the row.
            row_starts: sorted starts of the rows of the row's table.
        """
        k = bisect.bisect_right(self.starts, row.start) - 1
        before = None
        while k >= 0:
            h = self.heads[k]
            if h.scope_end is None or row.start < h.scope_end:
                before = h
                break
            k -= 1
        pg = self.page(row.start)
        if before is not None and self.page(before.start) == pg:
            return before
        j = bisect.bisect_right(self.table_starts, row.start)
        if j < len(self.table_heads) and self.page(self.table_starts[j]) == pg:
            nxt = self.table_heads[j]
            r = bisect.bisect_right(row_starts, nxt.start)
            if r >= len(row_starts) or self.page(row_starts[r]) != pg:
                return nxt
        return before


def _heads_after_tables(tables: list[T.Table], heads: list[_Head]) -> dict[int, _Head | None] | None:
    """Each table's project when the PDF drew every table's body before its title block.

    Then tables and project heads strictly alternate from a table on (T H T H …, a last table
    perhaps without its head): each table's rows belong to the head that follows them, not to
    the one above, which titles the previous table. Any other order (H T H T …, several heads
    in a row) returns None and rows keep the head above them (:meth:`_Owner.of`).

    Returns:
        {index of the table in ``tables``: its head}, or None.
    """
    seq = sorted([(t.start, 0, i) for i, t in enumerate(tables) if t.rows]
                 + [(h.start, 1, k) for k, h in enumerate(heads) if h.where in ("label", "table")])
    kinds = [kind for _, kind, _ in seq]
    if len(seq) < 6 or kinds[0] != 0 or any(a == b for a, b in zip(kinds, kinds[1:])):
        return None
    return {i: heads[seq[n + 1][2]] if n + 1 < len(seq) else None
            for n, (_, kind, i) in enumerate(seq) if kind == 0}


def _whole_body(title: str | None) -> bool:
    """A 部门整体 table belongs to no project."""
    return bool(title) and "整体" in title


def extract(text: str, norm: str, sections: list[Section]) -> tuple[list[Project], list[Indicator]]:
    """Projects and indicator rows of the document.

    Args:
        text: the document text (every offset points into it).
        norm: its parse form (same length).
        sections: the document's sections (unused for now: tables are found anywhere).

    Returns:
        (projects, indicators), each in document order.
    """
    lines = T.split_lines(norm)
    tables = T.find_tables(text, norm, lines)
    heads = _label_heads(text, norm, tables)
    # Inline-list tables (…；年度指标值:…): one table of rows, projects come from the rows of
    # the 项目名称 column found below.
    inline = T.inline_rows(text, norm)
    if inline:
        tables.append(T.Table("inline", ["l1", "l2", "l3", "period", "value"], inline[0].start,
                              inline[-1].end, rows=inline))
        tables.sort(key=lambda t: t.start)
    for t in tables:
        for h in t.heads:
            if not h.name and not h.code:
                continue
            heads.append(_Head(h.name, h.code, _amount(h.amount_raw, h.scale), h.start, h.end,
                               0.95 if h.code else 0.85, "table"))
    for r in T.project_rows(text, norm, lines):
        heads.append(_Head(r.name, None, round(r.amount, 2) if r.amount is not None else None, r.start, r.end,
                           0.85, "ptable", r.scope_end))
    heads.sort(key=lambda h: h.start)

    owner = _Owner(heads, [m.start() for m in re.finditer(r"\f", norm)])
    after = _heads_after_tables(tables, heads)
    indicators: list[Indicator] = []
    for n, t in enumerate(tables):
        whole = _whole_body(t.title) and not t.heads
        row_starts = sorted(r.start for r in t.rows) if t.heads else []
        for row in t.rows:
            if whole:
                head = None
            elif after is not None:
                head = after[n]
            else:
                head = owner.of(row, row_starts)
            ind = _to_indicator(row, head)
            if ind is not None:
                indicators.append(ind)
    indicators.sort(key=lambda i: i.start)

    # One project per (code, name): a table continued on the next page repeats its head.
    projects: list[Project] = []
    seen: dict[tuple, Project] = {}
    for h in heads:
        key = (h.where, h.code or "", T.clean(h.name), h.amount)
        # Only a table's project column repeats a head (on each page the table continues).
        if key in seen and h.where == "table":
            p = seen[key]
            if p.amount is None and h.amount is not None:
                p.amount = h.amount
            continue
        p = Project(h.code, h.name, h.amount, h.start, h.end, round(h.confidence, 3))
        seen[key] = p
        projects.append(p)
    return projects, indicators
