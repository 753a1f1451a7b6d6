"""Key figures: the fifteen current-year figures of a disclosure, with calibrated confidences.

    money mentions (find_amounts) + stated zeros + blank tables → candidates with context features
    → one logistic regression per figure name scores P(name | candidate)
    → per name the best candidate above a threshold (a joint pass keeps the “三公” figures consistent)
    → confidence: a calibrator fit on region-held-out folds, fed the score and the evidence
      (narrative and table agree / disagree, identities pass / fail).

Features of a candidate (hashed, no vocabulary stored), see :func:`_features`:

* the words before the number (jieba, ``features.tokens``) since the previous number of its
  sentence, and the nearest word naming a figure (:data:`figure_rules.NAME_WORDS`) before it;
* for a table cell: the row label(s), the position of the cell among the row's numbers, the
  column header right-aligned over the row's numbers, the header and table-title words;
* the nearest heading, the section label, comparison cues (比上年, a previous year), 其中/合计,
  the unit, zero, the value's rank in the document, the document kind crossed with the column
  header (决算数 vs 预算数), the position in the document.

Training gold (documented choice, see :func:`_gold_labels`): a candidate is positive for name N
when its value equals the annotated value within the evaluation tolerance AND it is the annotated
mention or its nearest naming word names N; a candidate with the annotated value standing
elsewhere is left out of N's training rows (neither positive nor negative); all others are
negative.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import regex

from . import figure_rules as R
from .document import KEY_FIGURES, Amount, Disclosure, KeyFigure
from .row_identities import expenditure_row, three_public_row, three_public_under_header
from .trained import LinearModel, load_arrays, save_arrays

N_FEATURES = 2**18
MODEL_FILE = "figures.npz"
CARD_FILE = "figures.md"
#: A name is given only when its calibrated confidence reaches this.
EMIT_THRESHOLD = 0.4
#: SGD logistic regression: L2 strength and passes over the training rows.
ALPHA = 1e-4
#: A name's best candidate goes on to the calibrator only above this score. Low on purpose: the
#: calibrated confidence and EMIT_THRESHOLD decide; the floor only drops hopeless candidates.
PICK_FLOOR = 0.01
#: Factor on the score of a value that follows a comparison cue.
COMPARE_PENALTY = 0.1
EPOCHS = 15
TOLERANCE = {"relative": 0.005, "absolute_yuan": 100.0}
THREE_PUBLIC = tuple(n for n in KEY_FIGURES if n.startswith("three_public_"))
_THREE_PUBLIC_SET = frozenset(THREE_PUBLIC)
#: Header words of a “三公” table (its rows are read by their identities, row_identities.py).
_THREE_PUBLIC_HEADER = ("三公", "出国", "公务用车", "公务接待")
#: Columns printed empty in tables: numbers are right-aligned to the headers without them.
_EMPTY_COLUMNS = ("备注", "说明")
UNIT_FACTOR = {"元": 1.0, "万元": 1e4, "亿元": 1e8, "千元": 1e3}

_NAME_RX = regex.compile("|".join(sorted({regex.escape(w) for ws in R.NAME_WORDS.values() for w in ws}, key=len, reverse=True)))
_WORD_NAME = {}
for _n, _ws in R.NAME_WORDS.items():
    for _w in _ws:
        _WORD_NAME.setdefault(_w, _n)
_SENT_END = regex.compile(r"[。;!?]")
_CLAUSE_END = regex.compile(r"[。;!?,:、]")
_YEAR = regex.compile(r"(20\d\d)年")
_NUM_TOKEN = regex.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
_HEADING = regex.compile(R.HEADING)
_TITLE = regex.compile(R.TABLE_TITLE)
_PROSE = regex.compile(r"[。;]|,(?!\d)")
_HAN = regex.compile(r"\p{Han}")
_ZERO_PRE = regex.compile(R.ZERO_BEFORE_TERM)
_PLACEHOLDER = regex.compile(R.PLACEHOLDER_AMOUNT)
_UNIT_OR_ENTITY = regex.compile(r"(?:金额)?单位\s*[:：]|(?:部门|编制单位|编制部门|单位名称|部门名称)(?:\([^)]*\))?\s*[:：]")
_UNIT_CLAUSE = regex.compile(r"^(?:金额)?单位\s*[:：]\s*(?:万元|亿元|千元|元)\s*")
# Whitespace as str.split() sees it, by code point (no such character lies above U+3000).
_IS_WHITESPACE = np.array([chr(cp).isspace() for cp in range(0x3002)])
# Context windows of a number, in characters without whitespace: 73 and 11 are the medians of what
# the earlier windows of 80 and 12 characters of text held over the corpus's narrative numbers.
_LEFT, _RIGHT = 73, 11
_OPEN_QUOTES = "“‘\"'「『"


# --------------------------------------------------------------------------- naming words


@functools.lru_cache(maxsize=8192)
def naming_words(s: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, name) of the words naming a figure in ``s``, longest first where they overlap.

    Kept per string: every cell of a table asks the same of its header lines and title.
    """
    found = [(m.start(), m.end()) for m in _NAME_RX.finditer(s, overlapped=True)]
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken: list[tuple[int, int, str]] = []
    for a, b in found:
        if all(b <= x or a >= y for x, y, _ in taken):
            taken.append((a, b, _WORD_NAME[s[a:b]]))
    # A name word right before a quoted name word only says where the money comes from:
    # 财政拨款“三公”经费 names the 三公 total, not 财政拨款收入 (Chinese compounds end in their head).
    starts = {a for a, _, _ in taken}
    taken = [t for t in taken if not (s[t[1] : t[1] + 1] in _OPEN_QUOTES and {t[1], t[1] + 1} & starts)]
    return tuple(sorted(taken))


def _last_name(s: str) -> str | None:
    w = naming_words(s)
    return w[-1][2] if w else None


def _squash(s: str) -> str:
    return "".join(s.split())


# --------------------------------------------------------------------------- candidates


@dataclass
class Candidate:
    """A value that may be a key figure, with what its context says."""

    value: float
    unit: str
    raw: str
    start: int
    end: int
    kind: str  # "amount" | "zero" | "blank"
    table: bool  # a table cell (else narrative)
    amount: Amount | None = None
    feats: list[str] = field(default_factory=list)
    place: set = field(default_factory=set)  # names its nearest naming words point to
    loose: set = field(default_factory=set)
    cmp: bool = False  # a comparison cue stands between the previous number and this one  # names named anywhere in its sentence / row, header, title
    decimals: int = 0
    part: str | None = None  # which part of 财政拨款收入 its label names (figure_rules.FISCAL_PARTS)
    rate: bool = False  # money per something (1650元/生.年): a standard, never a total


class _DocContext:
    """Per-document lookups: lines, headings, table titles, header blocks."""

    def __init__(self, text: str, norm: str, meta) -> None:
        self.text, self.norm, self.meta = text, norm, meta
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", norm)]
        self.lines = norm.split("\n")
        self.numeric = [bool(_numeric_tokens(l)) for l in self.lines]
        self.headings: list[int] = []
        self.titles: list[int] = []
        for i, l in enumerate(self.lines):
            st = l.strip()
            if not st or len(st) > 60:
                continue
            if _TITLE.search(st) and not _PROSE.search(st):
                self.titles.append(i)
            elif _HEADING.match(st):
                self.headings.append(i)
        self._header_cache: dict[int, list[list[str]]] = {}
        # The text without whitespace, and per offset how many of its characters stand before:
        # the context windows of a number count characters, not the spaces and line breaks a
        # reader left (trailing spaces, CRLF, a wrapped line) that would shift what they hold.
        self.flat = _squash(norm)
        cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
        self.flat_at = np.concatenate(([0], np.cumsum(~_IS_WHITESPACE[np.minimum(cps, len(_IS_WHITESPACE) - 1)])))

    def before(self, pos: int, n: int, floor: int = 0) -> str:
        """The ``n`` characters before offset ``pos``, whitespace left out, none before ``floor``."""
        k = int(self.flat_at[pos])
        return self.flat[max(k - n, int(self.flat_at[max(floor, 0)])) : k]

    def after(self, pos: int, n: int) -> str:
        """The ``n`` characters from offset ``pos`` on, whitespace left out."""
        k = int(self.flat_at[pos])
        return self.flat[k : k + n]

    def title(self, t: int) -> str:
        """The text of the table title on line ``t``; a title whose last characters wrapped onto
        a line of their own (“三公”经费、会议费、培训费支出预算 / 表) is joined to the line above."""
        st = self.lines[t].strip()
        if len(st) <= 3 and t > 0 and 0 < len(self.lines[t - 1].strip()) <= 60 and not self.numeric[t - 1]:
            return self.lines[t - 1].strip() + st
        return st

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos) - 1

    def nearest(self, idx: list[int], li: int, limit: int = 400) -> int:
        k = bisect.bisect_right(idx, li) - 1
        return idx[k] if k >= 0 and li - idx[k] <= limit else -1

    def header_lines(self, li: int) -> list[list[str]]:
        """Whitespace tokens of the header lines of the table holding line ``li`` (lowest last):
        the lines without numbers between the table's title and its first number row; without
        a title nearby, the lines without numbers right above the row."""
        t = self.nearest(self.titles, li, 300)
        key = t if t >= 0 else -li - 1
        if key in self._header_cache:
            return self._header_cache[key]
        out: list[list[str]] = []
        if t >= 0:
            for j in range(t + 1, min(li + 1, t + 40, len(self.lines))):  # li may be one past the last line
                line = self.lines[j]
                st = line.strip()
                if not st or "\f" in line:
                    continue
                if self.numeric[j] and not _UNIT_OR_ENTITY.match(st):
                    break
                if _UNIT_OR_ENTITY.match(st) or "单位:" in st:
                    continue  # 单位：万元 / 部门：… lines; a header cell 部门经济分类科目名称 stays
                out.append(st.split())
        else:
            j = li - 1
            while j >= 0 and li - j < 60:
                st = self.lines[j].strip()
                if st and not self.numeric[j]:
                    if _PROSE.search(st) and len(st) > 30:
                        break
                    out.append(st.split())
                    if len(out) >= 4:
                        break
                elif st and out:
                    break
                j -= 1
            out.reverse()
        out = out[-5:]
        self._header_cache[key] = out
        return out


def _numeric_tokens(line: str) -> list[str]:
    return [t for t in line.split() if _NUM_TOKEN.fullmatch(t)]


def _decimals(raw: str) -> int:
    m = re.search(r"\.(\d+)", raw)
    return len(m.group(1)) if m else 0


def _tok(s: str) -> tuple[str, ...]:
    from .features import tokens

    return tokens(s[-24:]) if s else ()


def _features(c: Candidate, ctx: _DocContext, prev_end: int, rank: int) -> None:
    """Fill ``c.feats`` and ``c.place`` from the candidate's context."""
    norm = ctx.norm
    f = c.feats
    li = ctx.line_of(c.start)
    ls = ctx.line_starts[li]
    line = ctx.lines[li]
    kind = ctx.meta.kind or "none"
    f.append(f"kind={c.kind}")
    f.append("table" if c.table else "narr")
    f.append(f"unit={c.unit}")
    f.append(f"doc={kind}")
    if c.value == 0:
        f.append("zero")
    f.append(f"rank={_bucket(rank, (0, 1, 3, 8, 20))}")
    f.append(f"mag={int(math.log10(abs(c.value))) if c.value else -1}")
    f.append(f"pos={_bucket(c.start / max(len(norm), 1), (0.1, 0.25, 0.5, 0.75))}")
    if c.amount is not None:
        if c.amount.relation:
            f.append(f"rel={c.amount.relation}")
        if c.amount.section:
            f.append(f"sec={c.amount.section}")
    # Heading and table title.
    h = ctx.nearest(ctx.headings, li)
    t = ctx.nearest(ctx.titles, li)
    if h >= 0:
        f += [f"H:{w}" for w in _tok(_squash(ctx.lines[h])[:24])]
        for _, _, n in naming_words(_squash(ctx.lines[h])):
            f.append(f"Hk={n}")
    if t >= 0:
        f += [f"T:{w}" for w in _tok(_squash(ctx.title(t))[-24:])]
        for _, _, n in naming_words(_squash(ctx.title(t))):
            f.append(f"Tk={n}")
        f.append("near=title" if t > h else "near=heading")
    # Words right after.
    after = ctx.after(c.end, _RIGHT)
    if after:
        f.append(f"A1:{after[:1]}")
        f.append(f"A2:{after[:2]}")
        if any(w in after for w in ("比上年", "比20", "较上年", "较20", "同比")):
            f.append("after_cmp")
    if c.kind == "blank":
        f.append("BLANK")
        return
    if not c.table:
        _narrative_features(c, ctx, prev_end, f)
    else:
        _table_features(c, ctx, li, ls, line, kind, f)


def _narrative_features(c: Candidate, ctx: _DocContext, prev_end: int, f: list[str]) -> None:
    left = ctx.before(c.start, _LEFT)
    seg = ctx.before(c.start, _LEFT, floor=prev_end)  # not reaching back past the previous number
    ends = list(_SENT_END.finditer(left))
    sent = left[ends[-1].end() :] if ends else left
    prev_sent = left[: ends[-1].start()] if ends else ""
    if ends and len(ends) > 1:
        prev_sent = prev_sent[ends[-2].end() :]
    if len(seg) > len(sent):
        seg = sent
    toks = _tok(seg)
    f += [f"L:{w}" for w in toks]
    if toks:
        f.append(f"L1:{toks[-1]}")
    if len(toks) > 1:
        f.append(f"L2:{toks[-2]}")
    f += [f"S:{w}" for w in _tok(sent[-24:])]
    if not seg:
        f.append("seg_empty")
    words = naming_words(seg)
    if words:
        a, b, n = words[-1]
        f.append(f"kw={n}")
        f.append(f"kwd={_bucket(len(seg) - b, (0, 2, 6, 12))}")
        c.place.add(n)
        if len(words) > 1:
            f.append(f"kw2={words[-2][2]}")
    else:
        sw = naming_words(sent)
        if sw:
            f.append(f"kws={sw[-1][2]}")
            c.place.add(sw[-1][2])
        else:
            pw = naming_words(prev_sent)
            if pw:
                f.append(f"kwp={pw[-1][2]}")
                c.place.add(pw[-1][2])
    # Each sentence on its own: joined, the end of one and the start of the other made words
    # neither holds (…部门预算收入 + 预算当年拨款… read as 收入预算).
    c.loose.update(n for part in (sent, prev_sent) for _, _, n in naming_words(part))
    c.loose.update(n for _, _, n in naming_words(ctx.after(c.end, _RIGHT)))
    if any(w in seg for w in R.COMPARE_WORDS):
        f.append("cmp")
        c.cmp = True
    if any(w in sent for w in R.COMPARE_WORDS):
        f.append("cmp_sent")
    if any(w in sent for w in R.BREAKDOWN_WORDS):
        f.append("qz")
    if any(w in seg for w in R.TOTAL_WORDS):
        f.append("total")
    ys = _YEAR.findall(seg) or _YEAR.findall(sent)
    if ys and ctx.meta.year:
        d = int(ys[-1]) - ctx.meta.year
        f.append(f"yr={'cur' if d == 0 else 'prev' if d == -1 else 'other'}")
    if "决算" in seg:
        f.append("w_final")
    if "预算" in seg:
        f.append("w_budget")


_ECON_CODE = re.compile(r"3\d{2}(?:\d{2})?")  # 政府收支分类 支出经济分类 类/款 codes: 302, 30231


def _table_features(c: Candidate, ctx: _DocContext, li: int, ls: int, line: str, kind: str, f: list[str]) -> None:
    norm = ctx.norm
    cell_per_line = line.startswith("\t")
    if cell_per_line:
        a = norm.rfind("\n\n", 0, ls)
        b = norm.find("\n\n", ls)
        rs, re_ = (0 if a < 0 else a + 2), (len(norm) if b < 0 else b)
        f.append("cpl")
    else:
        rs, re_ = ls, ls + len(line)
    before = norm[rs : c.start].split()
    after = norm[c.end : re_].split()
    labels = [t for t in before if _HAN.search(t)]
    nums_before = sum(1 for t in before if _NUM_TOKEN.fullmatch(t))
    nums_after = sum(1 for t in after if _NUM_TOKEN.fullmatch(t))
    n = nums_before + nums_after + 1
    f.append(f"ci={min(nums_before, 12)}")
    f.append(f"cn={min(n, 14)}")
    f.append(f"ce={min(nums_after, 12)}")
    if labels:
        first = _squash(labels[0])
        last = _squash(labels[-1])
        f += [f"R0:{w}" for w in _tok(first)]
        f += [f"RL:{w}" for w in _tok(last)]
        name0 = _last_name(first)
        namel = _last_name("".join(labels))
        if namel:
            f.append(f"rk={namel}")
            c.place.add(namel)
        if name0:
            f.append(f"r0k={name0}")
        if namel:
            f.append(f"rk={namel}|ci={min(nums_before, 3)}")  # 基本支出 1,192.85 …: the row's first number
        # 合 计 is often printed with a space: the label's first two tokens, joined, are checked.
        if any(w in first or w in _squash("".join(labels[:2])) for w in R.TOTAL_WORDS):
            f.append("row_total")
        if any(w in "".join(labels) for w in R.COMPARE_WORDS):
            f.append("row_cmp")
    else:
        f.append("no_label")
    # A row of an economic-classification table (30231 公务用车运行维护费 150000.00): the 基本支出
    # of one class of all funds, which a 三公 figure only sometimes equals.
    if any(_ECON_CODE.fullmatch(t) for t in before[:3]):
        f.append("row_econ")
    total_row = "row_total" in f
    # Column header: right-aligned over the row's numbers.
    hdr = ctx.header_lines(li if not cell_per_line else ctx.line_of(rs))
    col_names = []
    for k, toks in enumerate(hdr):
        while len(toks) > 1 and toks[-1] in _EMPTY_COLUMNS:
            toks = toks[:-1]  # a 备注 column is printed empty: right-align the numbers without it
        idx = len(toks) - n + nums_before
        depth = len(hdr) - k
        if 0 <= idx < len(toks):
            tk = _squash(toks[idx])
            f += [f"C{min(depth, 3)}:{w}" for w in _tok(tk)]
            f.append(f"K:{kind}|C:{tk[-6:]}")
            nm = _last_name(tk)
            if nm:
                col_names.append(nm)
                f.append(f"ck={nm}")
        for w in toks[-8:]:
            f.append(f"CB:{_squash(w)[-8:]}")
        c.loose.update(n for _, _, n in naming_words(_squash("".join(toks))))
    c.loose.update(n for _, _, n in naming_words(_squash("".join(labels))))
    t = ctx.nearest(ctx.titles, li, 300)
    if t >= 0:
        c.loose.update(n for _, _, n in naming_words(_squash(ctx.title(t))))
    values = _row_values(before, c.raw, after)
    # A 三公 row: under a 三公 title or header, or right above the title when the PDF put the
    # table's numbers before its title.
    nxt = bisect.bisect_right(ctx.titles, li)
    title_below = nxt < len(ctx.titles) and ctx.titles[nxt] - li <= 3 and "三公" in ctx.title(ctx.titles[nxt])
    if values and ((t >= 0 and "三公" in ctx.title(t)) or title_below or any(w in "".join(toks) for toks in hdr for w in _THREE_PUBLIC_HEADER)):
        name = three_public_row(values).get(nums_before)
        if name:
            f.append(f"id3={name}")  # the row's identities place this number (row_identities.py)
            c.place.add(name)
            c.loose.add(name)
    if values and total_row:
        name = expenditure_row(values).get(nums_before)
        if name:
            f.append(f"idx={name}")  # 合计 = 基本 + 项目, 基本 = its two parts (row_identities.py)
            if name in KEY_FIGURES:
                c.place.add(name)
                c.loose.add(name)
            else:  # a part of 基本支出: 人员经费 or 公用经费, the scorer decides which from the header
                c.loose.update(("personnel_expenditure", "public_expenditure"))
    if col_names:
        # The most specific header line (the lowest one that names a figure) decides the place.
        c.place.add(col_names[-1])
        if total_row:
            # 合计 row under a column that names the figure (人员经费 / 日常公用支出 …): the figure itself.
            f.append(f"ck={col_names[-1]}|total")
    f.append(f"K:{kind}|ci={min(nums_before, 12)}|cn={min(n, 14)}")
    if total_row:
        # The 合计 row of a table whose title names a figure (“三公”经费支出预算表 合计 430.87).
        f += [f"{x}|total" for x in [x for x in f if x.startswith("Tk=")]]


def _row_values(before: list[str], raw: str, after: list[str]) -> list[float] | None:
    """The numbers of a table row in printed order (None when this cell is not a plain number)."""
    if not _NUM_TOKEN.fullmatch(raw.strip()):
        return None
    row = [t for t in before if _NUM_TOKEN.fullmatch(t)] + [raw.strip()] + [t for t in after if _NUM_TOKEN.fullmatch(t)]
    if not 3 <= len(row) <= 12:
        return None
    return [float(t.replace(",", "")) for t in row]


def _bucket(x: float, edges: tuple) -> int:
    for i, e in enumerate(edges):
        if x <= e:
            return i
    return len(edges)


def _extra_zeros(norm: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Stated zeros that find_amounts does not read, with a naming word within a few
    characters: "未安排因公出国（境）经费", "没有使用财政拨款…"."""
    out = []
    starts = sorted(s for s, _ in taken)

    def free(a: int, b: int) -> bool:
        k = bisect.bisect_right(starts, b)
        return not any(s < b and e > a for s, e in taken[max(0, k - 3) : k + 1]) if taken else True

    for m in _ZERO_PRE.finditer(norm):
        window = norm[m.end() : m.end() + R.ZERO_TERM_GAP + 8]
        sq = window.replace("\n", "")
        words = naming_words(sq[: R.ZERO_TERM_GAP + 8])
        if words and words[0][0] <= R.ZERO_TERM_GAP and free(m.start(), m.end()):
            out.append((m.start(), m.end(), "zero_pre"))
    # Bare zeros after a naming word ("购置为 0，") are amounts' own rule (BARE_ZERO) now.
    return out


def _blank_tables(ctx: _DocContext) -> list[int]:
    """Offsets where a printed table has a header but no number row (its cells are blank: 0)."""
    out = []
    titles = ctx.titles
    for k, ti in enumerate(titles):
        end = titles[k + 1] if k + 1 < len(titles) else len(ctx.lines)
        end = min(end, ti + 25)
        hdr_end = None
        numeric = False
        for j in range(ti + 1, end):
            st = ctx.lines[j].strip()
            if not st or "\f" in st:
                continue
            if ctx.numeric[j] and not st.startswith("单位") and not _YEAR.search(st):
                numeric = True
                break
            if (_PROSE.search(st) and len(st) > 25) or _HEADING.match(st):
                break
            hdr_end = j
        if not numeric and hdr_end is not None and hdr_end > ti:
            out.append(ctx.line_starts[hdr_end] + len(ctx.lines[hdr_end]))
    return out


def _three_public_rows(ctx: _DocContext) -> list[tuple[int, str, int]]:
    """The cells of a “三公” number row, named by its header's order where the identities agree.

    PDF text drops blank cells, so a row under a header naming all six items may print three
    numbers (231.434069 218.569452 12.864617); and a full row's 出国 and 接待 (or 购置 and 运行)
    satisfy the identities either way round. :func:`three_public_under_header` finds which
    columns the numbers stand in. Returns (line, name, k): the row's k-th number is that figure,
    or k = -1 when its cell is blank (0).
    """
    out = []
    for t in ctx.titles:
        if "三公" not in ctx.title(t):
            continue
        header, row = [], None
        for j in range(t + 1, min(t + 25, len(ctx.lines))):
            st = ctx.lines[j].strip()
            if not st or "\f" in ctx.lines[j]:
                continue
            if _UNIT_OR_ENTITY.match(st):
                # The unit may share its line with the header's first cell
                # (金额单位：万元 “三公”经费财政拨款预 / 算总额): keep the cell.
                st = _UNIT_CLAUSE.sub("", st, count=1)
                if not st or _UNIT_OR_ENTITY.match(st):
                    continue
            if ctx.numeric[j]:
                row = j
                break
            header.append(st)
        words = "".join(header)
        if row is None or ("预算数" in words and "决算数" in words):
            continue  # no row, or paired 预算数/决算数 columns under each name
        names = []
        for _, _, n in naming_words(_squash(words)):
            if n in _THREE_PUBLIC_SET and n not in names:
                names.append(n)
        values = [float(v.replace(",", "")) for v in _numeric_tokens(ctx.lines[row])]
        out += [(row, n, k) for n, k in three_public_under_header(names, values).items()]
    return out


def candidates(text: str, norm: str, doc: Disclosure, amounts: list[Amount] | None = None) -> list[Candidate]:
    """Every candidate value of the document with its features, in document order."""
    ctx = _DocContext(text, norm, doc.meta)
    amounts = doc.amounts if amounts is None else amounts
    cands: list[Candidate] = []
    for a in amounts:
        table = not any(ch in a.raw for ch in "元无未") and a.unit is not None
        kind = "zero" if a.value == 0 and not any(ch.isdigit() for ch in a.raw) else "amount"
        rate = norm[a.end : a.end + 1] == "/" and not norm[a.end + 1 : a.end + 2].isdigit()
        cands.append(Candidate(a.value, a.unit, a.raw, a.start, a.end, kind, table, amount=a,
                               decimals=_decimals(a.raw), rate=rate))
    taken = [(a.start, a.end) for a in amounts]
    for s, e, _ in _extra_zeros(norm, taken):
        cands.append(Candidate(0.0, "元", text[s:e], s, e, "zero", False))
    for pos in _blank_tables(ctx):
        cands.append(Candidate(0.0, "元", "", pos, pos, "blank", True))
    row_cells = _three_public_rows(ctx)
    for li, name, k in row_cells:
        if k < 0:  # a blank cell: 0, placed at the end of the row
            pos = ctx.line_starts[li] + len(ctx.lines[li].rstrip())
            cands.append(Candidate(0.0, "元", "", pos, pos, "blank", True, place={name}))
    cands.sort(key=lambda c: (c.start, c.end))
    values = sorted({round(abs(c.value), 2) for c in cands}, reverse=True)
    rank_of = {v: i for i, v in enumerate(values)}
    prev_end = -1
    for c in cands:
        c.part = _fiscal_part(ctx, c, prev_end)
        _features(c, ctx, prev_end, rank_of[round(abs(c.value), 2)])
        if c.kind == "blank" and c.place:  # a blank cell of a short 三公 row: its name is known
            c.feats += [f"bk={n}" for n in c.place] + ["short_row"]
            c.loose.update(c.place)
        elif c.kind == "blank":
            pos_line = ctx.line_of(max(c.start - 1, 0))
            hdr = ctx.header_lines(pos_line + 1)
            words = _squash(" ".join(" ".join(t) for t in hdr))
            t = ctx.nearest(ctx.titles, pos_line, 40)
            title = _squash(ctx.title(t)) if t >= 0 else ""
            for _, _, n in naming_words(words) + naming_words(title):
                c.feats.append(f"bk={n}")
                c.place.add(n)
            if "三公" in title or "三公" in words:
                c.place.update(THREE_PUBLIC)
            c.loose.update(c.place)
        prev_end = c.end
    # The printed numbers of a 三公 row get the name their column has (as id3= of three_public_row).
    for li, name, k in row_cells:
        if k < 0:
            continue
        ls = ctx.line_starts[li]
        row = [c for c in cands if ls <= c.start < ls + len(ctx.lines[li]) and c.kind == "amount"]
        if len(row) == len(_numeric_tokens(ctx.lines[li])):  # every number read as an amount
            if f"id3={name}" not in row[k].feats:
                row[k].feats.append(f"id3={name}")
            row[k].place.add(name)
            row[k].loose.add(name)
    return cands


def _fiscal_part(ctx: _DocContext, c: Candidate, prev_end: int) -> str | None:
    """The part of 财政拨款收入 that the label before ``c`` on its line names, if any: the label
    says 收入 or 拨款 itself (一般公共预算拨款收入 19,756.66), or stands in a table whose title
    names 财政拨款 income (财政拨款收支总体情况表: 一、一般公共预算 456,990.37)."""
    if c.kind != "amount":
        return None
    li = ctx.line_of(c.start)
    label = _squash(ctx.norm[max(ctx.line_starts[li], prev_end):c.start])
    found = [part for word, part in R.FISCAL_PARTS.items() if word in label]
    if len(found) != 1 or "支出" in label:
        return None
    if not any(w in label for w in R.FISCAL_PART_CUES):  # only then ask the title (most cells name no part)
        t = ctx.nearest(ctx.titles, li, 60)
        title = ctx.title(t) if t >= 0 else ""
        if R.FISCAL_TABLE_WORD not in title or not any(w in title for w in R.FISCAL_TABLE_CUES):
            return None
    return found[0]


# --------------------------------------------------------------------------- model


@dataclass
class FigureModel:
    """Per-name scorers over hashed candidate features, and the confidence calibrator."""

    scorers: dict  # name -> LinearModel over hashed features (or None: never seen in training)
    calib: LinearModel | None = None  # logistic regression over evidence features
    threshold: float = EMIT_THRESHOLD


@functools.lru_cache(maxsize=65536)
def _column(feature: str) -> int:
    """The hashed column of a feature string (kept: most strings recur in every document)."""
    return zlib.crc32(feature.encode("utf-8")) & (N_FEATURES - 1)


def hash_features(cands_feats: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed binary features: (column of each entry, row of each entry, row scale).

    A feature string's column is its CRC-32 modulo :data:`N_FEATURES`, the same in every
    process and version; a feature present twice in a row counts once, and each row is
    scaled to unit length (``row scale`` = 1/sqrt(number of distinct features)).
    """
    sets = [set(map(_column, fs)) for fs in cands_feats]
    cols = np.fromiter((c for s in sets for c in s), dtype=np.int64)
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    rows = np.repeat(np.arange(len(sets)), sizes)
    return cols, rows, 1.0 / np.sqrt(np.maximum(sizes, 1))


def within(a: float, b: float) -> bool:
    return abs(a - b) <= max(TOLERANCE["relative"] * abs(b), TOLERANCE["absolute_yuan"])


def _gold_labels(cands: list[Candidate], gold: dict) -> dict[str, np.ndarray]:
    """Per name: 1 positive, 0 negative, -1 left out (see the module docstring)."""
    out = {}
    for name in KEY_FIGURES:
        g = gold.get(name)
        y = np.zeros(len(cands), dtype=np.int8)
        if g is not None and g.get("value") is not None:
            gv = float(g["value"])
            gs, ge = g.get("start"), g.get("end")
            for i, c in enumerate(cands):
                if not within(c.value, gv):
                    continue
                mention = gs is not None and (c.start < ge and c.end > gs or (gs == ge and c.kind == "blank" and abs(c.start - gs) <= 2)
                                              or (c.start <= gs < c.end))
                y[i] = 1 if (mention or name in c.place) else -1
        out[name] = y
    return out


def _doc_candidates(d) -> list[Candidate]:
    """Candidates of an annotated document (sections from the annotation, meta read as in the pipeline)."""
    from . import amounts as _amounts
    from .document import Section
    from .meta import read_meta
    from .normalize import parse_form

    norm = parse_form(d.text)
    doc = Disclosure(text=d.text)
    doc.meta = read_meta(norm)
    doc.amounts = _amounts.find_amounts(d.text, norm)
    secs = [Section(s["label"], s.get("heading"), s["start"], s["end"], 1.0) for s in d.record.get("sections") or []]
    _amounts.assign_sections(doc.amounts, secs)
    return candidates(d.text, norm, doc)


def _matrix(cands_feats):
    """The hashed rows as a sparse matrix, for training."""
    from scipy.sparse import csr_matrix

    cols, rows, scale = hash_features(cands_feats)
    return csr_matrix((scale[rows], (rows, cols)), shape=(len(cands_feats), N_FEATURES))


def _fit_scorers(rows, seed: int) -> dict:
    from sklearn.linear_model import SGDClassifier

    X = _matrix([c.feats for cands, _ in rows for c in cands])
    scorers = {}
    for name in KEY_FIGURES:
        y = np.concatenate([ys[name] for _, ys in rows])
        keep = y >= 0
        if y[keep].sum() == 0:
            scorers[name] = None
            continue
        clf = SGDClassifier(loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, average=True, random_state=seed)
        clf.fit(X[keep], y[keep])
        scorers[name] = LinearModel.from_sklearn(clf)
    return scorers


def _scores(scorers: dict, cands: list[Candidate]) -> dict[str, np.ndarray]:
    if not cands:
        return {n: np.zeros(0) for n in KEY_FIGURES}
    cols, rows, scale = hash_features([c.feats for c in cands])
    out = {}
    for n, clf in scorers.items():
        s = clf.positive_proba_sparse(cols, rows, len(cands), scale) if clf is not None else np.zeros(len(cands))
        # A figure is only read where its name is printed: in the sentence (or the one before),
        # in the row label, the column header or the table title.
        # A value after a comparison cue (比上年, 去年, 年初预算 …) is last year's or the budget
        # beside a 决算数: the guideline never takes it (annotations/README.md, "Current year only").
        # A change on last year (收入减少31,847.8万元: Amount.relation) is never the figure, nor is
        # a rate (生均公用经费…1650元/生.年): every key figure is a total.
        gate = np.array([(n in c.loose or n in c.place) * (COMPARE_PENALTY if c.cmp else 1.0)
                         * (not _names_another_item(n, c)) * (c.amount is None or not c.amount.relation)
                         * (not c.rate) for c in cands])
        out[n] = s * gate
    return out


def _names_another_item(name: str, c: Candidate) -> bool:
    """The value is named as another “三公” item and not as ``name``.

    “三公”经费预算支出中，因公出国（境）费支出 80 万元: 80 is the overseas item, never the total;
    公务用车购置费 0 万元 is never the combined vehicle figure. The nearest naming word (or the
    column header) decides, so a sub-item is not read as its parent or a sibling.
    """
    return name in _THREE_PUBLIC_SET and name not in c.place and bool(c.place & _THREE_PUBLIC_SET)



def train(docs, seed: int = 13) -> FigureModel:
    """Train the key-figure model on annotated documents (:class:`~extractor.corpus.AnnotatedDoc`)."""
    rows = []
    for d in docs:
        cands = _doc_candidates(d)
        rows.append((cands, _gold_labels(cands, d.record.get("key_figures") or {})))
    model = FigureModel(_fit_scorers(rows, seed))
    model.calib = _fit_calibration(docs, rows, seed)
    return model


def _fit_calibration(docs, rows, seed: int):
    """Fit the confidence calibrator on regions held out from inner scorers (3 region folds)."""
    from sklearn.linear_model import LogisticRegression

    regions = sorted({d.region for d in docs})
    if len(regions) < 3:
        return None
    folds = [regions[i::3] for i in range(3)]
    xs, ys = [], []
    for held in folds:
        inner = _fit_scorers([r for d, r in zip(docs, rows) if d.region not in held], seed)
        for d, (cands, _) in zip(docs, rows):
            if d.region not in held:
                continue
            picks = _pick(cands, _scores(inner, cands))
            gold = d.record.get("key_figures") or {}
            for name, p in picks.items():
                g = gold.get(name)
                ok = g is not None and g.get("value") is not None and within(p.cand.value, float(g["value"]))
                xs.append(p.evidence)
                ys.append(ok)
    if len(set(ys)) < 2:
        return None
    return LinearModel.from_sklearn(LogisticRegression(C=1.0, random_state=seed).fit(np.array(xs), np.array(ys)))


# --------------------------------------------------------------------------- choosing


@dataclass
class _Pick:
    name: str
    cand: Candidate
    score: float
    support: list[Candidate]
    conflict: list[Candidate]
    evidence: list[float] = field(default_factory=list)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def agree(a: Candidate | Amount, b: Candidate | Amount) -> bool:
    """Whether two readings of one figure agree, rounding to the coarser one's printed precision."""
    if within(a.value, b.value):
        return True
    return abs(a.value - b.value) <= max(half_unit(a), half_unit(b))


def _pick(cands: list[Candidate], scores: dict[str, np.ndarray], floor: float = PICK_FLOOR) -> dict[str, _Pick]:
    """Per name the best candidate, its supporters and rivals; then identity evidence."""
    picks: dict[str, _Pick] = {}
    for name in KEY_FIGURES:
        s = scores.get(name)
        if s is None or not len(s):
            continue
        order = np.argsort(-s, kind="stable")
        best = int(order[0])
        if s[best] < floor:
            continue
        c = cands[best]
        support, conflict = [], []
        second = 0.0
        for j in order[1:40]:
            j = int(j)
            if s[j] < 0.05:
                break
            o = cands[j]
            if agree(o, c):
                if o.table != c.table or o.kind != c.kind:
                    support.append(o)
            else:
                second = max(second, float(s[j]))
                if s[j] >= 0.5 and o.table != c.table:
                    conflict.append(o)
        picks[name] = _Pick(name, c, float(s[best]), support, conflict)
        picks[name].evidence = [_logit(float(s[best])), _logit(second), float(bool(support)), float(bool(conflict)),
                                float(c.value == 0), 0.0, 0.0, 0.0]
    _complete_by_identity(cands, scores, picks)
    _fiscal_by_parts(cands, scores, picks)
    _joint_three_public(cands, scores, picks)
    _one_figure_per_mention(picks)
    values = {k: v.cand.value for k, v in picks.items()}
    slack = {k: half_unit(v.cand) for k, v in picks.items()}
    for name, p in picks.items():
        st = identity_status(name, values, slack)
        p.evidence[5] = float(st == "pass")
        p.evidence[6] = float(st == "fail")
    return picks


#: Figures one printed number may name together: 收支总计 is both totals (two of the corpus's 700
#: annotated figure mentions are such a shared number, and no other pair shares one).
_SHARED_MENTION = frozenset({"income_total", "expenditure_total"})


def _one_figure_per_mention(picks: dict[str, _Pick]) -> None:
    """A printed number names one figure: where several names picked the same number, the name
    that scored it highest keeps it and the others are left out (their next candidates scored
    lower still). 收支总计 may be both totals; a 0 may be several items (均为 0 万元).

    (A header 部门预算支出 预算金额 over 基本支出 58,118.59 had made that number the expenditure
    total too; elsewhere one number was given to both 基本支出 and 人员经费.)
    """
    by_cand: dict[int, list[str]] = {}
    for name, p in picks.items():
        if p.cand.value != 0:
            by_cand.setdefault(id(p.cand), []).append(name)
    for names in by_cand.values():
        if len(names) < 2:
            continue
        keep = {max(names, key=lambda n: picks[n].score)}
        if keep <= _SHARED_MENTION:
            keep |= _SHARED_MENTION & set(names)
        for n in names:
            if n not in keep:
                del picks[n]


#: The identities between key figures: total = sum of parts.
IDENTITIES = (
    ("three_public_sum", "three_public_total", ("three_public_overseas", "three_public_vehicle", "three_public_reception")),
    ("vehicle_sum", "three_public_vehicle", ("three_public_vehicle_purchase", "three_public_vehicle_operation")),
    ("expenditure_sum", "expenditure_total", ("basic_expenditure", "project_expenditure")),
)


def identity_holds(values: dict[str, float], total: str, parts: tuple[str, ...],
                   slack: dict[str, float] | None = None) -> bool:
    """Whether figure ``total`` equals the sum of figures ``parts``: to the rounding of the printed
    numbers when ``slack`` gives each one's (:func:`half_unit`), else to 1 % of the total.

    A table printed to six decimals leaves no room for another cell whose value is 0.9 % away
    (1,026.36 read as a total of 11.53 + 1,022.41 + 2.00); whole 万元 in a narrative leave half a
    万元 per number.

    Args:
        values: figure name → value in 元 (all of ``total`` and ``parts`` present).
        total: the total's name.
        parts: the parts' names.
        slack: figure name → rounding error of its printed number.
    """
    t, s = values[total], sum(values[p] for p in parts)
    miss = abs(s - t)
    if slack is not None and all(n in slack for n in (total, *parts)):
        return miss <= sum(slack[n] for n in (total, *parts)) + 0.01
    return within(s, t) or miss <= 0.01 * max(abs(t), 1)


def identity_status(name: str, values: dict[str, float], slack: dict[str, float] | None = None) -> str | None:
    """"pass"/"fail" when ``name`` takes part in an identity whose figures are all known, else None.

    basic + project = expenditure is only a soft identity (支出总计 may include 年末结转), so it
    never marks a figure as failing; it only counts as support when it holds. An identity whose
    figures are all 0 says nothing (a blank table's cells satisfy it whatever they mean).

    Args:
        name: the figure asked about.
        values: figure name → value in 元.
        slack: figure name → rounding error of its printed number (:func:`half_unit`); see
            :func:`identity_holds`.
    """
    status = None
    for rule, total, parts in IDENTITIES:
        if name != total and name not in parts:
            continue
        if total not in values or any(p not in values for p in parts):
            continue
        if not any(values[n] for n in (total, *parts)):
            continue  # 0 = 0 + 0 holds for any blank table: it supports nothing
        if identity_holds(values, total, parts, slack):
            status = status or "pass"
        elif rule != "expenditure_sum":
            status = "fail"
    return status


def _derived(name: str, target: float, cands, s) -> int | None:
    """The best-scored candidate worth ``target`` that its row, header or title names ``name``."""
    if target < 0:
        return None
    best = None
    for j, c in enumerate(cands):
        if c.cmp or name not in c.loose or not within(c.value, target):
            continue
        if target == 0 and name not in c.place:
            continue  # a zero must be printed where this figure is named
        if best is None or s[j] > s[best]:
            best = j
    return best


def _identity_target(name: str, total: str, parts: tuple, values: dict) -> float | None:
    """What ``name`` must be for ``total = sum(parts)`` to hold given the other values, or None."""
    others = [n for n in (total, *parts) if n != name]
    if any(n not in values for n in others):
        return None
    if name == total:
        return sum(values[n] for n in parts)
    return values[total] - sum(values[n] for n in parts if n != name)


def _complete_by_identity(cands, scores, picks) -> None:
    """Fill a “三公” figure the scorer left out, from the row identities or from the others.

    A 三公 table printed one item per row (合计 430.87 / 1、因公出国 0.00 / …) gives its total in
    a 合计 row the scorer may never have seen in that layout; when the items are known, the
    candidate that equals their sum and that its row, header or title names is the total. The
    same holds for one missing part, and for a cell the row identities place (``id3=``). The
    calibrator sees that the pick was completed (evidence[7]) and learns how far to trust it.
    """
    for name in THREE_PUBLIC:
        s = scores.get(name)
        if name in picks or s is None or not len(s):
            continue
        placed = [j for j, c in enumerate(cands) if name in c.place and f"id3={name}" in c.feats]  # place first: a set
        if placed:
            _add_completed(picks, name, cands, s, max(placed, key=lambda j: s[j]))
    for rule, total, parts in IDENTITIES[:2]:  # the two 三公 identities; expenditure is soft
        missing = [n for n in (total, *parts) if n not in picks]
        if len(missing) != 1 or scores.get(missing[0]) is None:
            continue
        name = missing[0]
        target = _identity_target(name, total, parts, {n: p.cand.value for n, p in picks.items()})
        j = _derived(name, target, cands, scores[name]) if target is not None else None
        if j is not None:
            _add_completed(picks, name, cands, scores[name], j)


def _fiscal_by_parts(cands, scores, picks) -> None:
    """Replace a 财政拨款收入 read from its 一般公共预算 part when the other parts are not 0.

    Most documents have no 政府性基金 or 国有资本经营 income, so their 一般公共预算拨款收入 is
    the whole of 财政拨款收入 and the scorer learns to take it. Where the document prints those
    parts near the picked one, the figure is the sum of the three: the candidate worth that
    sum that its row, header or title names 财政拨款收入 replaces the pick.
    """
    p = picks.get("fiscal_income")
    s = scores.get("fiscal_income")
    if p is None or s is None or p.cand.part != "general":
        return
    parts = [p.cand]
    for part in ("fund", "capital"):
        near = [c for c in cands if c.part == part and not c.cmp and abs(c.start - p.cand.start) <= R.FISCAL_PART_REACH]
        if near:
            parts.append(min(near, key=lambda c: abs(c.start - p.cand.start)))
    total = sum(c.value for c in parts)
    if total <= p.cand.value:
        return  # the other parts are 0: 一般公共预算 is the whole
    # The sum must hold to the printed precision (each number rounded by half its last digit):
    # a total off by a 上年结转 of 0.08 % is another line, though within the usual tolerance.
    slack = sum(half_unit(c) for c in parts)
    best = None
    for j, c in enumerate(cands):
        if (c.cmp or "fiscal_income" not in c.loose or c is p.cand
                or abs(c.value - total) > slack + half_unit(c)):
            continue
        if best is None or s[j] > s[best]:
            best = j
    if best is not None:
        _add_completed(picks, "fiscal_income", cands, s, best)


def half_unit(c: Candidate | Amount | KeyFigure) -> float:
    """Half the value of the last printed digit of ``c``, in 元: its rounding error."""
    return 0.5 * 10 ** (-_decimals(c.raw)) * UNIT_FACTOR.get(c.unit, 1.0) * 1.0001


def _add_completed(picks, name, cands, s, j) -> None:
    score = float(s[j])
    p = _Pick(name, cands[j], score, [], [])
    p.evidence = [_logit(score), _logit(0.0), 0.0, 0.0, float(cands[j].value == 0), 0.0, 0.0, 1.0]
    picks[name] = p


def _joint_three_public(cands, scores, picks, k: int = 3) -> None:
    """Re-choose the six “三公” figures among each name's top candidates so the identities hold,
    when a consistent choice costs little score."""
    names = [n for n in THREE_PUBLIC if n in picks]  # a name left out constrains nothing
    if len(names) < 3:
        return
    tops = {}
    for n in names:
        # The best candidate of each of the first k distinct values: a row of 0.00 cells beside
        # the right one (34.40 0.00 0.00 …) must not fill all k places with the same value.
        s = scores[n]
        seen, order = set(), []
        for j in np.argsort(-s, kind="stable")[:60]:
            j = int(j)
            if len(order) == k or (s[j] < PICK_FLOOR and order):
                break  # the pick itself always takes part, however low its score
            v = round(cands[j].value, 2)
            if v not in seen:
                seen.add(v)
                order.append(j)
        tops[n] = order
    vals = {n: picks[n].cand.value for n in names}
    slack = {n: half_unit(picks[n].cand) for n in names}
    if all(identity_status(n, vals, slack) != "fail" for n in names):
        return
    # Also the value each identity asks of a name given the other picks (a 合计 833.60 the scorer
    # ranks below the 2,542.60 of the same row, which also counts 会议费 and 培训费).
    for rule, total, parts in IDENTITIES[:2]:
        for n in (total, *parts):
            if n not in tops:
                continue
            target = _identity_target(n, total, parts, vals)
            j = _derived(n, target, cands, scores[n]) if target is not None else None
            if j is not None and all(not within(cands[j].value, cands[o].value) for o in tops[n]):
                tops[n].append(j)
    # And the cells a 三公 row names by its header's order and the identities (id3=, see
    # _three_public_rows): the scorer may rank them low where the header came out scattered.
    # A top candidate of the same value (the number again in another table) gives way to the
    # cell, unless it is the current pick.
    named = {n: [j for j, c in enumerate(cands) if _row_named(c, n)] for n in names}
    for n in names:
        for j in named[n]:
            same = [i for i, o in enumerate(tops[n]) if within(cands[j].value, cands[o].value)]
            if not same:
                tops[n].append(j)
            elif cands[tops[n][same[0]]] is not picks[n].cand:
                tops[n][same[0]] = j
    best, best_score = None, -1e9
    for combo in _consistent_choices(names, tops, cands):
        sc = sum(math.log(max(scores[n][j], 1e-4)) for n, j in zip(names, combo))
        if sc > best_score:
            best, best_score = combo, sc
    current = sum(math.log(max(picks[n].score, 1e-4)) for n in names)
    # A consistent choice that costs much score is refused, unless it gives every name the value
    # of the row its table's header and identities name: then the picks that fail are the error.
    if best is None or (best_score < current - 3.0 and not all(
            any(within(cands[j].value, cands[r].value) for r in named[n]) for n, j in zip(names, best))):
        return
    for n, j in zip(names, best):
        c = picks[n].cand
        # The narrative states this figure in so many words: keep it (a self-contradiction the
        # checks report). A table cell is no such statement: rows of other scopes (30217 公务接待费
        # of all funds) and 0.00 cells of other fund columns stand beside the figure.
        if cands[j] is not c and n in c.place and not c.table:
            return
    for n, j in zip(names, best):
        if cands[j] is not picks[n].cand:
            old = picks[n]
            picks[n] = _Pick(n, cands[j], float(scores[n][j]), [], [], list(old.evidence))
            picks[n].evidence[0] = _logit(float(scores[n][j]))
            picks[n].evidence[2] = 0.0


def _consistent_choices(names: list[str], tops: dict[str, list[int]], cands) -> list[tuple[int, ...]]:
    """Every choice of one candidate per name (from ``tops``) under which no “三公” identity fails,
    in the order of ``itertools.product(*(tops[n] for n in names))``.

    The product grows as the sixth power of the options: a 汇总 document prints a 三公 table per
    unit, and each table's row-named cells join the options (ten tables, 13**6 = 4.8 million
    choices, minutes). So the names are assigned identity by identity, and a partial choice is
    dropped as soon as an identity whose names it has all assigned fails
    (:func:`identity_status`, which the full choice would be judged by).
    """
    value = {n: [cands[j].value for j in tops[n]] for n in names}
    slack = {n: [half_unit(cands[j]) for j in tops[n]] for n in names}
    # The identities among these names, smallest first (the vehicle one, whose total is a part of
    # the other): a partial choice is then checked as early as it can be.
    rules = [(total, parts) for _, total, parts in sorted(IDENTITIES, key=lambda r: len(r[2]))
             if total in value and all(p in value for p in parts)]
    order: list[str] = []
    for total, parts in rules:
        order += [n for n in (total, *parts) if n not in order]
    order += [n for n in names if n not in order]
    # The identities to check once the k-th name of the order is assigned.
    due: list[list[tuple[str, tuple[str, ...]]]] = [[] for _ in order]
    for total, parts in rules:
        due[max(order.index(n) for n in (total, *parts))].append((total, parts))

    found: list[tuple[int, ...]] = []
    chosen: dict[str, int] = {}

    def fails(total: str, parts: tuple[str, ...]) -> bool:
        # identity_status on this identity's names alone judges this identity alone.
        members = (total, *parts)
        return identity_status(total, {n: value[n][chosen[n]] for n in members},
                               {n: slack[n][chosen[n]] for n in members}) == "fail"

    def assign(k: int) -> None:
        if k == len(order):
            found.append(tuple(chosen[n] for n in names))
            return
        for i in range(len(tops[order[k]])):
            chosen[order[k]] = i
            if not any(fails(total, parts) for total, parts in due[k]):
                assign(k + 1)
        del chosen[order[k]]

    assign(0)
    found.sort()  # option positions in name order sort as the product enumerates them
    return [tuple(tops[n][i] for n, i in zip(names, pos)) for pos in found]


def _row_named(c: Candidate, name: str) -> bool:
    """Whether a “三公” row's header and identities name ``c`` as ``name``: a printed cell (id3=)
    or a blank cell of a short row."""
    return f"id3={name}" in c.feats or (c.kind == "blank" and "short_row" in c.feats and name in c.place)


def _confidence(model: FigureModel, p: _Pick) -> float:
    if model.calib is None:
        return p.score
    return float(model.calib.positive_proba(np.array([p.evidence]))[0])


def choose(text: str, norm: str, doc: Disclosure, model: FigureModel | None = None) -> dict[str, KeyFigure]:
    """The value trusted for each key figure the document states.

    Also sets ``field`` on the amounts that support a chosen figure, and on the rival reading
    when narrative and table disagree (``checks`` reports the disagreement).
    """
    if model is None or not text or len(_PLACEHOLDER.findall(norm)) >= R.PLACEHOLDERS_IN_TEMPLATE:
        return {}  # no model, or a template whose figures are placeholders (XXX 万元)
    cands = candidates(text, norm, doc)
    picks = _pick(cands, _scores(model.scorers, cands))
    out: dict[str, KeyFigure] = {}
    for name in KEY_FIGURES:
        p = picks.get(name)
        if p is None:
            continue
        conf = _confidence(model, p)
        if conf < model.threshold:
            continue
        c = p.cand
        out[name] = KeyFigure(value=c.value, unit=c.unit, raw=c.raw, start=c.start, end=c.end, confidence=round(conf, 4))
        for o in [c, *p.support, *p.conflict]:
            if o.amount is not None and o.amount.field is None:
                o.amount.field = name
    return out


# --------------------------------------------------------------------------- persistence


def save_model(model: FigureModel, folder, docs=None, root=None, metrics: dict | None = None) -> Path:
    """Write the key-figure model as plain arrays (``figures.npz``) plus its card.

    Each scorer is kept as its non-zero weights only (most of the hashed columns are
    never seen in training), the calibrator as its seven weights and bias.
    """
    from .cards import write_card

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict = {
        "names": np.array(KEY_FIGURES, dtype=str),
        "n_features": np.array(N_FEATURES),
        "threshold": np.array(float(model.threshold)),
    }
    for n, clf in model.scorers.items():
        if clf is None:
            continue
        w = clf.coef[0]
        nz = np.flatnonzero(w)
        arrays[f"scorer.{n}.cols"] = nz.astype(np.int32)
        arrays[f"scorer.{n}.weights"] = w[nz].astype(np.float32)
        arrays[f"scorer.{n}.bias"] = np.asarray(clf.intercept[:1], dtype=float)
    if model.calib is not None:
        arrays["calib.coef"] = model.calib.coef
        arrays["calib.bias"] = model.calib.intercept
    path = save_arrays(folder / MODEL_FILE, arrays)
    write_card(folder / CARD_FILE, "figures", path, docs=docs, root=root, metrics=metrics,
               details={"hashed features": f"{N_FEATURES} columns, CRC-32 of each feature string",
                        "scorers": f"one SGDClassifier(log_loss, alpha={ALPHA}, {EPOCHS} epochs, averaged) per key-figure name over candidate features",
                        "calibration": "LogisticRegression over [logit score, logit rival, narrative/table agree, "
                                       "disagree, zero, identity pass, identity fail], fit on 3 region-held-out folds",
                        "emit threshold": model.threshold,
                        "gold": "positive = value within tolerance AND (annotated mention OR nearest naming word names the figure)"})
    return path


def load_model(folder) -> FigureModel | None:
    """The trained key-figure model in ``folder``, or None when there is none.

    Raises:
        ValueError: the file is not a plain-array archive, or was trained with other features.
    """
    z = load_arrays(Path(folder) / MODEL_FILE, expect={"n_features": N_FEATURES, "names": list(KEY_FIGURES)})
    if z is None:
        return None
    scorers: dict = {}
    for n in KEY_FIGURES:
        if f"scorer.{n}.cols" not in z:
            scorers[n] = None
            continue
        w = np.zeros(N_FEATURES)
        w[z[f"scorer.{n}.cols"]] = z[f"scorer.{n}.weights"]
        scorers[n] = LinearModel(w[None, :], z[f"scorer.{n}.bias"], [0, 1])
    calib = LinearModel(z["calib.coef"], z["calib.bias"], [False, True]) if "calib.coef" in z else None
    return FigureModel(scorers=scorers, calib=calib, threshold=float(z["threshold"]))
