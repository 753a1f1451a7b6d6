"""Text that scraping mangles never crashes the pipeline, and what comes out stays consistent.

Each case in :data:`_BUGS_CAUGHT` is a real passage from annotations/texts (file named in a
comment) cut or changed the way scraped documents come: a file that ends inside a table, a
layout whose line breaks doubled. Each once raised inside :func:`extractor.extract` and lost
the whole document; they were found by running the pipeline over cut and changed copies of
the 53 annotated texts (random slices, doubled or dropped line breaks, shuffled lines,
full-width ASCII, tabs for spaces, deleted characters, inserted page breaks, 400-digit
numbers, whitespace-only and one-character files).
"""

from __future__ import annotations

import pytest

import extractor

# 112_beijing-医疗保障局-tables_2026_budget.txt: a table title and its header, then the end
# of the file (a tables file whose last table is empty, or a scrape cut there). The blank
# table's 0 stands at the very end of the text, one line past the last, where the header
# lookup once indexed out of range.
EMPTY_TABLE_AT_END = "预算04表 财政拨款收支总表\n金额单位：万元\n收 入 支 出\n项 目 预算数 项 目 预算数"

# 326_xian-信访局_2026_budget.txt (lines 324-328): table 4's unit line, number, title and
# header, the scrape cut before its first row.
XIAN_CUT_IN_HEADER = (
    "单位： 元\n表4\n部门综合预算财政拨款收支总表\n收入 支出\n"
    "项目 预算数 支出功能分类科目 （按大类） 预算数 部门预算支出经济分类科目 （按大类） 预算数 "
    "政府预算支出经济分类科目 （按大类） 预算数"
)

# 001_jiangsu-省人大常委会办公厅_2017_budget.txt (lines 136-138): a table in 万元, then a
# 合计 row whose cell is a run of 400 digits (cells glued together by a bad text layer). Its
# value overflowed to inf: key figures raised, and inf is no JSON number.
JIANGSU_400_DIGITS = "收支预算总表\n部门： 江苏省人大常委会办公厅 单位：万元\n收入 支出\n合计 " + "9" * 400

_BUGS_CAUGHT = [
    pytest.param(EMPTY_TABLE_AT_END, id="empty-table-at-end"),
    pytest.param(EMPTY_TABLE_AT_END.replace("\n", "\n\n"), id="doubled-breaks-table-at-end"),
    pytest.param(XIAN_CUT_IN_HEADER, id="cut-in-header"),
    pytest.param(JIANGSU_400_DIGITS, id="400-digit-cell"),
]


@pytest.mark.parametrize("text", _BUGS_CAUGHT)
def test_bugs_caught(text):
    """No exception; offsets, sections, confidences and JSON as every output must have them
    (the checks of scripts/fuzz.py)."""
    _fuzz_script().check(text)


def test_empty_table_at_end_is_a_blank_table():
    """The table's header names 收入 and 支出 but prints no number: its blank cells are zeros
    placed at the end of the header (the contract's 'a blank cell of a table that it does
    print is 0'), so no figure may come from outside the text."""
    d = extractor.extract(EMPTY_TABLE_AT_END).to_dict()
    for f in d["key_figures"].values():
        assert f["value"] == 0 and f["start"] == len(EMPTY_TABLE_AT_END)


def _fuzz_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("fuzz", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# One annotated text per layout: a narrative PDF, a tables file, an HTML page, a 决算, the seed.
_FUZZED = ("107_beijing", "004_jiangsu", "024_yantai", "401_putuo", "新乐市")


def test_damaged_copies_of_annotated_texts_come_out_consistent():
    """Every change of scripts/fuzz.py (cut, re-wrapped, full-width, 400-digit numbers, …) on
    five annotated texts of different layouts: no exception, and offsets, sections, confidences
    and JSON as every output must have them (scripts/fuzz.py runs all 53 texts)."""
    from extractor.corpus import load_corpus

    fuzz = _fuzz_script()
    texts = [(d.id, d.text) for d in load_corpus() if d.id.startswith(_FUZZED)]
    assert len(texts) == len(_FUZZED)
    assert not fuzz.fuzz_texts(texts, seed=0)


def test_damaged_example_files_fail_only_with_a_reason():
    """Damaged bytes (cut, flipped, inserted, zeroed) of the example PDF, HTML, text and a DOCX:
    each is read or refused with a reason, never an internal error or a timeout."""
    outcomes = _fuzz_script().fuzz_files(16, seed=0)
    assert sum(outcomes.values()) == 16
    assert not [key for key in outcomes if key[2] in ("INTERNAL", "TIMEOUT")]
    assert {key[2] for key in outcomes} >= {"read", "refused"}  # the damage both spares and breaks files
