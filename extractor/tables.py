"""Reconstruct performance-target tables (绩效目标表) from flattened text.

Scraping flattens a table in one of three ways, and each has its own reader here:

* **cell-per-line** (a DOC converted to text): every cell on its own tab-indented line, a cell
  may wrap onto following lines without a tab, rows separated by blank lines, merged cells left
  empty. Cells are exact, so columns are mapped by position (:func:`_cell_table`).
* **stream** (a PDF text layer, or an HTML page of positioned boxes): a row is a run of words
  separated by spaces or tabs; cells wrap over lines, merged labels (一级/二级) are printed once
  at the vertical middle of their span, a table continues over pages without its header.
  Rows are found by reading words left to right and closing a row at its value
  (:func:`_stream_table`).
* **inline list** (one cell holding ``1、1-产出指标；11-数量指标；名称；实施周期指标值:…；
  年度指标值:…。``): parsed by pattern (:func:`inline_rows`).

Every position is a character offset valid in both ``text`` and its parse form ``norm``.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from . import project_rules as R

# ----------------------------------------------------------------------------------------------
# Result types
# ----------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One cell: cleaned text and its span in the document."""

    text: str
    start: int
    end: int


@dataclass
class Row:
    """One indicator row: role → cell (roles: l1 l2 l3 desc nature op value unit basis weight).

    ``start``/``end`` span the row from its first to its last character; ``inferred`` names
    the roles filled from context rather than read from the row (carried-down merged cells).
    """

    cells: dict[str, Cell]
    start: int
    end: int
    inferred: set[str] = field(default_factory=set)

    def get(self, role: str) -> str | None:
        """The text of ``role``, or None when the row has no such cell or it is empty."""
        c = self.cells.get(role)
        return c.text if c is not None and c.text else None


@dataclass
class Head:
    """A project named inside a table (a row of its 项目名称 column)."""

    name: str
    code: str | None
    amount_raw: str | None
    amount_start: int | None
    scale: float
    start: int
    end: int


@dataclass
class Table:
    """One reconstructed indicator table.

    Attributes:
        form: "cells", "stream" or "inline".
        roles: the column roles read from the header, left to right.
        start, end: span of the header and rows.
        title: the table's title line when one stands just above it (or None).
        rows: the indicator rows, in order.
        heads: projects named by rows of the table itself (project column), in order.
    """

    form: str
    roles: list[str]
    start: int
    end: int
    title: str | None = None
    rows: list[Row] = field(default_factory=list)
    heads: list[Head] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PUNCT_GLUE = "、,，。;；:：()（）\"'“”《》"
_SPACE_CJK = re.compile(rf"(?<=[{_CJK}{re.escape(_PUNCT_GLUE)}%])\s+|\s+(?=[{_CJK}{re.escape(_PUNCT_GLUE)}%‰])")


_WS = re.compile(r"[\s\u3000]")
_NL = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t]+")


def clean(s: str) -> str:
    """Join a cell's wrapped lines and drop the spaces PDF extraction puts around CJK text.

    >>> clean("软件、 硬件\\n采购数量"), clean("现有车辆国 V 标准"), clean("H5 页面")
    ('软件、硬件采购数量', '现有车辆国V标准', 'H5页面')
    """
    if not _WS.search(s):
        return s
    s = s.replace("\u3000", " ").replace("\f", " ")
    s = _NL.sub("", s.strip())
    s = _SPACE_CJK.sub("", s)
    return _SPACES.sub(" ", s).strip()


def split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, without the newline."""
    out, pos = [], 0
    for part in text.split("\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out


@dataclass
class Value:
    """A parsed 指标值: operator (normalised or None), value as printed, unit as printed."""

    op: str | None
    value: str | None
    unit: str | None
    start: int  # span of the whole value expression (relative to the parsed string)
    end: int


_OPWORDS = dict(R.OPERATOR_WORDS)
_ANY_OP = rf"(?:{R.OP_RE}|{R.OP_WORD_RE})"
_EXACT_RE = re.compile(rf"^(?P<op>{_ANY_OP})?\s*(?P<num>{R.NUM_RE})\s*(?P<unit>{R.UNIT_RE})?$")
_LEXUNIT = "(?:" + "|".join(re.escape(u) for u in sorted(R.UNITS, key=len, reverse=True)) + ")"
_SEARCH_OP_RE = re.compile(rf"(?P<op>{_ANY_OP})\s*(?P<num>{R.NUM_RE})\s*(?P<unit>{_LEXUNIT}(?:/[^\s\d,，。;；()（）]{{1,4}})?)?")
_SEARCH_NUM_RE = re.compile(rf"(?<![\d.])(?P<num>{R.NUM_RE})\s*(?P<unit>{_LEXUNIT}(?:/[^\s\d,，。;；()（）]{{1,4}})?)")
_OPTEXT_RE = re.compile(rf"^(?P<pre>[^\d≥≤≧≦=<>]{{0,12}}?)(?P<op>{R.OP_RE})\s*(?P<text>[^\s\d≥≤≧≦=<>][^≥≤≧≦=<>]*)$")
_DATE_RE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月\s*(?:底|前|末|中旬|上旬|下旬)|年底|年内|年度$")
_TRAIL_PUNCT = "；;。，,、"


def _op(tok: str | None) -> str | None:
    """Normalised operator of a printed symbol or word (＝ → =, >= → ≥, 不低于 → ≥), or None."""
    if not tok:
        return None
    return R.OPERATORS.get(tok) or _OPWORDS.get(tok)


def parse_value(s: str, strict: bool = False) -> Value | None:
    """Parse a printed 指标值 into operator, value (as printed, without operator) and unit.

    Forms, in order: ``≥ 37 项`` / ``≤77.48万元`` / ``100%`` / ``不低于95%`` (exact); a list of
    values (``≥95%；100%``: kept whole, no operator); a date (``2026年12月31日前``: whole); a
    comparison inside text (``每年≥20场``, ``入库专家数不少于600个``: text dropped, unit from
    :data:`~extractor.project_rules.UNITS`); a number with a unit inside text (``输出报告1份``);
    an operator before text (``≦核定人数``).

    Args:
        s: the value text (parse form or original).
        strict: accept the exact form only (used to find where a row ends).

    Returns:
        The parsed value, or None when ``s`` holds no comparison or number (a text value).

    >>> v = parse_value("≥ 37 项"); (v.op, v.value, v.unit)
    ('≥', '37', '项')
    >>> v = parse_value("＜15万元"); (v.op, v.value, v.unit)
    ('<', '15', '万元')
    >>> v = parse_value("入库专家数不少于600个"); (v.op, v.value, v.unit)
    ('≥', '600', '个')
    """
    s = s.strip().rstrip(_TRAIL_PUNCT + " ")
    if not s:
        return None
    date = _DATE_RE.search(s)
    m = _EXACT_RE.match(s)
    if m and not date:
        unit = m.group("unit")
        if unit is not None:
            unit = clean(unit)
            if unit.count("(") + unit.count("（") < unit.count(")") + unit.count("）"):
                return None
        return Value(_op(m.group("op")), m.group("num"), unit or None, 0, len(s))
    if strict:
        return None
    parts = [p for p in re.split(r"[；;]", s) if p.strip()]
    if len(parts) >= 2 and all(re.search(rf"\d|{R.OP_RE}", p) for p in parts):
        return Value(None, clean(s), None, 0, len(s))
    if date:
        mo = re.match(rf"^({_ANY_OP})\s*(.+)$", s)
        if mo:
            return Value(_op(mo.group(1)), clean(mo.group(2)), None, 0, len(s))
        return Value(None, clean(s), None, 0, len(s))
    m = _SEARCH_OP_RE.search(s)
    if m:
        return Value(_op(m.group("op")), m.group("num"), m.group("unit"), m.start(), len(s))
    m = _OPTEXT_RE.match(s)
    if m:
        return Value(_op(m.group("op")), clean(m.group("text")), None, m.start("op"), len(s))
    m = re.match(rf"^(?P<pre>.{{0,12}}?)(?P<op>{R.OP_WORD_RE})(?P<text>[^\d].*)$", s)
    if m and not re.search(r"\d", s):
        return None  # 不超预算数: a text value, not a comparison with a number
    m = _SEARCH_NUM_RE.search(s)
    if m:
        return Value(None, m.group("num"), m.group("unit"), m.start(), len(s))
    return None


# ----------------------------------------------------------------------------------------------
# Vocabulary
# ----------------------------------------------------------------------------------------------

_L1 = set(R.LEVEL1)
_L2FULL = {f for f in R.LEVEL2_FORMS if f.endswith("指标")}
_L2BARE = {f for f in R.LEVEL2_FORMS if not f.endswith("指标")}
_GROUP = set(R.GROUP_LABELS)
_HEADER_WORDS = {name for name, _ in R.HEADER_ROLES} | {"绩效目标", "项目名称", "项目总额", "其中:", "其中：",
                                                     "财政资金", "其他资金", "一级指", "二级指", "三级指"}
_VOCAB = _L1 | set(R.LEVEL2_FORMS) | _GROUP | {name for name, _ in R.HEADER_ROLES}
_PREFIXES = {w[:i] for w in _VOCAB for i in range(1, len(w))}

_JUNK_LINE = re.compile(
    r"^\s*(?:\f|[-—–－]+\s*\d+\s*[-—–－]+|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}|\(\d{4}年度\)|（\d{4}年度）|备注.*)?\s*$"
)
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+部分)")


def _is_heading(line: str) -> bool:
    """A section heading (一、… / （二）… / 第三部分); a cell of text that happens to start with
    一、 goes on with a comma or a full stop, a heading does not."""
    st = line.strip()
    return bool(_HEADING.match(st)) and len(st) <= 40 and not re.search(r"[，,。；;]", st)


_TITLE = re.compile(r"(?:绩效目标|绩效指标|预算|申报|自评)[^\s]{0,6}表\s*$")


def _role_of(word: str) -> str | None:
    """The column role a header word names (三级指标 → l3 …), or None."""
    for name, role in R.HEADER_ROLES:
        if word == name or word.startswith(name):
            return role
    return None


# ----------------------------------------------------------------------------------------------
# Header detection
# ----------------------------------------------------------------------------------------------


def _header_roles(words: list[str]) -> list[str]:
    """Column roles of a header given its words in order.

    Words before the first indicator column become "lead" (活动, 绩效目标, 项目名称 …); other
    unknown words are dropped. A header without 三级指标 whose indicator column is called
    绩效指标 gets it as "l3" (the level labels are then printed inside that cell).
    """
    roles: list[str] = []
    has_l3 = any("三级指标" in w for w in words)
    for w in words:
        w = re.sub(r"\s+", "", w)
        r = None
        for name, role in R.HEADER_ROLES:
            if name in w:
                r = role
                break
        if r is None and not has_l3 and w in ("绩效指标", "指标名称"):
            r = "l3"
        if r is None:
            if not roles and w not in R.GROUP_LABELS:
                roles.append("lead")
            continue
        if not roles or roles[-1] != r:
            roles.append(r)
    return roles


def _is_header_line(s: str) -> bool:
    """A header line of an indicator table (its words, as printed on one line)."""
    if "指标" not in s:
        return False
    s = re.sub(r"\s+", "", s)
    if "三级指标" in s or ("一级指标" in s and "二级指标" in s):
        return True
    # 部门整体 tables: 活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位.
    return "绩效指标" in s and "指标值" in s and bool(re.search(r"指标性质|度量单位|计量单位", s)) and len(s) < 40


# ----------------------------------------------------------------------------------------------
# Cell-per-line form
# ----------------------------------------------------------------------------------------------


def _blocks(norm: str, lines: list[tuple[int, int]], i0: int) -> list[list[tuple[int, int]]]:
    """Blank-line separated blocks of tab-led cells from line i0; stops at a non-cell line."""
    blocks: list[list[tuple[int, int]]] = []
    cur: list[list[int]] = []
    i = i0
    while i < len(lines):
        s, e = lines[i]
        ln = norm[s:e]
        if ln.startswith("\t"):
            cur.append([s + 1, e])
        elif ln.strip() == "":
            if cur:
                blocks.append([(a, b) for a, b in cur])
                cur = []
        elif cur:
            cur[-1][1] = e  # a wrapped cell
        else:
            break
        i += 1
    if cur:
        blocks.append([(a, b) for a, b in cur])
    return blocks


def _cell(text: str, a: int, b: int) -> Cell:
    seg = text[a:b]
    lead = len(seg) - len(seg.lstrip(" \t\u3000\n"))
    trail = len(seg) - len(seg.rstrip(" \t\u3000\n"))
    return Cell(clean(seg), a + lead, max(a + lead, b - trail))


def _cell_table(text: str, norm: str, lines, hi: int) -> Table | None:
    """Read a cell-per-line table whose header block contains line ``hi``."""
    i0 = hi
    while i0 > 0 and norm[lines[i0 - 1][0]:lines[i0 - 1][1]].startswith("\t"):
        i0 -= 1
    blocks = _blocks(norm, lines, i0)
    if not blocks:
        return None
    header = [clean(text[a:b]) for a, b in blocks[0]]
    roles = [(_role_of(w) or "other") for w in header]
    if "l3" not in roles:
        return None
    rows_blocks = blocks[1:]
    # 8-column form: a second header row names 符号 / 值 / 单位 under 指标值.
    if rows_blocks:
        sub = [clean(text[a:b]) for a, b in rows_blocks[0]]
        if any(w == "符号" for w in sub) and any(w.startswith("值") for w in sub):
            new = []
            for k, w in enumerate(sub):
                if w == "符号":
                    new.append("op")
                elif w.startswith("值"):
                    new.append("value")
                elif w.startswith("单位"):
                    new.append("unit")
                elif k < len(roles) and roles[k] != "value":
                    new.append(roles[k])  # columns left of 指标值 keep their header roles
                else:
                    new.append("basis")  # right of the split: 指标值确定依据
            roles = new
            rows_blocks = rows_blocks[1:]
    table = Table("cells", roles, lines[i0][0], lines[hi][1])
    carry: dict[str, Cell] = {}
    for blk in rows_blocks:
        cells = [_cell(text, a, b) for a, b in blk]
        if all(not c.text for c in cells):
            continue  # padding row (full-width spaces)
        rr = list(roles)
        if len(cells) == len(rr) + 1 and "value" in rr and "unit" not in rr:
            k = rr.index("value")
            rr.insert(k + 1, "unit")
        row_cells: dict[str, Cell] = {}
        for role, c in zip(rr, cells):
            if role != "other" and role not in row_cells:
                row_cells[role] = c
        inferred = set()
        for lv in ("l1", "l2"):
            c = row_cells.get(lv)
            if c is None or not c.text:
                if lv in carry:
                    row_cells[lv] = carry[lv]
                    inferred.add(lv)
            else:
                carry[lv] = c
                if lv == "l1":
                    carry.pop("l2", None)
        nonempty = [c for c in cells if c.text]
        if not any(row_cells.get(r) and row_cells[r].text for r in ("l3", "value", "desc")):
            continue
        table.rows.append(Row(row_cells, nonempty[0].start, nonempty[-1].end, inferred))
        table.end = blk[-1][1]
    return table


# ----------------------------------------------------------------------------------------------
# Stream form
# ----------------------------------------------------------------------------------------------


@dataclass
class _Tok:
    text: str  # parse form
    start: int
    end: int
    line: int
    first: bool  # first token of its line
    last: bool  # last token of its line
    tab: bool = False  # followed by a tab (a sure cell boundary)
    kind: str = "text"


_SPLIT = re.compile(r"[ \t]+")


_GLUE_BEFORE = "、，,；;：:（(“‘《"
_GLUE_AFTER = "、，,。；;：:）)”’》“‘《（("


def _line_tokens(norm: str, s: int, e: int, li: int, text: str | None = None) -> list[_Tok]:
    """Words of line ``li`` (span [s, e)). A tab always separates cells; a space does unless
    it is PDF spacing inside a cell: after opening or list punctuation, before closing or list
    punctuation, or between a closing quote or bracket and a CJK character."""
    seg = norm[s:e]
    orig = text[s:e] if text is not None else seg
    toks: list[_Tok] = []
    pos = len(seg) - len(seg.lstrip(" \t"))
    for m in _SPLIT.finditer(seg, pos):
        a, b = m.span()
        if b >= len(seg):
            break  # trailing blanks
        before, after = orig[a - 1], orig[b]
        tab = "\t" in m.group()
        glue = not tab and (before in _GLUE_BEFORE or after in _GLUE_AFTER
                            or (before in "”’》）)" and "\u4e00" <= after <= "\u9fff"))
        if glue:
            continue
        toks.append(_Tok(seg[pos:a], s + pos, s + a, li, False, False, tab))
        pos = b
    tail = seg[pos:].rstrip()
    if tail:
        toks.append(_Tok(tail, s + pos, s + pos + len(tail), li, False, False))
    toks = _split_labels(toks)
    if toks:
        toks[0].first = True
        toks[-1].last = True
    return toks


_LABEL_PREFIX = re.compile("(?:" + "|".join(map(re.escape, sorted(_L1 | _L2FULL, key=len, reverse=True))) + ")")


def _split_labels(toks: list[_Tok]) -> list[_Tok]:
    """Split level labels printed glued to the next cell (产出指标数量指标参保人…)."""
    out = []
    for t in toks:
        rest = t
        while True:
            m = _LABEL_PREFIX.match(rest.text)
            if not m or m.end() >= len(rest.text):
                break
            k = m.end()
            out.append(_Tok(rest.text[:k], rest.start, rest.start + k, rest.line, False, False))
            rest = _Tok(rest.text[k:], rest.start + k, rest.end, rest.line, False, False, rest.tab)
        out.append(rest)
    return out


def _classify(t: _Tok, prev_kind: str | None) -> str:
    """Kind of a word in a table: a level label, a group label, a header word, or text."""
    w = t.text
    if w in _GROUP:
        return "group"
    if w in _L1:
        return "l1"
    if w in _L2FULL:
        # The same words as a 三级指标 right after a 二级 label (服务对象满意度指标 twice).
        return "text" if prev_kind == "l2" else "l2"
    if w in _L2BARE and prev_kind == "l1":
        return "l2"  # a bare 经济成本 / 社会效益 only where a 二级 is due
    if w in _HEADER_WORDS or (len(w) <= 8 and w.endswith(("指标值", "单位", "依据", "权重")) and _role_of(w)):
        return "hdr"
    return "text"


_OP_START = _OP_ANY = re.compile(R.OP_RE)
_LIST_SEP = re.compile(r"[；;]")
_VALUEISH = re.compile(rf"\d|{R.OP_RE}|[；;]")
_DIGIT = re.compile(r"\d")
_UNIT_WORD = re.compile(r"[^\d\s≥≤=<>。，,；;:：]{1,12}")
_UNIT_LINE = re.compile(r"^\s*(?:金额单位|单位)\s*[:：]")
_CODE_TAIL = re.compile(r"^(\d{1,8})-(.*)$")
_AMOUNT_RUN = re.compile(r"(?:(?<=\s)|^)(-?\d[\d,]*\.\d+|-?\d{1,3}(?:,\d{3})+|\d+)((?:\s+(?:-?\d[\d,]*\.\d+|\d+)){0,4})"
                         r"(?:\s+(?P<rest>[^\d\s.].*))?$")
_DEADLINE = re.compile(r"\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*(?:底|前|末|内|以前|之前)|年底前|年内")
_VALUE_START = re.compile(rf"^(?:{R.OP_RE}|{R.OP_WORD_RE}|[-+]?\d)")
_BARE_INT = re.compile(r"\d{1,3}(?:\.\d+)?")


class _Stream:
    """Reads indicator rows out of a stream of words (see the module docstring).

    Words accumulate in ``pending`` until the pending words end with a value; the words before
    the value are the 三级指标. Level labels set the carried 一级/二级; a row may stay open to
    take a 定性 text value, a unit, or further values of a list printed on the next lines.
    """

    def __init__(self, text: str, norm: str, roles: list[str], table: Table):
        self.text, self.norm, self.table = text, norm, table
        tail = roles[roles.index("l3") + 1:] if "l3" in roles else ["value"]
        self.has_nature = "nature" in tail or "op" in tail
        self.has_unit_col = "unit" in tail
        self.has_weight = "weight" in tail
        self.has_period = "period" in tail
        #: The header has a column left of the indicator names (活动, 绩效目标, 项目名称).
        self.lead_col = bool(roles) and roles[0] not in ("l1", "l2", "l3")
        self.l1: Cell | None = None
        self.l2: Cell | None = None
        self.l1_fresh = False
        self.pending: list[_Tok] = []
        self.open: Row | None = None
        self.open_kind = ""  # "text" (定性 value) | "unit" | "multi" (list of values)
        self.prev_kind: str | None = None

    # -- state -------------------------------------------------------------------------------
    def close(self) -> None:
        self.open, self.open_kind = None, ""

    def reset(self) -> None:
        self.close()
        self.pending = []

    def set_l1(self, t: _Tok, inside_row: bool = False) -> None:
        self.close()
        self.pending = []
        keep_l2 = inside_row and self.l2 is not None and R.LEVEL2_PARENT.get(
            R.LEVEL2_FORMS.get(self.l2.text, "")) == t.text
        self.l1 = Cell(t.text, t.start, t.end)
        if not keep_l2:
            self.l2 = None  # (a 一级 label inside a wrapped row leaves that row's 二级 alone)
        self.l1_fresh = True

    def set_l2(self, t: _Tok) -> None:
        self.close()
        self.pending = []
        self.l2 = Cell(t.text, t.start, t.end)
        parent = R.LEVEL2_PARENT.get(R.LEVEL2_FORMS.get(t.text, ""))
        if parent and not self.l1_fresh and (self.l1 is None or self.l1.text != parent):
            # A merged 一级 cell printed away from its rows: the 二级 name says which it is.
            self.l1 = Cell(parent, t.start, t.start)
        self.l1_fresh = False

    # -- rows --------------------------------------------------------------------------------
    def _emit(self, l3: list[_Tok], cells: dict[str, Cell], last: _Tok) -> Row:
        inferred = set()
        if self.l1 is not None:
            cells["l1"] = self.l1
            if self.l1.start == self.l1.end:
                inferred.add("l1")
        if self.l2 is not None:
            cells["l2"] = self.l2
        if l3:
            a, b = l3[0].start, l3[-1].end
            cells["l3"] = Cell(clean(self.text[a:b]), a, b)
        start = l3[0].start if l3 else min(c.start for c in cells.values() if c.end > c.start)
        row = Row(cells, start, last.end, inferred)
        self.table.rows.append(row)
        self.table.end = max(self.table.end, last.end)
        self.pending = []
        self.l1_fresh = False
        return row

    def _cell(self, toks: list[_Tok]) -> Cell:
        a, b = toks[0].start, toks[-1].end
        return Cell(clean(self.text[a:b]), a, b)

    def try_close_row(self) -> bool:
        """Close a row if the pending words end with a value; True when a row was emitted."""
        toks = list(self.pending)
        if not toks:
            return False
        if not self.has_nature and not self.has_weight and toks[-1].kind != "text":
            return False
        extra: dict[str, Cell] = {}
        if self.has_weight and len(toks) >= 2 and _BARE_INT.fullmatch(toks[-1].text):
            w = toks.pop()  # 分值权重 column
            extra["weight"] = Cell(w.text, w.start, w.end)
        if self.has_nature:
            # 性质 column: 定性 then a text value (maybe on the next lines).
            for k in range(len(toks) - 1, max(-1, len(toks) - 4), -1):
                if toks[k].text in R.QUALITATIVE_MARKS and k > 0:
                    cells = dict(extra)
                    cells["nature"] = Cell(toks[k].text, toks[k].start, toks[k].end)
                    rest = toks[k + 1:]
                    if rest:
                        cells["value"] = self._cell(rest)
                    row = self._emit(toks[:k], cells, toks[-1])
                    if not rest:
                        self.open, self.open_kind = row, "text"
                    return True
        best = None
        for k in range(1, min(4, len(toks)) + 1):
            seg = toks[-k:]
            if not _VALUE_START.match(seg[0].text):
                continue
            v = parse_value(clean(" ".join(t.text for t in seg)), strict=True)
            if v is None or (self.has_nature and (v.op is None or not _OP_START.match(seg[0].text))):
                continue  # a 性质 column prints its comparison as a symbol
            best = (k, v)
        if best is None:
            return self._loose_value(toks, extra)
        k, v = best
        vt, l3 = toks[-k:], toks[:-k]
        if not l3 and v.op is None and not (self.l2 or self.l1):
            return False
        if not l3 and not (self.l2 or self.l1):
            return False
        cells = dict(extra)
        if self.has_period and l3 and l3[-1].line == vt[0].line and parse_value(l3[-1].text, strict=True):
            per = l3.pop()  # 实施周期指标值 before the 年度指标值
            cells["period"] = Cell(clean(self.text[per.start:per.end]), per.start, per.end)
        cells["value"] = self._cell(vt)
        row = self._emit(l3, cells, vt[-1])
        if vt[-1].text.endswith(("；", ";")) and "weight" not in extra:
            self.open, self.open_kind = row, "multi"  # a list of values goes on
        elif v.unit is None and "weight" not in extra:
            self.open, self.open_kind = row, "unit"
        elif self.has_weight and "weight" not in extra and vt[-1].last:
            self.open, self.open_kind = row, "tail"  # value's end and 分值 on the next line
        return True

    def _loose_value(self, toks: list[_Tok], extra: dict[str, Cell]) -> bool:
        """The last word of a line as the value: a list of values, a comparison in words or
        inside text, or a 文字 value — only where the value column ends the row (no 性质)."""
        last = toks[-1]
        at_end = last.last or ("weight" in extra and extra["weight"].start > last.end
                               and self.norm.find("\n", last.end, extra["weight"].start) < 0)
        if not at_end or last.kind != "text":
            return False
        same = [t for t in toks if t.line == last.line]
        if self.has_nature:
            # A whole row on one line with no 性质: labels, name, a text value.
            if not (len(toks) == 2 and len(same) == 2 and self.l2 is not None and self.l2.start >= self.norm.rfind("\n", 0, last.start)):
                return False
        elif len(same) == 1 and len(toks) >= 2 and _DEADLINE.search(last.text) and len(last.text) <= 16:
            cells = dict(extra)
            cells["value"] = self._cell([last])  # a deadline (7月底前) alone on its line
            self._emit(toks[:-1], cells, last)
            return True
        listy = bool(_LIST_SEP.search(last.text)) and parse_value(last.text) is not None
        # A value alone on its line is a value when the 分值 column closes that line.
        if len(same) < 2 and not ((listy or "weight" in extra) and len(toks) >= 2):
            return False
        if len(last.text) > 24 or last.text.endswith("。") or last.text in _VOCAB:
            return False
        cells = dict(extra)
        cells["value"] = self._cell([last])
        row = self._emit(toks[:-1], cells, last)
        if listy and "weight" not in extra:
            self.open, self.open_kind = row, "multi"
        return True

    def continue_open(self, t: _Tok) -> bool:
        """Give a word to the open row: a 定性 text value, a unit on its own line, or the rest
        of a list of values. False when the word starts something else."""
        row = self.open
        if row is None:
            return False
        kind = self.open_kind
        if kind == "text":
            c = row.cells.get("value")
            a = c.start if c else t.start
            row.cells["value"] = Cell(clean(self.text[a:t.end]), a, t.end)
            if (c is None and t.first and t.last and len(t.text) <= 4) or len(row.cells["value"].text) > 80:
                self.close()  # a grade (优/良) on its own line, or text running on: done
        elif kind == "multi":
            if self.has_weight and t.last and _BARE_INT.fullmatch(t.text):
                row.cells["weight"] = Cell(t.text, t.start, t.end)
                self.close()
            elif t.first and (_VALUEISH.search(t.text) and len(t.text) <= 30 or (
                    len(t.text) <= 3 and row.cells["value"].text[-1:].isdigit())):
                c = row.cells["value"]
                row.cells["value"] = Cell(clean(self.text[c.start:t.end]), c.start, t.end)
            else:
                self.close()
                return False
        elif kind == "tail":
            if self.has_weight and t.last and _BARE_INT.fullmatch(t.text):
                row.cells["weight"] = Cell(t.text, t.start, t.end)
                self.close()
            elif t.first and t.kind == "text" and len(t.text) <= 3 and not _DIGIT.search(t.text):
                c = row.cells["value"]
                row.cells["value"] = Cell(clean(self.text[c.start:t.end]), c.start, t.end)
            else:
                self.close()
                return False
        elif kind == "unit":
            c = row.cells.get("unit")
            if c is None:
                if not (t.first and t.kind == "text" and _UNIT_WORD.fullmatch(clean(t.text))
                        and (self.has_unit_col or len(t.text) <= 2)):
                    self.close()
                    return False
                row.cells["unit"] = Cell(clean(self.text[t.start:t.end]), t.start, t.end)
            else:
                balanced = c.text.count("(") + c.text.count("（") <= c.text.count(")") + c.text.count("）")
                if balanced and not t.text.startswith(("(", "（")):
                    self.close()
                    return False
                row.cells["unit"] = Cell(clean(self.text[c.start:t.end]), c.start, t.end)
        else:
            return False
        row.end = max(row.end, t.end)
        self.table.end = max(self.table.end, t.end)
        return True


class _Lines:
    """Tokens of each line, cut lazily; a label wrapped onto the next line takes that line's
    first word away from it."""

    def __init__(self, norm: str, lines, text: str | None = None):
        self.norm, self.lines, self.text = norm, lines, text
        self.cache: dict[int, list[_Tok]] = {}

    def get(self, i: int) -> list[_Tok]:
        toks = self.cache.get(i)
        if toks is None:
            s, e = self.lines[i]
            toks = self.cache[i] = _line_tokens(self.norm, s, e, i, self.text)
        return toks

    def merged(self, i: int) -> list[_Tok]:
        """Line i's tokens with wrapped labels joined (一级指\\n标, 成本指 … \\n标, 年\\n度\\n绩\\n效…)."""
        toks = self.get(i)
        for t in toks:
            if t.text not in _PREFIXES:
                continue
            acc, j, chain, best = t.text, i + 1, [], None
            while j < len(self.lines) and len(chain) < 8:
                nt = self.get(j)
                if not nt:
                    break
                u = nt[0]
                acc2 = acc + u.text
                if acc2 in _VOCAB:
                    best = (list(chain) + [j], acc2, u)
                if acc2 not in _PREFIXES or len(nt) > 1:
                    break
                chain.append(j)
                acc = acc2
                j += 1
            if best:
                js, word, u = best
                for j in js:
                    self.cache[j] = self.cache[j][1:]
                    if self.cache[j]:
                        self.cache[j][0].first = True
                t.text = word
                t.end = u.end if t.last else t.end
                if u.tab:
                    t.tab = True
        return toks


def _stream_table(text: str, norm: str, lines, hi: int, h_end_line: int, roles: list[str],
                  project_col: bool, scale: float, title: str | None,
                  start_line: int | None = None) -> tuple[Table, int]:
    """Read a stream table whose header ends at line ``h_end_line`` (rows from ``start_line``
    when PDF text put some above the header); returns it and the line after it."""
    table = Table("stream", roles, lines[hi if start_line is None else start_line][0], lines[h_end_line][1], title)
    st = _Stream(text, norm, roles, table)
    lt = _Lines(norm, lines, text)
    i = h_end_line + 1 if start_line is None else start_line
    quiet = 0
    while i < len(lines):
        s, e = lines[i]
        ln = norm[s:e]
        stripped = ln.strip()
        if _JUNK_LINE.match(ln):
            if stripped.startswith("备注"):
                break
            i += 1
            continue
        if _is_heading(ln) or _TABLE_END.match(stripped):
            break
        titled = _TITLE.search(stripped) and len(stripped) <= 40
        if _is_header_line(ln) or _NAME_LINE.match(ln) or (titled and not st.pending):
            # A table with a 项目名称 column goes on over pages that print its title and header
            # again (in any order); any other table ends here.
            if titled and not _is_header_line(ln) and _rows_follow(norm, lines, i + 1):
                i += 1  # a running title at a page foot: the table goes on over the page
                continue
            if not project_col or (titled and re.search(r"整体|自评", stripped)):
                break
            if not _is_header_line(ln) or _header_roles(re.findall(r"\S+", ln)) == roles:
                st.reset()
                i += 1
                continue
            break
        if project_col and _UNIT_LINE.match(ln):
            i += 1
            continue
        toks = lt.merged(i)
        if not toks:
            i += 1
            continue
        # Rows of the table's 项目名称 column: a code, a name, amounts (a new project).
        if project_col:
            head = _project_cell(text, norm, lines, i, toks, st, scale)
            if head is not None:
                h, nxt = head
                if h is not None:
                    table.heads.append(h)
                st.reset()
                st.l1 = st.l2 = None
                i = nxt
                quiet = 0
                continue
        for t in toks:
            t.kind = _classify(t, st.prev_kind)
            st.prev_kind = t.kind
            if t.kind == "group":
                st.close()
                st.pending = []
                continue
            if t.kind == "hdr":
                st.reset()
                continue
            if t.kind in ("l1", "l2"):
                keep = None
                if st.pending and not st.try_close_row() and not t.first and not st.lead_col:
                    # A merged label printed inside a wrapped row: the row goes on after it.
                    keep = st.pending
                if t.kind == "l1":
                    st.set_l1(t, inside_row=keep is not None)
                else:
                    st.set_l2(t)
                if keep:
                    st.pending = keep
                continue
            if st.open is not None and not st.pending and st.continue_open(t):
                continue
            st.pending.append(t)
            if t.last:
                st.try_close_row()
        i += 1
        quiet = 0 if (table.rows and table.rows[-1].end >= s) or not st.pending else quiet + 1
        if quiet > (250 if project_col else 80):
            break
    return table, i


_ROW_START = re.compile(r"^\s*(?:" + "|".join(sorted(R.LEVEL1, key=len, reverse=True)) + r")\s*\S*指标")


def _rows_follow(norm: str, lines, i: int) -> bool:
    """Whether, past titles, page numbers and the page break, the next line goes on with rows."""
    for k in range(i, min(len(lines), i + 8)):
        ln = norm[lines[k][0]:lines[k][1]]
        st = ln.strip()
        if not st or _JUNK_LINE.match(ln) or (_TITLE.search(st) and len(st) <= 40):
            continue
        first = re.split(r"[ \t]+", st)[0]
        return first in _L1 or first in _L2FULL or first in _GROUP
    return False


_NAME_LINE = re.compile(r"^\s*(?:" + "|".join(R.NAME_LABELS) + r")(?!\s*(?:\(|（|项目总额|总计|合计))")


_CODE_PART = re.compile(r"^(?P<code>[0-9A-Z][0-9A-Z-]{8,}[0-9A-Z])(?P<dash>-)?(?P<rest>.*)$")  # a code never ends in its dash


def _project_cell(text: str, norm: str, lines, i: int, toks: list[_Tok], st: _Stream,
                  scale: float) -> tuple[Head | None, int] | None:
    """A project row of a table's 项目名称 column starting at line i, and the line after it
    (the head is None for a row of amounts whose name is printed elsewhere); None when line i
    is not such a row."""
    first = toks[0].text
    m = _CODE_PART.match(first)
    code = None
    j = i
    name_parts: list[tuple[int, int]] = []
    start = toks[0].start
    if m and R.looks_like_code(m.group("code")):
        code = m.group("code")
        cend = toks[0].start + len(code)
        rest_start = toks[0].start + m.start("rest")
        if not m.group("dash") and toks[0].last and len(toks) == 1 and j + 1 < len(lines):
            # PDF broke the code: its last digits open the next line, before the dash.
            s2, e2 = lines[j + 1]
            m2 = _CODE_TAIL.match(norm[s2:e2])
            if m2:
                code += m2.group(1)
                j += 1
                rest_start = s2 + m2.start(2)
                cend = s2 + m2.end(1)
        seg = norm[rest_start:lines[j][1]].strip()
        # Same line may end with the amounts.
        amt = _trailing_amounts(norm, rest_start, lines[j][1])
        if amt is not None:
            name_parts.append((rest_start, amt[0]))
            return _finish_head(text, code, name_parts, amt, start, cend, scale), j + 1
        if seg:
            name_parts.append((rest_start, lines[j][1]))
        # The name goes on to the amount line, or (amounts printed elsewhere) to a blank line
        # or the first row.
        k = j + 1
        while k < len(lines) and k - j <= 6:
            s2, e2 = lines[k]
            ln = norm[s2:e2]
            amt = _trailing_amounts(norm, s2, e2)
            if amt is not None:
                if amt[0] > s2 and norm[s2:amt[0]].strip():
                    name_parts.append((s2, amt[0]))
                return _finish_head(text, code, name_parts, amt, start, cend, scale), k + 1
            st_ = ln.strip()
            first_word = st_.split(" ")[0] if st_ else ""
            if not st_ or ln.startswith("\f") or len(st_) > 24 or first_word in _L1 or first_word in _L2FULL \
                    or _CODE_PART.match(st_) and R.looks_like_code(_CODE_PART.match(st_).group("code")):
                break
            name_parts.append((s2, e2))
            k += 1
        amt = _amounts_above(norm, lines, i)
        return _finish_head(text, code, name_parts, amt, start, cend, scale), k
    # No code: a name (possibly over previous pending lines) followed by amounts on its line.
    amt = _trailing_amounts(norm, lines[i][0], lines[i][1])
    if amt is None:
        return None
    before = norm[lines[i][0]:amt[0]].strip()
    if before and (_OP_ANY.search(before) or before.startswith(("合计", "总计", "合 计"))):
        return None
    if before:
        name_parts = [(t.start, t.end) for t in st.pending] + [(lines[i][0], amt[0])]
    else:
        name_parts = [(t.start, t.end) for t in st.pending]
    name = clean("\n".join(text[a:b] for a, b in name_parts)) if name_parts else ""
    if not name or len(name) > 40 or re.search(r"[。；;]", name):
        # Amounts of a project whose name is printed elsewhere (or 绩效目标 text): no head.
        return None, i + 1
    start = name_parts[0][0]
    return _finish_head(text, None, name_parts, amt, start, None, scale), i + 1


def _amounts_above(norm: str, lines, i: int) -> tuple[int, int, str] | None:
    """Amounts printed above a project's code on the same page (PDF text out of order)."""
    for k in range(i - 1, max(-1, i - 12), -1):
        s, e = lines[k]
        ln = norm[s:e]
        if "\f" in ln:
            break
        amt = _trailing_amounts(norm, s, e)
        if amt is not None and not norm[s:amt[0]].strip():
            return amt
        if amt is not None or _OP_ANY.search(ln):
            break
    return None


def _trailing_amounts(norm: str, s: int, e: int) -> tuple[int, int, str] | None:
    """The first of a run of 1-5 amounts on the line [s, e): (start, end, text), or None.

    The run closes the line, or (two amounts or more) is followed by the 绩效目标 text."""
    seg = norm[s:e].rstrip()
    if not _DIGIT.search(seg):
        return None
    m = _AMOUNT_RUN.search(seg)
    if not m:
        return None
    nums = [m.group(1)] + m.group(2).split()
    if not any("." in x or "," in x for x in nums) and len(nums) < 2:
        return None
    if m.group("rest") and len(nums) < 2:
        return None
    if len(nums) == 1 and m.start() == 0 and "." not in nums[0]:
        return None
    return s + m.start(1), s + m.end(1), m.group(1)


def _finish_head(text: str, code: str | None, parts: list[tuple[int, int]], amt, start: int,
                 cend: int | None, scale: float) -> Head:
    name = clean("".join(text[a:b] + "\n" for a, b in parts)) if parts else ""
    end = max([b for _, b in parts] + [cend or start])
    return Head(name, code, amt[2] if amt else None, amt[0] if amt else None, scale, start, end)


# ----------------------------------------------------------------------------------------------
# Inline list form
# ----------------------------------------------------------------------------------------------

_SEP = r"[；;，,、]"
_INLINE = re.compile(
    r"(?:(?<=[。；;，,\s])|^)(?:\d{1,2}\s*[、.．]\s*)?"
    r"(?P<n1>\d)\s*[-－—]\s*(?P<l1>[^；;，,、\d]{2,8}?指标)\s*" + _SEP + r"\s*"
    r"(?P<n2>\d{2})\s*[-－—]\s*(?P<l2>[^；;，,、\d]{2,12}?)\s*" + _SEP + r"\s*"
    r"(?P<l3>.{1,120}?)\s*[；;，,。]\s*"
    r"实施周期指标值\s*[:：]\s*(?P<pv>.{0,80}?)\s*[，,；;。]?\s*"
    r"年度指标值\s*[:：]\s*(?P<v>[^；;。]{0,40}?)\s*(?=[；;。]|\d{1,2}\s*[、.．]\s*\d\s*[-－—]|$)"
)


def inline_rows(text: str, norm: str) -> list[Row]:
    """Indicator rows written as a numbered list inside one cell (…；实施周期指标值:…；年度指标值:…).

    The list wraps over lines freely, so it is matched on the text with newlines removed.
    """
    if "年度指标值" not in norm.replace("\n", ""):
        return []
    # Compact index → document offset: newlines removed before compact position c.
    nl = [m.start() for m in re.finditer("\n", norm)]
    cpos = [p - j for j, p in enumerate(nl)]
    compact = norm.replace("\n", "")

    class _Keep:
        def __getitem__(self, c: int) -> int:
            return c + bisect.bisect_right(cpos, c)

        def __len__(self) -> int:
            return len(compact)

    keep = _Keep()
    rows = []
    for m in _INLINE.finditer(compact):
        def span(g: str) -> tuple[int, int]:
            a, b = m.span(g)
            if a == b:
                return keep[a] if a < len(keep) else len(norm), keep[a] if a < len(keep) else len(norm)
            return keep[a], keep[b - 1] + 1

        cells = {}
        for g, role in (("l1", "l1"), ("l2", "l2"), ("l3", "l3"), ("pv", "period")):
            a, b = span(g)
            cells[role] = Cell(clean(text[a:b]), a, b)
        va, vb = span("v")
        cells["value"] = Cell(clean(text[va:vb]), va, vb)
        a0 = keep[m.start("n1")]
        rows.append(Row(cells, a0, vb))
    return rows


# ----------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------


def _unit_scale(norm: str, lines, i: int, back: int = 8) -> float:
    """×10000 when the table's unit line just above says 万元, else ×1 when it says 元."""
    for k in range(i, max(-1, i - back), -1):
        ln = norm[lines[k][0]:lines[k][1]]
        m = re.search(r"单位\s*[:：]?\s*(万元|元)", ln)
        if m:
            return 10000.0 if m.group(1) == "万元" else 1.0
    return 10000.0


def find_tables(text: str, norm: str, lines: list[tuple[int, int]] | None = None) -> list[Table]:
    """Every indicator table of the document, in order.

    Args:
        text: the document text (cells are cut from it).
        norm: its parse form (see :func:`extractor.normalize.parse_form`).

    Returns:
        Tables in document order; a table continued over pages without its header is one
        table, a table whose header is printed again on the next page is a new one.
    """
    lines = lines or split_lines(norm)
    tables: list[Table] = []
    i = 0
    n = len(lines)
    last_end = -1
    while i < n:
        s, e = lines[i]
        ln = norm[s:e]
        if not _is_header_line(ln) and not ln.startswith("\t一级指标"):
            i += 1
            continue
        if ln.startswith("\t"):
            t = _cell_table(text, norm, lines, i)
            if t is not None and t.rows:
                t.title = _title_above(norm, lines, i)
                tables.append(t)
                j = i
                while j < n and lines[j][1] <= t.end:
                    j += 1
                i = max(i + 1, j)
                continue
            i += 1
            continue
        # Stream: the header may wrap over the lines around (一级指\n标 / 绩效度量单\n位).
        h0, h1 = i, i
        while h0 > 0 and i - h0 < 4:
            prev = norm[lines[h0 - 1][0]:lines[h0 - 1][1]]
            if re.fullmatch(r"\s*(?:[一二]级指|标|一级指标|其中[:：]?|项目名称.*|金额单位.*|单位.*)\s*", prev) and not _TITLE.search(prev):
                h0 -= 1
            else:
                break
        words = re.findall(r"\S+", norm[lines[h0][0]:lines[h1][1]])
        while h1 + 1 < n:
            nxt = norm[lines[h1 + 1][0]:lines[h1 + 1][1]].strip()
            if re.fullmatch(r"(?:分值权重|\(\d+分\)|（\d+分）|财政资金\s*其他资金|位|标|其中[:：]?|\(?90分\)?)+", nxt.replace(" ", "")):
                h1 += 1
                words += nxt.split()
            else:
                break
        joined = "".join(words)
        hwords = re.findall(r"\S+", ln)
        if "权重" in joined and "权重" not in ln:
            hwords.append("分值权重")  # printed on the line under the header
        roles = _header_roles(hwords)
        if "l3" not in roles:
            roles = ["l1", "l2", "l3", "value"]
        # A 项目名称 column header (not a 项目名称 label with its value) near the header.
        ctx = norm[lines[max(0, i - 8)][0]:lines[min(n - 1, i + 30)][1]]
        project_col = bool(re.search(r"(?m)项目名称[ \t]*(?:$|项目总额)", ctx))
        scale = _unit_scale(norm, lines, i)
        title = _title_above(norm, lines, h0)
        # PDF text out of order: rows printed above their header on the same page belong to it.
        k = h0 - 1
        first_row = None
        while k > last_end and "\f" not in norm[lines[k][0]:lines[k][1]] and h0 - k < 120:
            if _ROW_START.match(norm[lines[k][0]:lines[k][1]]):
                first_row = k
            k -= 1
        early = k + 1 if first_row is not None and project_col else None
        t, j = _stream_table(text, norm, lines, h0, h1, roles, project_col, scale, title,
                             start_line=early)
        if t.rows or t.heads:
            tables.append(t)
        i = max(j, i + 1)
        last_end = i - 1
    return tables


def _title_above(norm: str, lines, i: int) -> str | None:
    """The title line (…绩效目标表, 部门整体…) of the table whose header is at line i, if no
    project head or other table stands between them."""
    for k in range(i - 1, max(-1, i - 80), -1):
        ln = norm[lines[k][0]:lines[k][1]].strip()
        if re.search(r"(?:绩效目标|绩效指标|绩效自评|自评)[^\s]{0,8}表|整体支出绩效|整体绩效|整体预算绩效", ln):
            return ln
        if _NAME_LINE.match(ln) or _is_header_line(ln) or re.match(r"^[0-9A-Z]{8,}", ln):
            return None
    return None


# ----------------------------------------------------------------------------------------------
# Project tables (one row per project: name, amounts, maybe a 绩效目标 text)
# ----------------------------------------------------------------------------------------------

_PROJ_TITLE = re.compile(r"(?:项目|专项业务经费)[^\s]{0,14}(?:支出|预算)[^\s]{0,14}表\s*$")
#: A title may end in a note: 专项业务经费支出表（不含上年结转）. Only opens a table; the plain form ends one.
_PROJ_TITLE_NOTED = re.compile(r"(?:项目|专项业务经费)[^\s]{0,14}(?:支出|预算)[^\s]{0,14}表\s*(?:[(（][^)）]{0,12}[)）])?\s*$")
# 上年结转 tables are not project tables; a title that says 不含上年结转 (excluding it) is one.
_PROJ_TITLE_NOT = re.compile(r"绩效|政府采购|三公|经济分类|购买服务|(?<!不含上年)结转")
#: A header naming a project column next to a 预算数/金额 column and a 绩效目标 text column
#: (重点项目 tables), or a 项目名称（资金使用单位） column (project 绩效目标表 with list cells).
_PROJ_HEADER = re.compile(r"项目(?:名称)?\s*(?:[(（]资金使用单?位?)?.{0,20}(?:预算数|金额|总计)|项目名称[(（]资金使")
_TABLE_END = re.compile(r"^\s*(?:表\s*\d+(?:-\d+)?(?:\s*$|\s+\d{4}\s*年)|公开表\s*\d+|预算\s*\d+\s*表|附表|注\s*[:：]|第[一二三四五六七八九十]+部分)")
_AMT = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+"
_AMT_LINE = re.compile(rf"^(?P<name>.*?)(?:^|(?<=[\s\t]))(?P<amt>{_AMT})(?P<more>(?:[ \t]+(?:{_AMT}|0|-))*)(?P<rest>(?:[ \t]+\S.*)?)$")
# A table whose amounts are all bare integers in 元 (457432345): there an integer after a name is
# an amount too; a unit code at the start of a line (245001 某某局 4538500) never is.
_AMT_LINE_INT = re.compile(rf"^(?P<name>.*?)(?:^|(?<=[\s\t]))(?P<amt>{_AMT}|(?<=\S[ \t])\d{{4,}}(?![\d.,]|[ \t]*年))(?P<more>(?:[ \t]+(?:{_AMT}|0|-))*)(?P<rest>(?:[ \t]+\S.*)?)$")
_CODE_PREFIX = re.compile(r"^\[?\d{3,}\]?(?:\s|$)")
# A row number (序号) then indentation before the name: "24 　　　　 参加商务部…活动 1360000.00".
# Two or more blanks, or an ideographic one, tell it from a name that starts with a number.
_ROW_INDEX = re.compile(r"^\s*\d{1,3}(?:[ \t]{2,}|[ \t]*\u3000)\s*(?=\S)")
_ORG_TAIL = re.compile(r"(?:局|厅|委员会|委|办公室|中心|院|部|站|所|处|队|馆|（本级）|\(本级\)|本级)$")


@dataclass
class ProjectRow:
    """One row of a project table; ``scope_end`` is the end of its table."""

    name: str
    amount: float | None
    raw: str
    start: int
    end: int
    scope_end: int


def _proj_regions(norm: str, lines) -> list[tuple[int, int, float, bool, bool]]:
    """(first line, end line, scale, unit column first, category column) of every project table."""
    out = []
    n = len(lines)
    i = 0
    while i < n:
        s, e = lines[i]
        ln = norm[s:e].strip()
        title = bool(_PROJ_TITLE_NOTED.search(ln)) and not _PROJ_TITLE_NOT.search(ln) and len(ln) <= 40 \
            and not _is_heading(ln)
        header = bool(_PROJ_HEADER.search(ln)) and ("绩效目标" in ln or "资金使" in ln) \
            and not re.search(r"[，。；,;]", ln) and len(ln) <= 60
        if not (title or header):
            i += 1
            continue
        j = i + 1
        head_txt = ln
        while j < n:
            ln2 = norm[lines[j][0]:lines[j][1]].strip()
            if _TABLE_END.match(ln2) or (_is_heading(ln2) and j > i + 1) or (
                    _PROJ_TITLE.search(ln2) and j > i + 2) or "三级指标" in ln2:
                break
            if j < i + 14:
                head_txt += ln2
            j += 1
        scale = 1.0
        ctx = "".join(norm[lines[k][0]:lines[k][1]] for k in range(max(0, i - 3), min(n, i + 14)))
        m = re.search(r"(?:单位|金额)\s*[:：]?\s*(万元|元)|[(（]\s*(?:单位\s*[:：]\s*)?(万元|元)\s*[)）]", ctx)
        if m:
            scale = 1e4 if (m.group(1) or m.group(2)) == "万元" else 1.0
        unit_first = bool(re.search(r"单位名称\s*\S*项目", head_txt))
        # A 项目类别 column between the name and the amounts (其他运转类 / 特定目标类).
        kind_col = bool(re.search(r"项目名称\s*项目类别|项目类别\s*(?:合计|总计)", head_txt))
        out.append((i, j, scale, unit_first, kind_col))
        i = j
    return out


def project_rows(text: str, norm: str, lines: list[tuple[int, int]] | None = None) -> list[ProjectRow]:
    """Rows of project tables (项目支出表, 专项业务经费支出表, 重点项目 tables …) with amounts.

    A row is a name followed by amounts; a name PDF wrapped over the lines above is joined
    back (it starts at an indented line, or right after the previous row when the amount line
    holds no name). Subtotal rows (合计, a 资金使用单位, a category) are those whose amount is
    the sum of the rows right under them, and are dropped.
    """
    lines = lines or split_lines(norm)
    out: list[ProjectRow] = []
    for i0, i1, scale, unit_first, kind_col in _proj_regions(norm, lines):
        rows: list[tuple[str, float, str, int, int]] = []
        body = norm[lines[i0][0]:lines[i1 - 1][1]] if i1 > i0 else ""
        amt_line = _AMT_LINE if re.search(_AMT, body) else _AMT_LINE_INT
        last_row_line = i0
        for i in range(i0 + 1, i1):
            s, e = lines[i]
            ln = norm[s:e]
            if not ln.strip() or _JUNK_LINE.match(ln):
                continue
            m = amt_line.match(ln)
            if not m:
                continue
            name_a, name_b = s + m.start("name"), s + m.end("name")
            raw_name = norm[name_a:name_b]
            if "\t" in raw_name.strip():
                cells = [c for c in raw_name.split("\t") if c.strip()]
                k = raw_name.find(cells[0])
                name_a, name_b = name_a + k, name_a + k + len(cells[0])
                raw_name = cells[0]
            if _is_total(raw_name):
                last_row_line = i
                continue
            parts: list[tuple[int, int]] = []
            if raw_name.strip():
                parts.append((name_a, name_b))
            indented = bool(re.match(r"^[ \u3000]", text[s:e])) or bool(re.match(r"^\s", raw_name))
            if not indented:
                # Walk up over the wrapped start of the name.
                chain: list[tuple[int, int]] = []
                k = i - 1
                found_indent = False
                stop_clean = False
                while k > last_row_line and i - k <= 5:
                    ps, pe = lines[k]
                    pl = norm[ps:pe]
                    st = pl.strip()
                    if not st or _JUNK_LINE.match(pl):
                        break
                    if len(st) > 18 or st[-1] in "。;；,，:：" or amt_line.match(pl) or _HEADER_WORDISH.search(st) \
                            or k == i0:
                        stop_clean = k == i0
                        break
                    if unit_first and _ORG_TAIL.search(st):
                        break  # the 单位名称 cell printed above the project's name
                    chain.insert(0, (ps, pe))
                    if re.match(r"^[ \u3000]", text[ps:pe]):
                        found_indent = True
                        break
                    k -= 1
                if k == last_row_line and k != i0:
                    stop_clean = True
                rn = raw_name.strip()
                dangling = rn.count(")") + rn.count("）") > rn.count("(") + rn.count("（")
                if chain and (found_indent or not rn or stop_clean or dangling):
                    parts = chain + parts
            last_row_line = i
            if not parts:
                continue
            if unit_first:
                # 单位名称 then 项目名称 on one line: the project starts at the last cell.
                a, b = parts[0]
                cells = re.split(r"[ \t\u3000]+", text[a:b].strip())
                if len(cells) > 1:
                    k = text.find(cells[-1], a, b)
                    parts[0] = (k, k + len(cells[-1]))
            if kind_col:
                # 名称 then 项目类别 on one line: the project is the first cell.
                a, b = parts[-1]
                cells = re.split(r"[ \t\u3000]+", text[a:b].strip())
                if len(cells) > 1:
                    k = text.find(cells[0], a, b)
                    parts[-1] = (k, k + len(cells[0]))
            a, b = parts[0]
            index = _ROW_INDEX.match(text[a:b])
            if index and index.end() < b - a:
                parts[0] = (a + index.end(), b)  # the 序号 cell before the name
            name = clean("\n".join(text[a:b] for a, b in parts))
            if not name or "。" in name or len(name) > 60:
                continue
            amt = m.group("amt")
            a_start = s + m.start("amt")
            try:
                val = float(amt.replace(",", "")) * scale
            except ValueError:
                continue
            if not math.isfinite(val):  # a run of hundreds of digits
                continue
            if _CODE_PREFIX.match(text[parts[0][0]:parts[0][1]].strip()):
                name = text[parts[0][0]:parts[0][1]].strip()  # keep the code visible to the filters
            rows.append((name, val, amt, parts[0][0], a_start + len(amt)))
        # Drop subtotals: bottom-up, a row equal to the sum of ≥2 following blocks (or to one
        # block when it is named like an organisation or a total) covers them.
        keep = [True] * len(rows)
        blocks: list[tuple[float, int]] = []  # (amount, row index), top = next row down
        for r in range(len(rows) - 1, -1, -1):
            name, val = rows[r][0], rows[r][1]
            total, used, hit = 0.0, 0, False
            for k in range(len(blocks) - 1, -1, -1):
                total += blocks[k][0]
                used += 1
                if abs(total - val) <= max(0.011 * scale, 1e-6):
                    orgish = bool(_ORG_TAIL.search(name)) or bool(_CODE_PREFIX.match(name))
                    if used >= 2 or orgish or _is_total(name):
                        hit = True
                    break
                if total > val + 0.011 * scale:
                    break
            if hit:
                del blocks[len(blocks) - used:]
                keep[r] = False
            elif _is_total(name) or _CODE_PREFIX.match(name):
                keep[r] = False
            blocks.append((val, r))
        end = lines[i1 - 1][1] if i1 - 1 < len(lines) else len(norm)
        for r, row in enumerate(rows):
            if keep[r]:
                out.append(ProjectRow(row[0], row[1], row[2], row[3], row[4], end))
    return out


def _is_total(name: str) -> bool:
    """合计/总计/小计, perhaps after the row's 序号 (1 合计)."""
    return re.sub(r"^\d{1,3}", "", re.sub(r"\s", "", name)).startswith(("合计", "总计", "小计"))


_HEADER_WORDISH = re.compile(r"^(?:项目名称|单位名称|预算数|合计|总计|财政拨款|其他资金|绩效目标|支出项目类别)")
