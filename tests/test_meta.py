"""Metadata from the title and cover, on the frozen texts of the corpus."""

import csv
from pathlib import Path

import pytest

from extractor.meta import read_meta
from extractor.normalize import parse_form

ROOT = Path(__file__).resolve().parent.parent / "annotations"
SOURCES = list(csv.DictReader(open(ROOT / "sources.tsv", encoding="utf-8"), delimiter="\t"))
# Tables-only and performance-form files carry no title naming year and kind.
TITLED = [r for r in SOURCES if "-tables" not in r["id"] and "-perf" not in r["kind"] and "budget-perf" != r["kind"]]


@pytest.mark.parametrize("row", TITLED, ids=[r["id"][:24] for r in TITLED])
def test_year_and_kind_from_the_title(row):
    text = (ROOT / "texts" / f"{row['id']}.txt").read_text(encoding="utf-8")
    meta = read_meta(parse_form(text))
    assert meta.year == int(row["year"])
    assert meta.kind == {"budget": "budget", "final": "final"}[row["kind"].split("-")[0]]  # final-template: a 决算


@pytest.mark.parametrize(
    "cover, department, level",
    [
        ("新乐市人民政府办公室\n\n2020年度部门预算公开\n", "新乐市人民政府办公室", "department"),
        ("上海市2026年市级单位预算\n预算单位：上海市信访办公室\n\n目 录\n", "上海市信访办公室", "unit"),
        ("上海市普陀区2024年区级部门预算\n预算主管部门：上海市普陀区人民政府万里街道办事处\n", "上海市普陀区人民政府万里街道办事处", "department"),
        ("西安市信访局（汇总）\n2026年部门预算公开说明\n", "西安市信访局", "department"),
        ("2026年度福州市民政局(本级)单位预算\n", "福州市民政局", "unit"),
        ("中共上海市普陀区委社会工作部 2024 年度部门决算\n", "中共上海市普陀区委社会工作部", "department"),
    ],
)
def test_department_and_level_from_the_cover(cover, department, level):
    meta = read_meta(parse_form(cover))
    assert meta.department == department
    assert meta.level == level
