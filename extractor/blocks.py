"""Text → blocks: lines with offsets, their shape, and which of them may be headings.

The segmenter labels blocks; everything here is cheap string work on the parse form,
so that only heading candidates need the tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

# Numbering patterns of headings, most to least significant. Names are feature values.
NUMBERING = (
    ("part", regex.compile(r"^第[一二三四五六七八九十]+部分")),
    ("table_no", regex.compile(r"^(?:附表|附件|公开表|公开|预算|决算|表)\s*[\d一二三四五六七八九十]+(?:-\d+)?\s*表?|^[\d一二三四五六七八九十]+\s*[-—]\s*\d+\s*表")),
    ("cn", regex.compile(r"^[一二三四五六七八九十]+\s*[、.．]")),
    ("cn_paren", regex.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]")),
    ("num_dot", regex.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    ("num_paren", regex.compile(r"^[(（]\s*\d{1,2}\s*[)）]")),
    ("circled", regex.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")),
)

# All of them in one pattern, so that a line costs one match, not seven. Alternatives are tried
# in order, so the first pattern that matches names the line, as a loop over NUMBERING would.
_NUMBERING_ANY = re.compile("|".join(f"(?P<{name}>{p.pattern.replace('^', '')})" for name, p in NUMBERING))

# The line-level patterns below run on every line of a document, and are plain enough for the
# standard library's re, which costs a third to a quarter of regex per call on short lines.
# Words that make a short line look like a heading or a table title.
_HEADING_WORDS = re.compile(
    r"情况|说明|概况|职责|职能|设置|解释|目录|部分|公开|预算|决算|经费|采购|资产|绩效|表$|总表|明细|构成|名词|其他|事项|目标"
)
_MONEY_LIKE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")
_PAGE_NO = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页")
# A table's unit line ("单位：万元", "部门：… 金额单位：元") opens a table when its title came out elsewhere.
UNIT_LINE = regex.compile(r"^(?:部门|单位名称|编制单位|部门名称)?[^。]{0,40}?(?:金额)?单位\s*[:：]\s*(?:万元|元|亿元|千元)\s*$")
_PROSE_COMMA = re.compile(r"，|(?<!\d),|,(?!\d)")
_TOC_TAIL = regex.compile(r"(?:\.{3,}|…{2,}|·{3,})\s*\d*\s*$|\s\d{1,3}$")


@dataclass(slots=True)
class Block:
    """One non-empty line of the document."""

    start: int
    end: int
    text: str  # stripped parse form of the line
    numbering: str  # name from NUMBERING or "none"
    candidate: bool  # may be a heading
    page_no: bool  # a page number or running footer
    table_like: bool  # a row of a table (tabs, several numbers)
    page_start: bool = False  # the first line after a page break
    money: int = 0  # numbers that look like amounts (1,234 or 12.50)
    header: int = -1  # lines below its table's title while in the table's header (layout.table_blocks sets it)
    level: str | None = ""  # heading level, "" until layout.heading_level has computed it


_NUMBERING_FIRST = set("第附公预决表一二三四五六七八九十(（0123456789①②③④⑤⑥⑦⑧⑨⑩")


def numbering_of(line: str) -> str:
    """Name of the numbering pattern a line starts with, or ``none``."""
    if not line or line[0] not in _NUMBERING_FIRST:
        return "none"
    m = _NUMBERING_ANY.match(line)
    return m.lastgroup if m else "none"


def split_blocks(norm: str) -> list[Block]:
    """Split the parse form into non-empty lines (page-break lines dropped).

    Args:
        norm: the parse form of the text (same offsets as the text).
    """
    blocks: list[Block] = []
    append = blocks.append
    pos = 0
    page_break = False
    for raw in norm.split("\n"):
        stripped = raw.strip(_BLANK)
        if stripped:
            lead = len(raw) - len(raw.lstrip(_BLANK))
            start = pos + lead
            page_start = page_break or (lead > 0 and "\f" in raw[:lead])
            glued = _GLUED_PART.search(stripped) if "部分" in stripped else None
            if glued:  # 管理和强化预算约束的有效措施。 第二部分 2026 年度部门预算报表: two blocks
                head = stripped[: glued.start()]
                append(_make_block(start, start + len(head), head, head, page_start))
                start, stripped, page_start = start + glued.end(), stripped[glued.end():], False
            append(_make_block(start, start + len(stripped), stripped, raw, page_start))
            page_break = False
        elif "\f" in raw:
            page_break = True
        pos += len(raw) + 1
    return blocks


_BLANK = " \t\f\r\u3000"
# A part heading that PDF extraction glued to the end of the paragraph before it.
_GLUED_PART = re.compile(r"(?<=[。.])[ \t\u3000]*(?=第[一二三四五六七八九十]+部分)")


def _make_block(start: int, end: int, text: str, raw: str, page_start: bool = False) -> Block:
    # Runs on every line of a document: the cheap tests come first, and a pattern runs only on
    # a line that holds what it looks for.
    first = text[0]
    numbering = numbering_of(text) if first in _NUMBERING_FIRST else "none"
    money = len(_MONEY_LIKE.findall(text)) if "." in text or "," in text else 0  # each amount has one
    table_like = money >= 2 or ("\t" in text and "\t" in raw.strip())
    page_no = (first in "-—–第" or first.isdecimal() or first.isspace()) and bool(_PAGE_NO.match(text))
    candidate = (
        len(text) <= 60
        and not page_no
        and (money == 0 or (numbering in ("cn", "cn_paren") and len(text) <= 40))
        and not text.endswith(("；", ";", ",", "，", "、"))
        # Headings are not sentences: a comma or a full stop inside means wrapped prose
        # (the parse form has "," for "，"; a comma between digits is a thousands separator).
        # A numbered heading may carry a clause: （五）项目支出 1,612.29 万元，具体包括：
        and (numbering in ("part", "cn", "cn_paren") or not (("," in text or "，" in text) and _PROSE_COMMA.search(text)))
        and "。" not in text[:-1]
        # An unnumbered heading has a few characters at least: 预算 / 其他资 alone are the
        # broken cells of a table's column header.
        and (numbering != "none" or (len(text) >= 4 and bool(_HEADING_WORDS.search(text))))
    ) or ("单位" in text and bool(UNIT_LINE.match(text)))
    return Block(start, end, text, numbering, candidate, page_no, table_like, page_start, money)


def is_toc_line(text: str) -> bool:
    """A 目录 entry: a heading followed by dot leaders or a page number."""
    return bool(_TOC_TAIL.search(text))
