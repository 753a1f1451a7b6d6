"""Document metadata (department, year, kind, level) from the title and cover."""

from __future__ import annotations

import regex

from .document import Meta

# The title names the entity, the year and the kind: XX市XX局2026年度部门预算 / 2024年度XX部门决算.
_TITLE = regex.compile(r"(预算|决算)")
_YEAR = regex.compile(r"(?<!\d)(20[0-4]\d)\s*(?:年|部门|单位)")
# A cover line that names the entity outright: 预算单位：…, 预算主管部门：…, 部门名称 …
_LABELLED = regex.compile(r"^(?:预算单位|预算主管部门|主管部门|部门名称|单位名称)\s*[:：]?\s*(\p{Han}[\p{Han}（）()·]{1,40})$")
_SCOPE_SUFFIX = regex.compile(r"[（(](?:汇总|本级|部门|单位)[)）]$")
_ENTITY_BEFORE_YEAR = regex.compile(r"^\s*(?:[（(]?\d+[)）]?\s*)?(\p{Han}[\p{Han}（）()·]{1,40}?)\s*(?:[（(]本级[)）])?\s*(?:20[0-4]\d)\s*年")
_ENTITY_AFTER_YEAR = regex.compile(r"20[0-4]\d\s*年度?\s*(\p{Han}[\p{Han}（）()·]{1,40}?)\s*(?:[（(](?:本级|汇总)[)）])?\s*(?:部门|单位)?(?:预算|决算)")
_NOISE = ("公开", "信息", "情况说明", "说明", "报表", "文件")
_ENTITY_END = regex.compile(r"(?:局|委员会|委|办公室|办公厅|办事处|厅|院|部|中心|所|会|队|站|馆|社|学院|学校|政府|法院|检察院|支队|大队)$")


def read_meta(norm: str) -> Meta:
    """Read department, year, kind and level from the first lines of a document.

    Args:
        norm: the parse form of the document text.
    """
    head_lines = [line.strip() for line in norm[:3000].split("\n") if line.strip()][:40]
    title_lines = [line for line in head_lines if _TITLE.search(line) and len(line) <= 80]
    # Titles are often split over lines; join the first few short lines too.
    joined = "".join(head_lines[:6])
    candidates = title_lines[:3] + [joined]
    meta = Meta()
    for line in head_lines[:10]:
        if (m := _LABELLED.match(line)) and _ENTITY_END.search(_SCOPE_SUFFIX.sub("", m.group(1))):
            meta.department = _SCOPE_SUFFIX.sub("", m.group(1))
            break
    for line in candidates:
        if meta.year is None and (m := _YEAR.search(line)):
            meta.year = int(m.group(1))
        if meta.kind is None and (m := _TITLE.search(line)):
            meta.kind = "final" if m.group(1) == "决算" else "budget"
        if meta.level is None:
            if regex.search(r"单位(?:预算|决算)", line):
                meta.level = "unit"
            elif regex.search(r"部门(?:预算|决算)", line):
                meta.level = "department"
        if meta.department is None:
            meta.department = _department(line)
    if meta.department is None:
        for line in head_lines[:5]:
            line = _SCOPE_SUFFIX.sub("", line)
            if _ENTITY_END.search(line) and 3 <= len(line) <= 40 and regex.fullmatch(r"[\p{Han}（）()·]+", line):
                meta.department = line
                break
    return meta


def _department(line: str) -> str | None:
    for pattern in (_ENTITY_BEFORE_YEAR, _ENTITY_AFTER_YEAR):
        m = pattern.search(line)
        if m:
            name = m.group(1)
            for noise in _NOISE:
                name = name.removesuffix(noise)
            name = regex.sub(r"(?:部门|单位)$", "", name)
            if len(name) >= 2 and _ENTITY_END.search(name):
                return name
    return None
