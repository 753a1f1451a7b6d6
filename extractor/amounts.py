"""Money mentions: every amount of money the document prints, read into 元.

Two kinds of mention are found:

* **explicit** ones carry their unit (``2065万元``, ``9,146.79\\n万元``, ``三百万元``) or state a
  zero in words (``公务接待费无``, ``因公出国（境）费未安排``);
* **bare** table cells (``866,561.920395``) take the unit of the table's declaration
  (``金额单位：万元``, ``单位:元``, a ``(万元)`` column header). A declaration holds until the next
  declaration, the next table title, a part heading, or a long stretch of narrative prose.

Tables come in three text forms, all handled by the same cell rules: one cell per tab-indented
line with rows separated by blank lines, PDF rows with cells separated by spaces, and HTML/rebuilt
rows with cells separated by tabs.

Rules run on the parse form (same length as the text), so every offset is valid in the text.
The rule data and where it comes from are in :mod:`extractor.amount_rules`.
"""

from __future__ import annotations

import bisect
import math
from decimal import Decimal, InvalidOperation

import regex

from . import amount_rules as R
from .document import Amount, Section

# ---------------------------------------------------------------------------------------------
# Patterns, compiled once at import.
# ---------------------------------------------------------------------------------------------

#: A printed money unit. Scanning for units first (a few hundred per document) and reading the
#: number backwards from each is much faster than trying a number at every digit.
_UNIT = regex.compile(rf"(?:(?:{R.UNIT_PREFIXES})[ \t]*\n?[ \t]*)?元(?![{R.NOT_UNIT_AFTER_YUAN}])")
#: The number right before a unit (searched in a short window that ends at the unit): thousands
#: groups ("," after folding "，", with one stray space allowed), digits grouped by spaces, or
#: plain digits; a decimal part; a minus sign glued to it; then spaces or one line break.
_NUMBER_BEFORE_UNIT = regex.compile(
    r"(?P<sign>-)?"
    r"(?P<num>\d{1,3}(?:,[ ]?\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<ws>[ \t]*(?:\n[ \t]*)?)\Z"
)
_PLAIN_NUMBER_BEFORE_UNIT = regex.compile(
    r"(?P<sign>-)?(?P<num>\d{1,3}(?:,[ ]?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<ws>[ \t]*(?:\n[ \t]*)?)\Z"
)
#: A number and the page break between it and its unit ("11700.63\n\f\n9 \n万元"): the page number
#: may stand on either side of the form feed.
_NUMBER_BEFORE_PAGE_BREAK = regex.compile(
    r"(?P<sign>-)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"[ \t]*\n(?:[ \t]*\n)*(?:[ \t]*-?[ \t]*\d{1,4}[ \t]*-?[ \t]*\n)?"
    r"[ \t]*\f[ \t]*\n?(?:[ \t]*\n)*(?:[ \t]*-?[ \t]*\d{1,4}[ \t]*-?[ \t]*\n)?[ \t]*\Z"
)
#: A number PDF extraction printed with a space after every character ("1 6 , 4 1 0 . 7 1万元"),
#: right before its unit. It is joined only when it holds a separator or follows a money word,
#: and never after another number (a row of one-digit cells).
_SPACED_BEFORE_UNIT = regex.compile(r"(?P<num>\d(?: [\d,.]){2,})(?P<ws>[ \t]*)\Z")
_SPACED_JOINED = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_MONEY_WORD_BEFORE = regex.compile(rf"(?:{R.MONEY_TERMS}|购置)(?:为|是|:)?[ \t]*\Z")
_UNIT_WINDOW = 48
_CN_DIGIT = frozenset(R.CN_DIGITS)
_CN_VALUE_DIGIT = regex.compile(r"[零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾]")
_ZERO_WORD = regex.compile(R.ZERO_WORDS)
_ZERO_BEFORE = regex.compile(rf"(?:{R.MONEY_TERMS})[ \t]*\n?[ \t]*(?:为|均为|:)?[ \t]*\Z")
_ZERO_FOLLOW = frozenset(" \t\n\f。,;、)")
_BARE_ZERO = regex.compile(R.BARE_ZERO)
_ZERO_TERM_AFTER_WU = regex.compile(R.ZERO_TERMS_AFTER_WU)
_SENTENCE_UNIT = regex.compile(rf"(?:亿|万|千)?[ \t]*\n?[ \t]*元(?![{R.NOT_UNIT_AFTER_YUAN}])")
#: A whitespace-delimited number: a candidate table cell (a label colon may stand before it).
_BARE = regex.compile(r"(?<![^\s:])(?P<sign>-)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![^\s])")
_DECLARATION = regex.compile(R.DECLARATION)
_COLUMN_DECLARATION = regex.compile(R.COLUMN_DECLARATION)
_TABLE_WORD = regex.compile("表")
_TITLE_NUMBERED = regex.compile(R.TITLE_NUMBERED)
_TITLE_SUFFIX = regex.compile(R.TITLE_SUFFIX)
_PART_WORD = regex.compile("部分")
_PERF_HEADER = regex.compile(R.PERF_HEADER)
_PART_HEADING = regex.compile(R.PART_HEADING)
_ROW_LABEL_COUNT = regex.compile(R.ROW_LABEL_COUNT)
_MONEY_LABEL = regex.compile(R.MONEY_LABEL)
_CODE_SHAPE = regex.compile(R.CODE_SHAPE)
_ORDINAL = regex.compile(R.ORDINAL_LABEL)
_INDICATOR_WORD = regex.compile(R.INDICATOR_WORD)
_NOT_MONEY_BEFORE = tuple(R.NOT_MONEY_BEFORE)
_HAN = regex.compile(r"\p{Han}")
_HAS_DIGIT = regex.compile(r"\d")
_PROSE_PUNCT = regex.compile(r"[。;]|,(?!\d)")
_PAGE_NUMBER_LINE = regex.compile(r"^\s*(?:-\s*\d{1,4}\s*-|第\s*\d{1,4}\s*页.*|\d{1,4}\s*/\s*\d{1,4})\s*$")
_SENTENCE_END = regex.compile(r"[。;!?]")
_DECREASE2 = regex.compile(rf"(?:{R.DECREASE_VERBS})(?:了|为)?\s*$")
_INCREASE2 = regex.compile(rf"(?:{R.INCREASE_VERBS})(?:了|为)?\s*$")
_DECREASE1 = regex.compile(rf"(?:{R.DECREASE_CHARS})了?\s*$")
_INCREASE1 = regex.compile(rf"(?:{R.INCREASE_CHARS})了?\s*$")
_CUE = regex.compile(R.COMPARISON_CUE)
#: Last characters of the change verbs (and of 了/为 after them): a cheap first test.
_ALL_VERBS = "|".join((R.DECREASE_VERBS, R.INCREASE_VERBS, R.DECREASE_CHARS, R.INCREASE_CHARS))
_VERB_LAST = frozenset(w[-1] for w in _ALL_VERBS.split("|")) | frozenset("了为")
_PAGE_TAIL = regex.compile(r"\f\s*(?:-?\s*\d{1,4}\s*-?\s*)?")
_COUNT_UNITS = frozenset(R.COUNT_UNITS)
_COUNT_FIRST = frozenset(u[0] for u in R.COUNT_UNITS)
_COUNT_UNIT_LABELS = frozenset(R.COUNT_UNITS_ALSO_HEADERS)
_OPERATOR_CHARS = frozenset(R.OPERATORS)
_OPERATOR_OR_PERCENT = regex.compile(rf"[{R.OPERATORS}%]")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_DIGITS = frozenset("0123456789")
#: Printed minus signs (the parse form also folds dashes to "-"; an em dash is no minus).
_MINUS = frozenset("-\u2212\uff0d\ufe63")


def find_amounts(text: str, norm: str) -> list[Amount]:
    """Find every money mention of the document, in document order.

    Args:
        text: the document text (offsets and ``raw`` point into it).
        norm: its parse form (:func:`extractor.normalize.parse_form`), same length.

    Returns:
        The mentions, sorted by ``start``: ``value`` in 元 (negative when a minus sign is printed),
        ``unit`` as printed or inherited from the table's declaration, ``raw == text[start:end]``,
        ``relation`` set for a change on last year, ``section`` and ``field`` left None.

    Raises:
        ValueError: ``norm`` is not the same length as ``text``.
    """
    if len(text) != len(norm):
        raise ValueError("norm must be the parse form of text (same length)")
    found: list[tuple[int, int, Decimal, str, float, str | None, str]] = []  # ... confidence, relation, rule
    _explicit(text, norm, found)
    _zeros(norm, found)
    found.sort()
    _bare_cells(text, norm, found)
    found.sort()
    return [
        Amount(
            value=float(v),
            unit=R.UNIT_REPORTED.get(u, u),
            raw=text[s:e],
            start=s,
            end=e,
            confidence=round(c, 3),
            relation=rel,
            rule=rule,
        )
        for s, e, v, u, c, rel, rule in found
        if math.isfinite(v)  # a run of 400 digits is no amount, and inf is no JSON number
    ]


def assign_sections(amounts: list[Amount], sections: list[Section]) -> None:
    """Set each amount's ``section`` to the label of the section it stands in."""
    starts = [s.start for s in sections]
    for a in amounts:
        i = bisect.bisect_right(starts, a.start) - 1
        if 0 <= i < len(sections) and a.start < sections[i].end:
            a.section = sections[i].label


def parse_number(s: str) -> Decimal | None:
    """Read an Arabic number as printed (thousands separators and spaces allowed).

    Args:
        s: the digits as printed in the parse form, e.g. ``"1, 234.50"``.

    Returns:
        The exact decimal value, or None when ``s`` is not a number.

    >>> parse_number("1, 234.50")
    Decimal('1234.50')
    """
    try:
        return Decimal(s.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


def parse_chinese(s: str) -> tuple[Decimal, str] | None:
    """Read a Chinese-numeral amount given without its final 元.

    Args:
        s: the numeral, e.g. ``"三百万"``, ``"一千二百万"``, ``"一点二亿"``.

    Returns:
        The value in 元 and the unit as printed (``"万元"`` when ``s`` ends in 万), or None when
        ``s`` is not a number.

    >>> parse_chinese("三百万")
    (Decimal('3000000'), '万元')
    """
    unit = "元"
    if s[-1] in "万萬亿":
        unit = "亿元" if s[-1] == "亿" else "万元"
    value = _cn(s)
    if value is None and unit != "元":  # cn2an does not read "一点二亿": read the mantissa
        mantissa = _cn(s[:-1])
        value = None if mantissa is None else mantissa * R.UNIT_FACTORS[unit]
    if value is None:
        return None
    return value, unit


def _cn(s: str) -> Decimal | None:
    import cn2an  # imported when a Chinese numeral is first met: it takes ~0.3 s to import

    try:
        return Decimal(str(cn2an.cn2an(s, "smart")))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


# ---------------------------------------------------------------------------------------------
# Explicit mentions
# ---------------------------------------------------------------------------------------------


def _relation(norm: str, start: int) -> str | None:
    """"decrease"/"increase" when the words right before ``start`` state a change on last year.

    A two-character verb right before the number is enough (比上年减少336.39万元; 其中基本支出增加
    11万元); a one-character one (减/增/少/多) needs a comparison cue in the same sentence.
    """
    window = norm[max(0, start - R.RELATION_WINDOW) : start]
    ff = window.rfind("\f")
    if ff >= 0 and _PAGE_TAIL.fullmatch(window, ff):
        window = window[:ff]  # "比上年预算减少\n\f\n31\n30.8 万元": skip the page break
    window = window.replace("\n", "")  # PDF wraps split the verb: "较上年增\n加 30 万元"
    # The verb stands right before the number: most mentions are settled by their last chars.
    if not any(c in _VERB_LAST for c in window.rstrip()[-3:]):
        return None
    ends = list(_SENTENCE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    if _DECREASE2.search(window):
        return "decrease"
    if _INCREASE2.search(window):
        return "increase"
    if _CUE.search(window):
        if _DECREASE1.search(window):
            return "decrease"
        if _INCREASE1.search(window):
            return "increase"
    return None


def _explicit(text: str, norm: str, found: list) -> None:
    """Numbers followed by a printed unit, and Chinese-numeral amounts."""
    for u in _UNIT.finditer(norm):
        us = u.start()
        unit = "".join(u.group().split())  # "万\n元": a unit wrapped by PDF extraction
        # Chinese numerals: "三百万元" (the unit match is "百万元": the numeral reads across it).
        k = us
        while k > 0 and norm[k - 1] in _CN_DIGIT:
            k -= 1
        if k < us:
            _chinese(norm, found, k, us, u.end(), unit)
            continue
        lo = max(0, us - _UNIT_WINDOW)
        j = us
        while j > lo and norm[j - 1] in " \t\n":
            j -= 1
        if j == lo or norm[j - 1] not in _DIGITS:
            if "\f" not in norm[lo:us]:
                continue  # "单位：万元", "(万元)": no number before this unit
        window = norm[lo:us]
        spaced = _spaced_number(norm, lo, window)
        if spaced is not None:
            start, value = spaced
            value *= R.UNIT_FACTORS[unit]
            conf = R.CONFIDENCE["explicit_spaced_digits"]
            found.append((start, u.end(), value, unit, conf, _relation(norm, start), "explicit_spaced_digits"))
            continue
        m = _NUMBER_BEFORE_UNIT.search(window)
        kind = None
        if m:
            ws = m.group("ws")
            kind = "explicit" if not ws else ("explicit_newline" if "\n" in ws else "explicit_space")
            if " " in m.group("num") and "," not in m.group("num"):
                # Space-grouped digits only when nothing but a word stands before them:
                # "合计 12 345.00万元" may be two cells; "收入1 234.56万元" is one number.
                p = lo + m.start()
                if p > 0 and (norm[p - 1] in " \t\n" or norm[p - 1] in _DIGITS):
                    m = _PLAIN_NUMBER_BEFORE_UNIT.search(window)
            if kind == "explicit_newline":
                ls, le = _line_bounds(norm, lo + m.start("num"))
                if _is_page_number(norm, norm[ls:le], ls, le):
                    # "11700.63\n\f\n9 \n万元": the 9 is the page's number.
                    m = _NUMBER_BEFORE_PAGE_BREAK.search(window)
                    kind = "explicit_pagebreak"
        else:
            m = _NUMBER_BEFORE_PAGE_BREAK.search(window)
            kind = "explicit_pagebreak"
        if not m:
            continue
        start = lo + m.start()
        num_start = lo + m.start("num")
        sign = m.group("sign") is not None
        conf = R.CONFIDENCE[kind]
        before = norm[num_start - 1] if num_start > 0 else ""
        if before in _DIGITS or before == ".":  # window cut inside a longer token
            continue
        if sign:
            pre = norm[start - 1] if start > 0 else ""
            if pre in _ALNUM:
                # "5-10万元": a range, the upper bound is money; "434-0303": no unit follows codes.
                start, sign, conf, kind = num_start, False, conf - 0.2, kind + "+range"
            elif text[start] not in _MINUS or pre == "-":
                start, sign = num_start, False  # a dash ("——12万元"), not a minus sign
        time_colon = before == ":" and norm[num_start - 2 : num_start - 1] in _DIGITS
        if not sign and before and (before in _ALNUM or before == "/" or time_colon):
            continue  # part of a code, a fraction, a time: "T000002449659", "1/4", "12:30"
        value = parse_number(m.group("num"))
        if value is None:
            continue
        value *= R.UNIT_FACTORS[unit]
        if sign:
            value = -value
        found.append((start, u.end(), value, unit, conf, _relation(norm, start), kind))


def _spaced_number(norm: str, lo: int, window: str) -> tuple[int, Decimal] | None:
    """A number spaced character by character before its unit: (start, value) or None.

    "收入预算 1 6 , 4 1 0 . 7 1万元" (206, PDF): one number. Digits after another number
    ("合计 12 345.00万元", a row of cells) are left to the other rules.
    """
    m = _SPACED_BEFORE_UNIT.search(window)
    if m is None:
        return None
    num = m.group("num")
    joined = num.replace(" ", "")
    if not _SPACED_JOINED.fullmatch(joined):
        return None
    start = lo + m.start("num")
    before = norm[max(0, start - 12) : start]
    prev = before.rstrip(" \t")
    if prev and (prev[-1] in _ALNUM or prev[-1] in ",.-/:" or prev[-1] in _OPERATOR_CHARS):
        return None  # after another number, a code, a sign or an operator: not joined
    if "," not in joined and "." not in joined and not _MONEY_WORD_BEFORE.search(before):
        return None  # "合计 1 2 3万元" may be cells; joined only after a money word
    value = parse_number(joined)
    return None if value is None else (start, value)


def _chinese(norm: str, found: list, k: int, us: int, ue: int, unit: str) -> None:
    cn = norm[k:us] + unit[:-1]  # the numeral plus the multiplier of the unit (百万元 → 百万)
    # A lone numeral before 元 is a word, not an amount ("单一元", "三元里"); 点 must be inside.
    if len(cn) < 2 or cn[0] == "点" or cn[-1] == "点" or not _CN_VALUE_DIGIT.search(cn):
        return
    parsed = parse_chinese(cn)
    if parsed is None:
        return
    value, printed = parsed
    found.append((k, ue, value, printed, R.CONFIDENCE["chinese"], _relation(norm, k), "chinese"))


def _zeros(norm: str, found: list) -> None:
    """Stated zeros: a money term followed by 无 / 未安排 ("公务接待费无", "…费：未安排")."""
    for m in _ZERO_WORD.finditer(norm):
        s, e = m.span()
        if _ZERO_BEFORE.search(norm[max(0, s - 12) : s]) is None:
            continue
        nxt = norm[e : e + 2]
        if nxt and not (nxt[0] in _ZERO_FOLLOW or nxt in ("预算", "资金", "支出")):
            continue  # "无变化", "未安排到位": the word is not the amount
        found.append((s, e, Decimal(0), "元", R.CONFIDENCE["zero_word"], None, "zero_word"))
    taken = {s for s, *_ in found}
    for m in regex.finditer("无", norm):
        # 无 before a term: "本单位无机关运行经费", "无“三公”经费" (the term may be wrapped).
        s = m.start()
        if s in taken:
            continue
        after = "".join(norm[s + 1 : s + 24].split())
        if _ZERO_TERM_AFTER_WU.match(after):
            found.append((s, s + 1, Decimal(0), "元", R.CONFIDENCE["zero_word_before"], None, "zero_word_before"))
    for m in _BARE_ZERO.finditer(norm):
        # A bare 0 closing a clause after a money term: "公务接待费为0，".
        s = m.start()
        found.append((s, s + 1, Decimal(0), _sentence_unit(norm, s), R.CONFIDENCE["zero_bare"], None, "zero_bare"))


def _sentence_unit(norm: str, pos: int) -> str:
    """The money unit printed nearest to ``pos`` in its sentence, else 元."""
    lo, hi = max(0, pos - 200), min(len(norm), pos + 200)
    for c in R.SENTENCE_ENDS:
        k = norm.rfind(c, lo, pos)
        if k >= 0:
            lo = k + 1
        k = norm.find(c, pos, hi)
        if k >= 0:
            hi = k
    best, unit = None, "元"
    for u in _SENTENCE_UNIT.finditer(norm, lo, hi):
        d = min(abs(u.start() - pos), abs(u.end() - pos))
        if best is None or d < best:
            best, unit = d, "".join(u.group().split())
    return unit


# ---------------------------------------------------------------------------------------------
# Bare table cells
# ---------------------------------------------------------------------------------------------

# Scope events, in the order they apply at one position.
_EV_RESET, _EV_TITLE, _EV_DECL, _EV_PERF, _EV_PROSE = range(5)


def _line_bounds(norm: str, pos: int) -> tuple[int, int]:
    ls = norm.rfind("\n", 0, pos) + 1
    le = norm.find("\n", pos)
    return ls, (len(norm) if le < 0 else le)


def _wide(s: str) -> int:
    # Han characters are 3 bytes in UTF-8: a C-speed count of the wide characters of a line.
    return (len(s.encode("utf-8")) - len(s)) >> 1


def _is_prose(line: str) -> bool:
    """A line of narrative: sentence punctuation and mostly Han characters."""
    return _wide(line) >= R.PROSE_MIN_HAN and bool(_PROSE_PUNCT.search(line))


def _scope_events(norm: str) -> tuple[list[tuple], set[int], set[int]]:
    """Where units are declared, where tables, parts and indicator headers begin, where prose
    stands; and the starts of the table-title lines and of the prose lines."""
    ev: list[tuple] = []
    for m in _PART_WORD.finditer(norm):
        ls, le = _line_bounds(norm, m.start())
        if _PART_HEADING.match(norm[ls:le]):
            ev.append((ls, _EV_RESET, None))
    titles: set[int] = set()
    seen_lines = set()
    for m in _TABLE_WORD.finditer(norm):
        ls, le = _line_bounds(norm, m.start())
        if ls in seen_lines:
            continue
        seen_lines.add(ls)
        line = norm[ls:le].strip()
        if _PROSE_PUNCT.search(line):
            continue
        if _TITLE_NUMBERED.match(line) or (len(line) <= R.TITLE_MAX_CHARS and _TITLE_SUFFIX.search(line)):
            ev.append((ls, _EV_TITLE, R.PERF_TITLE_WORD in line))
            titles.add(ls)
    decl_spans = []
    for m in _DECLARATION.finditer(norm):
        ev.append((m.start(), _EV_DECL, (m.group("u"), "declared")))
        decl_spans.append((m.start(), m.end()))
    for m in _COLUMN_DECLARATION.finditer(norm):
        if any(a <= m.start() <= b for a, b in decl_spans):
            continue  # "(金额单位:万元)" is already a declaration
        ls, le = _line_bounds(norm, m.start())
        # A column header stands in a header line; "人员每月发放金额(元) 235 13" is a row label.
        if not _is_prose(norm[ls:le]) and not _HAS_DIGIT.search(norm, m.end(), le):
            ev.append((m.start(), _EV_DECL, (m.group("u"), "column")))
    prose: set[int] = set()
    pos = 0
    for line in norm.split("\n"):
        if ("。" in line or ";" in line or "," in line) and line[0] != "\t":
            wide = _wide(line)
            if wide >= R.PROSE_MIN_HAN and _PROSE_PUNCT.search(line):
                ev.append((pos, _EV_PROSE, wide))
                prose.add(pos)
        pos += len(line) + 1
    for m in _PERF_HEADER.finditer(norm):
        ev.append((m.start(), _EV_PERF, None))
    ev.sort(key=lambda x: (x[0], x[1]))
    return ev, titles, prose


class _Scope:
    """The unit in force for bare table cells."""

    __slots__ = ("unit", "kind", "perf", "prose", "fresh")

    def __init__(self) -> None:
        self.unit: str | None = None
        self.kind = "declared"  # declared | column | carried
        self.perf = False  # inside a performance-indicator table
        self.prose = 0  # Han characters of consecutive prose lines since the last table cell
        self.fresh = False  # a unit declared and no cell read under it yet

    def apply(self, kind: int, data) -> "_Scope":
        if kind == _EV_DECL:
            self.unit, self.kind = data
            self.fresh = True
            # "单位：万元" opens a new table; a "(万元)" column header may stand inside an
            # indicator table ("项目资金（万元）" above each project's indicators).
            if self.kind == "declared":
                self.perf = False
            self.prose = 0
        elif kind == _EV_TITLE:
            if self.unit:
                self.kind = "carried"
            self.perf = data
            self.prose = 0
        elif kind == _EV_PERF:
            self.perf = True
        elif kind == _EV_PROSE:
            if self.unit and not self.perf:
                self.prose += data
                if self.prose >= R.PROSE_RESET_CHARS:
                    self.unit = None
        elif kind == _EV_RESET:
            new = _Scope()
            if self.fresh and self.kind == "declared":
                # "单位：万元" printed above the part heading and the first table's title
                # (单位名称：… 单位：万元 / 第二部分 …预算表 / 表1): it is that table's unit.
                new.unit, new.kind, new.fresh = self.unit, "carried", True
            return new
        return self


def _row_bounds(norm: str, ls: int, le: int) -> tuple[int, int, bool]:
    """The row around the line [ls, le): (start, end, cell_per_line).

    A row is one line, except in the cell-per-line form (tab-indented cells), where the lines
    between two blank lines make one row.
    """
    if not norm.startswith("\t", ls):
        return ls, le, False
    a = norm.rfind("\n\n", 0, ls)
    b = norm.find("\n\n", le)
    return (0 if a < 0 else a + 2), (len(norm) if b < 0 else b), True


def _bare_cells(text: str, norm: str, found: list) -> None:
    """Whole-cell numbers under a declared unit, outside the explicit mentions in ``found``.

    A title without a declaration of its own keeps the previous unit at a lower confidence
    ("carried") instead of dropping it: PDF extraction often prints a table's title after its
    first rows or after its "单位：元" line (dev corpus 192, 233), which would lose whole tables.
    """
    spans = [(s, e) for s, e, *_ in found]
    starts = [s for s, _ in spans]
    events, titles, prose = _scope_events(norm)
    ne = len(events)
    k = 0
    scope = _Scope()
    row_end = -1
    row: _Row | None = None
    for m in _BARE.finditer(norm):
        s = m.start()
        while k < ne and events[k][0] <= s:
            scope = scope.apply(events[k][1], events[k][2])
            k += 1
        if scope.unit is None:
            continue
        j = bisect.bisect_right(starts, s) - 1
        if j >= 0 and spans[j][1] > s:
            continue  # inside an explicit mention ("≤ 67.893 万元")
        if s >= row_end or not (row.ls <= s < row.le):
            ls, le = _line_bounds(norm, s)
            if s >= row_end:
                rs, row_end, cpl = _row_bounds(norm, ls, le)
                row = _Row(norm, rs, row_end, cpl)
            row.set_line(ls, le, ls in titles, ls in prose)
        sign, num = m.group("sign", "num")
        if sign and text[s] not in _MINUS:
            continue  # "—12" is a dash and a number, or a blank cell beside one: not read
        if not row.money_cell(s, m.end(), num, scope):
            continue
        value = parse_number(num)
        if value is None:
            continue
        conf = R.CONFIDENCE[scope.kind]
        rule = scope.kind
        if scope.perf:
            conf -= R.CONFIDENCE["perf_penalty"]
            rule += "+perf"
        if num.isdigit() and 1900 <= int(num) <= 2100:
            conf = min(conf, R.CONFIDENCE["year_like"])
            rule = "year_like"
        value *= R.UNIT_FACTORS[scope.unit]
        if sign:
            value = -value
        found.append((s, m.end(), value, scope.unit, conf, None, rule))
        scope.prose, scope.fresh = 0, False


class _Row:
    """One table row (and the line of the current cell) with the rules that read its cells."""

    __slots__ = ("norm", "start", "end", "cell_per_line", "ls", "le", "line_bad", "prose", "_text", "_feat")

    def __init__(self, norm: str, start: int, end: int, cell_per_line: bool) -> None:
        self.norm, self.start, self.end, self.cell_per_line = norm, start, end, cell_per_line
        self._text = None
        self._feat = None

    def set_line(self, ls: int, le: int, is_title: bool, is_prose: bool) -> None:
        self.ls, self.le = ls, le
        # Numbers on a title line ("表 1", "公开 10 表") or a page-number line are no cells.
        self.line_bad = is_title or (le - ls <= 16 and _is_page_number(self.norm, self.norm[ls:le], ls, le))
        self.prose = is_prose and not self.cell_per_line

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.norm[self.start : self.end]
        return self._text

    def features(self) -> tuple[bool, bool, bool, bool, int, int, bool]:
        """(index row, indicator words, all cells numeric, money label, quantity cell start,
        number cells written like amounts (decimals or thousands), comparison operator or %)."""
        if self._feat is None:
            text = self.text
            toks = text.split()
            nums = [t for t in toks if _BARE.fullmatch(t)]
            index_row = "栏次" in text or _is_index_sequence([t.lstrip("-") for t in nums])
            perf_words = "指标" in text
            if not perf_words and len(toks) <= 2 and not self.cell_per_line and self.start > 1:
                # An indicator row wrapped by PDF extraction: "…组织统战社团主题教育培\n训 1".
                pls = self.norm.rfind("\n", 0, self.start - 1) + 1
                perf_words = "指标" in self.norm[pls : self.start - 1]
            all_numeric = len(nums) == len(toks)
            money_label = bool(_MONEY_LABEL.search(text)) and not _INDICATOR_WORD.search(text)
            count = -1
            if "(" in text:
                cm = _ROW_LABEL_COUNT.search(text)
                if cm:
                    after = list(_BARE.finditer(text, cm.end()))
                    if len(after) >= 2:
                        count = self.start + after[0].start()
            operators = _OPERATOR_OR_PERCENT.search(text) is not None
            n_amounts = sum(1 for t in nums if "." in t or "," in t)
            self._feat = (index_row, perf_words, all_numeric, money_label, count, n_amounts, operators)
        return self._feat

    def money_cell(self, s: int, e: int, num: str, scope: _Scope) -> bool:
        """Whether the bare number at [s, e) (digits ``num``, under a declared unit) is money."""
        if self.line_bad:
            return False
        norm = self.norm
        is_int = num.isdigit()
        if is_int and len(num) > 1 and num[0] == "0":
            return False  # codes keep their leading zeros: "05", "0101"
        if is_int and len(num) == 11 and num[0] == "1":
            return False  # a mobile phone number
        if s > 1 and norm[s - 1] == ":" and norm[s - 2] in _DIGITS:
            return False  # a time: "12:30"
        before = norm[self.start : s].rstrip(" \t\n:")
        prev_tok = before[max(before.rfind(" "), before.rfind("\t"), before.rfind("\n")) + 1 :]
        if prev_tok and prev_tok[-1] in _OPERATOR_CHARS:
            return False  # an indicator value: "≥ 6", ">= 60000.00"
        if prev_tok in _COUNT_UNITS and prev_tok not in _COUNT_UNIT_LABELS:
            return False  # a quantity after its unit-of-measure column: "印刷服务 批 1 302 …"
        after = norm[e : self.end]
        next_tok = after.split(None, 1)[0] if after.strip() else ""
        if not next_tok and not self.cell_per_line:
            # The number ends its line: its unit may have wrapped onto the next one
            # ("2025\n年方案执行率", "应急保障用车 0\n辆、执法执勤用车").
            nxt = norm[self.end + 1 : self.end + 12]
            if is_int and nxt.startswith("年") and 1900 <= int(num) <= 2100:
                return False
            nt = nxt.split(None, 1)[0] if nxt.strip() else ""
            if nt and (_count_unit_first(nt, loose=True) if self.prose else _unit_then_punct(nt)):
                return False
            if len(num) == 1 and self.le - self.ls <= 2 and self._vertical():
                return False  # text set one character per line (a rotated table header)
        # In a sentence of PDF text that spaces its numbers ("警人数 316 人测算", "按 2025 年 9 月在职")
        # a unit opens the next word; in a table row it must stand alone ("人员经费" is a label).
        if next_tok and _count_unit_first(next_tok, loose=self.prose):
            return False  # a count or a measure: "15 台", "100 %", "144 辆，其中"
        if is_int and next_tok.startswith("年") and 1900 <= int(num) <= 2100:
            return False  # "2017 年度"
        if prev_tok and prev_tok.endswith(_NOT_MONEY_BEFORE):
            return False  # 电话, 栏次, 第
        index_row, perf_words, all_numeric, money_label, count, n_amounts, operators = self.features()
        if is_int and index_row:
            return False  # a column-index row: 1 2 3 … n
        if perf_words:
            return False  # an indicator row: 产出指标 数量指标 … 90
        if scope.perf and (operators or not (all_numeric or money_label or n_amounts >= 2)):
            # In an indicator table money stands in funds rows: a row of numbers, a row naming
            # funds, or a project row "公安行政管理 161,796.23 157,457.39 4,338.84"; a row with one
            # number after a name ("训 1", "…情况 0 18") or with an operator is an indicator.
            return False
        if count == s:
            return False  # the quantity column of "1、房屋（平方米） 14232 1230"
        if is_int and len(num) <= 7 and self.code_like(s, num, before, after, next_tok):
            return False
        return True

    def has_name(self) -> bool:
        """Whether the row holds a Han label (codes stand beside names; amounts may not)."""
        return _HAN.search(self.text) is not None

    def _vertical(self) -> bool:
        norm = self.norm
        pls = norm.rfind("\n", 0, max(0, self.ls - 1)) + 1
        nle = norm.find("\n", self.le + 1)
        nle = len(norm) if nle < 0 else nle
        # One digit per line next to another one-character line: "合 计\n2\n6\n,\n0\n4\n5".
        return len(norm[pls : self.ls - 1].strip()) <= 1 or len(norm[self.le + 1 : nle].strip()) <= 1

    def code_like(self, s: int, num: str, before: str, after: str, next_tok: str) -> bool:
        """Subject codes: they open a row or stand before the subject's name.

        "2080501 行政单位离退休 7,209.92", "208 05 05 机关事业…", "205\\t教育支出\\t148.95",
        "30101 基本工资 50101 工资奖金津补贴 …" (an economic code inside the row), and codes
        wrapped onto their own line above their name ("99\\n其他行政事业单位养老支出").
        """
        after_toks = after.split()
        # A code-shaped number (or a two-digit sub-code after one) before a name, sub-codes
        # between them allowed: "50101 工资奖金津补贴", "501 01 工资奖金津补贴", "502 99 其他…";
        # not before a numbered row label ("…收入 2428 二、外交支出").
        before_toks = before.split()
        prev_code = bool(before_toks) and _CODE_SHAPE.match(before_toks[-1]) is not None
        # Pairs of a class code and its two-digit item: "302 27 502 05 499,800.00" (procurement
        # rows that print the 部门 and 政府 economic codes side by side).
        def code_or_name(i: int) -> bool:  # what follows a code pair: another code or a name
            if i >= len(after_toks):
                return False
            t = after_toks[i]
            return bool(_CODE_SHAPE.match(t) or (_HAN.match(t) and not _ORDINAL.match(t)))

        if _CODE_SHAPE.match(num) and after_toks and after_toks[0].isdigit() and len(after_toks[0]) == 2:
            # "201 33 02 …" (类 款 项) in a row that names something: codes, whatever follows.
            if after_toks[0][0] == "0" or code_or_name(1) or self.has_name():
                return True
        if len(num) <= 2 and prev_code and (code_or_name(0) or self.has_name()):
            return True
        if _CODE_SHAPE.match(num) or (len(num) <= 2 and prev_code):
            for t in after_toks:
                if t.isdigit() and len(t) <= 2:
                    continue
                if _HAN.match(t) and not _ORDINAL.match(t):
                    return True
                break
        if not all(t.isdigit() for t in before.split()):
            return False
        for t in after_toks:
            if not t.isdigit():
                return _HAN.match(t) is not None and not _ORDINAL.match(t)
        if not self.cell_per_line:
            # A line of codes only ("99", "301 08") above the name; "201 33 02" (类 款 项).
            line_toks = self.norm[self.ls : self.le].split()
            if (
                len(line_toks) >= 2
                and len(line_toks[0]) == 3
                and _CODE_SHAPE.match(line_toks[0])
                and all(t.isdigit() and len(t) == 2 for t in line_toks[1:])
            ):
                return True
            if len(line_toks) == 1 or any(t[0] == "0" for t in line_toks) or _CODE_SHAPE.match(line_toks[0]):
                following = self.norm[self.le + 1 : self.le + 8].lstrip(" \t")
                return bool(following) and _HAN.match(following) is not None
        return False


def _count_unit_first(tok: str, exact_only: bool = False, loose: bool = False) -> bool:
    """Whether a token is, or starts with, a count or measure unit ("台", "辆，其中", "%").

    Args:
        tok: the token after the number.
        exact_only: only a token that is a unit counts.
        loose: a unit followed by more Han characters counts too ("人测算").
    """
    if tok[0] not in _COUNT_FIRST:
        return False
    if tok in _COUNT_UNITS or tok.split("(")[0] in _COUNT_UNITS:
        return True
    if exact_only:
        return False
    for n in (4, 3, 2, 1):
        head = tok[:n]
        if head in _COUNT_UNITS and len(tok) > n and (loose or not _HAN.match(tok, n)):
            return True
    return False


def _unit_then_punct(tok: str) -> bool:
    """A wrapped count unit that goes on with its sentence: "辆、执法执勤用车" (not "本\t年…")."""
    for n in (3, 2, 1):
        if tok[:n] in _COUNT_UNITS and len(tok) > n and tok[n] in "、,;。)":
            return True
    return False


def _is_index_sequence(nums: list[str]) -> bool:
    """A column-index row: 1 2 3 … n (or 0 1 2 …), nothing else numeric on it."""
    if len(nums) < 3 or not all(n.isdigit() for n in nums):
        return False
    vals = [int(n) for n in nums]
    return vals[0] <= 1 and all(b == a + 1 for a, b in zip(vals, vals[1:]))


def _is_page_number(norm: str, line: str, ls: int, le: int) -> bool:
    if _PAGE_NUMBER_LINE.match(line):
        return True
    st = line.replace("\f", "").strip()
    if not (st.isdigit() and len(st) <= 3):
        return False
    if "\f" in line:
        return True
    # A lone number next to a form feed (blank lines between allowed) is the page's number.
    j = ls - 1
    while j > 0 and norm[j - 1] in " \t\n":
        j -= 1
    if j > 0 and norm[j - 1] == "\f":
        return True
    j = le
    while j < len(norm) and norm[j] in " \t\n":
        j += 1
    return j < len(norm) and norm[j] == "\f"
