"""What the layout says about headings: how deep a heading line is, which lines are a table's
column header, which lines make up a unit, and where a section may not open.

The segmenter's classifier reads the words of a line; the rules here read what PDF extraction
leaves of the page (numbering, table titles and rows, wrapped prose). Each rule of
:func:`fixed_joins` says how many unit heads of the annotated corpus it applies to, and how
many of them start a gold section.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import regex

from .blocks import NUMBERING, UNIT_LINE, Block, is_toc_line

# Heading levels from the outside in; opening one closes the levels inside it.
LEVELS = ("part", "cn", "table", "paren")
_TABLE_TITLE = regex.compile(r"表(?:格)?(?:\s*[(（][^()（）]{1,20}[)）])?$|^(?:附表|公开表|预算|决算)?\s*\d+(?:-\d+)?\s*表")
_HEADER_LINES = 8  # a table header printed over more lines than this is not one
_UNIT = regex.compile(r"单位\s*[:：]")
HEADING_END = regex.compile(r"表(?:格)?$|情况$|说明$")


def heading_level(b: Block) -> str | None:
    """The heading level a candidate line opens, or None for a weak candidate.

    Kept on the block: several passes ask for it, and it cannot change afterwards (the only
    later change to a block, :func:`table_blocks` demoting a header line, takes lines without a
    level).
    """
    if b.level == "":
        b.level = _level(b)
    return b.level


def _level(b: Block) -> str | None:
    if not b.candidate:
        return None
    if b.numbering == "part":
        return "part"
    if b.numbering == "table_no" or _TABLE_TITLE.search(b.text):
        return "table"
    if b.numbering == "cn":
        return "cn"
    if b.numbering == "cn_paren":
        return "paren"
    return None


def table_heads(blocks: list[Block]) -> list[int]:
    """Per block: how many blocks after its table's title it stands while no number row has come
    (it is in the table's header), 1 for a copy of a header line after a page break inside the
    table (the header printed again), else -1."""
    out = []
    title, rows, head, after_break = -1, False, set(), False
    for i, b in enumerate(blocks):
        level = heading_level(b) if b.candidate else None
        if level == "table":
            title, rows, head, after_break = i, False, set(), False
        elif level in ("part", "cn"):
            title = -1
        elif title >= 0 and (b.page_start or b.page_no):
            after_break = True
            if not rows:
                title = -1  # a page break before any number row: the table was printed empty
        if title < 0:
            out.append(-1)
            continue
        if not rows:
            out.append(i - title)
            head.add(b.text)
        elif after_break and b.text in head:
            out.append(1)
        else:
            out.append(-1)
        if b.table_like or b.money:
            rows, after_break = True, False
    return out


def table_blocks(blocks: list[Block], thead: list[int] | None = None) -> list[Block]:
    """Demote the column-header lines of tables: they are not headings.

    A line between a table title and the table's first row of numbers (or a copy of such a
    line after a page break inside the table, where the header is printed again) is a header
    cell (2026 年政府采购项目, 绩效目标 合计 一般公共预算): it names a column, so it must not open
    a section of its own.
    Numbered lines, unit lines and table titles keep their candidacy.

    Each block's ``header`` is set to its :func:`table_heads` value, for :func:`fixed_joins`.

    Args:
        blocks: the document's blocks (changed in place and returned).
        thead: :func:`table_heads` of the blocks, when the caller has it already. Demoting
            changes no block's heading level, so the same list serves
            :func:`~extractor.features.build_context`.
    """
    for b, d in zip(blocks, table_heads(blocks) if thead is None else thead):
        b.header = d
        if (0 < d <= _HEADER_LINES and b.candidate and b.numbering == "none" and not _UNIT.search(b.text)
                and heading_level(b) != "table"):  # the next table's title after an empty table stays
            b.candidate = False
    return blocks


def units_of(blocks: list[Block]) -> list[tuple[int, int]]:
    """Group blocks into units: a heading candidate and the lines up to the next one."""
    out, start = [], 0
    for i in range(1, len(blocks)):
        if blocks[i].candidate:
            out.append((start, i))
            start = i
    if blocks:
        out.append((start, len(blocks)))
    return out


# A table number printed on a line of its own (表8, 公开表7, 表14-1, 预算09表) above its title:
# the line is the table-number pattern of blocks.NUMBERING and nothing else.
_TABLE_NO = dict(NUMBERING)["table_no"]
_NOTE = regex.compile(r"(?:注|备注)\s*\d?\s*[:：.．]")
# Another item's number after a semicolon or full stop: a list run into prose
# (…办结率达到85%；3.案件办结率…; …单位；2、财政专项资金…).
_INLINE_ITEM = regex.compile(r"[；;。]\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


def _is_sentence(text: str) -> bool:
    """A line that ends in a full stop (not in a 目录's dot leaders)."""
    return text.endswith(("。", ".")) and not text.endswith(("..", "…"))


_LIST = 3  # bare heads in a row, of one kind, that make a list (of tables, rows or a 目录's items)
_ITEM_NUMBERING = ("cn", "cn_paren", "num_dot", "num_paren", "circled")  # numbering of list items


def bare_heads(blocks: list[Block], units: list[tuple[int, int]]) -> list[bool]:
    """Per unit, whether its head has nothing under it but page numbers."""
    return [not any(not x.page_no for x in blocks[a + 1 : b]) for a, b in units]


def fixed_joins(blocks: list[Block], units: list[tuple[int, int]], bare: list[bool] | None = None) -> np.ndarray:
    """Per unit, whether a section may open there (False: it keeps the label before it).

    ``blocks`` come from :func:`~extractor.segment.prepare` (or :func:`table_blocks`), which
    marks table headers; ``bare`` is :func:`bare_heads` of the units, when the caller has it
    already (:func:`parents_join` asks the same).

    Some layouts put a heading's own lines in units apart from the heading, and the decoder
    would otherwise open the section a line early or late, or open one inside a list:

    * a bare table number (表8) on its own line, its title on the next: one heading, so the
      title's unit cannot open a section the number did not open;
    * a unit line (单位名称：… 单位：万元) that the PDF text puts above the next part or table
      heading: it belongs to what stands before, so it cannot open a section; nor can any other
      bare line just above a part heading (a 目录's last entry, a container such as 一、文字部分,
      the end of a paragraph: 95 of 96 such lines in the corpus start no section);
    * a part heading with nothing under it but a table title (第二部分 部门预算表 / 表1 收支总表):
      the part introduces that table (39 of 39 such pairs in the corpus share a label); so does
      an unnumbered table title with nothing under it (2024 年度部门决算表 / 收入支出决算总表; in
      375 such pairs no gold section starts at the second title);
    * a table's own unit line under its title (表 8 / 一般公共预算支出表 / 部门名称：… 单位：万元):
      481 of 482 such lines in the corpus start no section;
    * a note (注：本表反映…) or a sentence (a line ending in a full stop, 本部门无…资产购置。):
      33 notes and 708 sentences head units in the corpus, none a section start;
    * a table row (a numbered line with two amounts or more: 123 unit heads, none a start) and a
      line of a table's header, however far below the title (741 unit heads, 240 of them more
      than 8 lines down, none a start);
    * a line holding another item's number after a semicolon or full stop (…85%；3.案件…: a list
      run into prose; 53 unit heads, none a start);
    * a line as wide as the document's wrapped paragraphs (:func:`prose_width`) and continued by
      prose on the next line (226 unnumbered unit heads and 158 numbered ones, none a start;
      part headings and table titles are exempt), and an unnumbered line
      that does not end like a heading (表, 情况, 说明) with amounts within two lines above and
      three below: a cell broken over lines (215 unit heads, none a start);
    * a list: three or more bare heads of one kind in a row, table titles (a 目录 of the tables)
      or items of one numbering (一、… 二、… 三、…: a 目录, or the numbered rows of a two-sided
      table). It opens at most one section (52 lists of tables and 169 of items in the corpus,
      none with a section starting inside), and none when it stands right under a table's title
      or unit line (47 such lists, all rows of that table).
    """
    opens = np.ones(len(units), dtype=bool)
    bare = bare_heads(blocks, units) if bare is None else bare
    levels = [heading_level(blocks[a]) for a, _ in units]
    for k in range(len(units) - 1):
        if not bare[k]:
            continue
        head, level = blocks[units[k][0]], levels[k + 1]
        if level == "table" and (head.numbering == "part"
                                 or (levels[k] == "table" and head.numbering != "table_no")
                                 or (head.numbering == "table_no" and _TABLE_NO.fullmatch(head.text))):
            opens[k + 1] = False
        elif (level in ("part", "table") and UNIT_LINE.match(head.text)) or (level == "part" and levels[k] != "part"):
            opens[k] = False  # a bare line just above a part heading ends what precedes it
        if levels[k] == "table" and UNIT_LINE.match(blocks[units[k + 1][0]].text):
            opens[k + 1] = False  # a table's own unit line, under its title
    width = prose_width(blocks)
    for k, (a, _) in enumerate(units):
        if _heads_nothing(blocks, a, levels[k], width):
            opens[k] = False
    # A list: table titles, or items of one numbering, with nothing under any of them.
    kinds = [None if not bare[k] else "table" if levels[k] == "table"
             else blocks[a].numbering if blocks[a].numbering in _ITEM_NUMBERING else None
             for k, (a, _) in enumerate(units)]
    k = 0
    while k < len(units):
        j = k
        while j < len(units) and kinds[j] is not None and kinds[j] == kinds[k]:
            j += 1
        if j - k >= _LIST:
            opens[k + 1 : j] = False
            # Numbered rows right under a table's title or unit line are that table's rows.
            prev = blocks[units[k - 1][0]] if k else None
            if kinds[k] != "table" and prev is not None and (levels[k - 1] == "table" or UNIT_LINE.match(prev.text)):
                opens[k] = False
        k = max(j, k + 1)
    return opens


def _heads_nothing(blocks: list[Block], a: int, level: str | None, width: int | None) -> bool:
    """Whether the unit headed by block ``a`` is no heading, whatever stands around it (see
    :func:`fixed_joins`).

    Args:
        blocks: the document's blocks, table headers marked (:func:`table_blocks`).
        a: index of the unit's head.
        level: :func:`heading_level` of the head.
        width: :func:`prose_width` of the document.
    """
    head = blocks[a]
    # A table row ((三)公务接待费支出 19.28 19.28 0.00) is no heading, nor is a line of a table's
    # header (after its title, before its first number row), which names a column: lines past
    # the first few are not demoted (table_blocks), but open nothing. (A line with tabs and no
    # amounts may be a heading: HTML made from PDF prints 第一部分\t部门概况.)
    if head.money >= 2 or (head.header > 0 and level is None):
        return True
    # A note (注：本表反映…) comments on what stands above it; a sentence (本部门无 2021 年结转
    # 的…资产购置。) ends a paragraph.
    if _NOTE.match(head.text) or _is_sentence(head.text) or _INLINE_ITEM.search(head.text):
        return True
    if level in ("part", "table") or UNIT_LINE.match(head.text):
        return False
    # A line as wide as the page's prose and continued by prose is a wrapped paragraph
    # (省检察院…安排的会议费预算支 / 出158.44万元,…), also when it starts with an item's number
    # ((三)保证运输拖曳期间暂扣车辆不受损坏,为执法工 / 作提供…).
    nxt = blocks[a + 1] if a + 1 < len(blocks) else None
    if width and width - 1 <= len(head.text) <= width + 1 and nxt is not None:
        if not (nxt.candidate or nxt.table_like or nxt.page_no):
            return True
    if head.numbering != "none" or level is not None:
        return False
    # An unnumbered line among amounts that does not end like a heading is a table cell broken
    # over lines (其他适合通过市场化方式提供的).
    return (not HEADING_END.search(head.text) and any(x.money for x in blocks[max(a - 2, 0) : a])
            and any(x.money for x in blocks[a + 1 : a + 4]))


_WRAP_MIN = 16  # shorter lines are not wrapped prose (table cells, HTML lines)


def prose_width(blocks: list[Block]) -> int | None:
    """The width at which the document's paragraphs wrap: the most common length of a line that
    prose continues on the next line, or None when too few lines wrap (HTML, a tables file)."""
    lens = Counter([len(b.text) for b, nxt in zip(blocks, blocks[1:])
                    if len(b.text) >= _WRAP_MIN and not (b.table_like or nxt.candidate or nxt.table_like)])
    if not lens:
        return None
    width, count = lens.most_common(1)[0]
    return width if count >= 10 and count >= 0.15 * sum(lens.values()) else None


def opens_with_table(blocks: list[Block], units: list[tuple[int, int]]) -> bool:
    """Whether the document's first unit is a table: its title (预算01表 收支总表) or, when the
    title came out elsewhere, its unit line (金额单位：万元)."""
    if not units:
        return False
    head = blocks[units[0][0]]
    return heading_level(head) == "table" or bool(head.candidate and UNIT_LINE.match(head.text))


_RANK = {"part": 0, "cn": 1, "paren": 2}  # heading levels that nest, outermost first


def parents_join(blocks: list[Block], units: list[tuple[int, int]], path: np.ndarray, opens: np.ndarray,
                 bare: list[bool] | None = None) -> np.ndarray:
    """Give a bare parent heading the label of its items when they all have one label.

    A part or numbered heading with nothing under it but its items (第一部分 部门概况 /
    一、部门职责…) belongs to the section its items make up; the decoder, which sees the bare
    heading as a unit with no body, tends to leave it with the section before. When the items
    have several labels (第一部分 预算情况说明 over 职责, 收支, 三公 …) the heading introduces
    them all and stays where it was.

    Args:
        blocks: the document's blocks.
        units: :func:`units_of` the blocks.
        path: the decoded label index per unit (a copy is changed and returned).
        opens: :func:`fixed_joins` of the units; a unit that may not open a section is left alone.
        bare: :func:`bare_heads` of the units, when the caller has it already.
    """
    path = path.copy()
    ranks = [_RANK.get(heading_level(blocks[a])) for a, _ in units]
    bare = bare_heads(blocks, units) if bare is None else bare
    for k in range(len(units) - 1):
        if ranks[k] is None or not bare[k] or not opens[k] or is_toc_line(blocks[units[k][0]].text):
            continue  # not a heading over items (a 目录 entry introduces nothing)
        first = k + 1  # the heading's own second line, when the PDF broke it (第一部分 / 部门概况)
        while first < len(units) and ranks[first] is None and bare[first] and blocks[units[first][0]].numbering == "none":
            first += 1
        end = first  # its items: the units up to the next heading of its level or higher
        while end < len(units) and (ranks[end] is None or ranks[end] > ranks[k]):
            end += 1
        if end > first and path[k] != path[first] and (path[first:end] == path[first]).all():
            path[k:first] = path[first]
    return path
