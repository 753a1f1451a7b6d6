"""Readers on real documents (bundled copies) and on every kind of bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from extractor.read import PAGE_BREAK, ReadError, read_bytes, read_file, sniff

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SEED = EXAMPLES / "新乐市人民政府办公室_2020_budget.txt"
HTML = EXAMPLES / "024_yantai-退役军人事务局-html_2026_budget.html"
PDF_BEIJING = EXAMPLES / "107_beijing-公安局-narrative_2026_budget.pdf"
PDF_PUTUO = EXAMPLES / "403_putuo-政府办公室_2025_budget.pdf"
PDF_JIANGSU = DATA / "013_jiangsu-省委办公厅-tables_2019_budget.pdf"
PDF_GUANGZHOU = DATA / "204_guangzhou-政务服务和数据管理局-整体绩效目标_2026_budget-perf.pdf"
PDF_ONE_CHAR = DATA / "128_beijing-宣传部-tables_2026_budget-page2.pdf"


# ----------------------------------------------------------------- real documents


def test_seed_text_utf8():
    r = read_file(SEED)
    assert r.format == "text" and r.encoding == "utf-8"
    assert r.text.startswith("新乐市人民政府办公室")
    assert "一、部门职责及机构设置情况" in r.text
    assert "\r" not in r.text


@pytest.mark.parametrize(
    "path, pages, phrase, page_of_phrase",
    [
        (PDF_BEIJING, 9, "四、财政拨款“三公”经费预算情况说明", 6),
        (PDF_PUTUO, 22, "部门财务收支预算总表", None),
        (PDF_JIANGSU, 12, "收支预算总表", None),
        (PDF_GUANGZHOU, 2, "绩效目标", None),
    ],
)
def test_pdf_text_layer_keeps_pages(path, pages, phrase, page_of_phrase):
    r = read_file(path)
    assert r.format == "pdf"
    assert len(r.page_starts) == pages
    # Pages are joined by a form feed on its own line, and page_starts point at each page.
    assert r.text.count("\f") == pages - 1
    for start in r.page_starts[1:]:
        assert r.text[start - len(PAGE_BREAK) : start] == PAGE_BREAK
    at = r.text.rfind(phrase)
    assert at >= 0, phrase
    if page_of_phrase is not None:
        assert max(i for i, s in enumerate(r.page_starts) if s <= at) == page_of_phrase


def test_pdf_rows_run_together_are_split_into_lines():
    # The 2-page performance form comes out of PDFium with rows on long lines; the reader
    # rebuilds lines from character boxes so that no line holds a whole table.
    r = read_file(PDF_GUANGZHOU)
    assert max(len(line) for line in r.text.split("\n")) < 200
    assert "\r" not in r.text


def test_pdf_table_given_one_character_per_line_is_rebuilt_into_rows():
    # Page 2 of a 2026 beijing tables file: PDFium gives its 收支总表 one character per line
    # (本\n年\n收\n入\n合\n计\n1\n2\n3…); the reader rebuilds the rows from character boxes.
    r = read_file(PDF_ONE_CHAR)
    lines = [line for line in r.text.split("\n") if line.strip()]
    assert sum(len(line.strip()) == 1 for line in lines) < len(lines) / 10
    assert "本年收入合计 123,090.398813 本年支出合计 132,946.634356" in r.text
    assert "二十二、 灾害防治及应急管理支出" in r.text


def test_html_body_only_with_tab_separated_rows():
    r = read_file(HTML)
    assert r.format == "html"
    assert "function" not in r.text and "doZoom" not in r.text  # scripts dropped
    assert r.text.lstrip().startswith("2026年烟台市退役军人事务局部门预算")
    # Positioned cells of one printed row become one line, cells separated by tabs.
    assert "一、财政拨款收入\t28,685.65\t一、一般公共服务支出" in r.text
    assert "收支总体情况表" in r.text


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    import docx
    seed_lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    document = docx.Document()
    document.add_paragraph(seed_lines[0])
    document.add_paragraph(seed_lines[1])
    table = document.add_table(rows=2, cols=3)
    for i, cells in enumerate([("项目", "预算数", "上年预算数"), ("公务接待费", "15", "20")]):
        for j, value in enumerate(cells):
            table.rows[i].cells[j].text = value
    document.add_paragraph(seed_lines[3])
    path = tmp_path / "seed.docx"
    document.save(path)
    r = read_file(path)
    assert r.format == "docx"
    lines = r.text.splitlines()
    assert lines == [seed_lines[0], seed_lines[1], "项目\t预算数\t上年预算数", "公务接待费\t15\t20", seed_lines[3]]


def test_docx_merged_cells_are_kept_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "产出指标"
    table.cell(0, 1).text, table.cell(0, 2).text = "数量指标", "≥3"
    table.cell(1, 1).text, table.cell(1, 2).text = "质量指标", "100%"
    path = tmp_path / "merged.docx"
    document.save(path)
    lines = read_file(path).text.splitlines()
    assert lines[0] == "产出指标\t数量指标\t≥3"
    assert lines[1].split("\t")[1:] == ["质量指标", "100%"]


# ----------------------------------------------------------------- formats by content


def test_html_saved_as_pdf_is_read_as_html(tmp_path):
    fake = tmp_path / "page.pdf"
    fake.write_bytes(HTML.read_bytes())
    assert read_file(fake).format == "html"


def test_pdf_without_extension(tmp_path):
    bare = tmp_path / "download"
    bare.write_bytes(PDF_GUANGZHOU.read_bytes())
    assert read_file(bare).format == "pdf"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_text_encodings_detected(tmp_path, encoding):
    original = SEED.read_text(encoding="utf-8")
    path = tmp_path / "seed.txt"
    path.write_bytes(original.encode(encoding))
    r = read_file(path)
    assert r.text == original.replace("\r\n", "\n")


def test_sniff():
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"\n\n<!DOCTYPE html><html>") == "html"
    assert sniff("部门预算".encode()) == "text"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "ole"


# ----------------------------------------------------------------- bad input


def _reason(path, **kw) -> str:
    with pytest.raises(ReadError) as info:
        read_file(path, **kw)
    message = str(info.value)
    assert str(path) in message  # every error names the file
    return message


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert "empty file" in _reason(p)


@pytest.mark.parametrize("name", ["garbage.txt", "garbage.pdf", "garbage"])
def test_binary_garbage(tmp_path, name):
    import random

    rng = random.Random(7)
    p = tmp_path / name
    p.write_bytes(bytes(rng.randrange(256) for _ in range(20000)))
    assert "binary content" in _reason(p)


def test_truncated_pdf(tmp_path):
    data = PDF_PUTUO.read_bytes()
    p = tmp_path / "truncated.pdf"
    p.write_bytes(data[: len(data) // 3])
    assert "damaged or truncated PDF" in _reason(p)


def test_encrypted_pdf(tmp_path):
    import pypdf
    reader = pypdf.PdfReader(str(PDF_GUANGZHOU))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    p = tmp_path / "encrypted.pdf"
    with open(p, "wb") as fh:
        writer.write(fh)
    assert "encrypted PDF" in _reason(p)


def test_scanned_pdf_without_text_layer_needs_ocr(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig = plt.figure(figsize=(8.27, 11.69))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.imshow(np.random.default_rng(0).random((200, 140)), cmap="gray")
    ax.axis("off")
    p = tmp_path / "scan.pdf"
    fig.savefig(p, format="pdf")
    plt.close(fig)
    assert "needs OCR" in _reason(p)


def test_file_over_the_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("预算" * 1000, encoding="utf-8")
    assert "over the limit" in _reason(p, max_bytes=1000)


def test_unreadable_paths(tmp_path):
    assert "cannot open" in _reason(tmp_path / "missing.pdf")
    link = tmp_path / "dangling.pdf"
    link.symlink_to(tmp_path / "nowhere")
    assert "cannot open" in _reason(link)
    assert "directory" in _reason(tmp_path)


def test_legacy_doc_is_refused_with_a_reason():
    with pytest.raises(ReadError, match="legacy Office"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="old.doc")


def test_gbk_without_declared_encoding(tmp_path):
    text = "江苏省委办公厅2019年度部门预算\n一、部门职责\n“三公”经费预算数为35.2万元。\n" * 5
    p = tmp_path / "gbk"
    p.write_bytes(text.encode("gbk"))
    assert read_file(p).text == text


# ----------------------------------------------------------------- damaged content (found by fuzzing)


def test_pdf_text_layer_with_half_a_utf16_pair_is_read_and_extracted(monkeypatch):
    """A damaged text layer (one flipped byte of the putuo PDF did it) gave half of a UTF-16
    pair, which crashed key figures and which no UTF-8 output can hold: it becomes U+FFFD,
    and every other character keeps its offset."""
    import json

    import pypdfium2

    from extractor.pipeline import extract_file

    clean = read_file(PDF_PUTUO).text
    original = pypdfium2.PdfTextPage.get_text_range

    def damaged(self, *a, **k):
        text = original(self, *a, **k)
        k = next((i for i, ch in enumerate(text) if i >= 10 and not ch.isspace()), None)
        return text if k is None else text[:k] + "\udd4c" + text[k + 1 :]

    monkeypatch.setattr(pypdfium2.PdfTextPage, "get_text_range", damaged)
    text = read_file(PDF_PUTUO).text
    assert "\ufffd" in text and len(text) == len(clean)
    assert all(a == b or a == "\ufffd" for a, b in zip(text, clean))
    d = extract_file(PDF_PUTUO)
    assert d.error is None and d.sections
    json.dumps(d.to_dict(), ensure_ascii=False).encode("utf-8")


def test_html_page_with_a_damaged_position_style_is_read():
    """Pages converted from PDF to absolutely placed divs are ordered by their ``top``; a
    damaged value (top:384..7002px, as one flipped byte makes it) once raised ValueError."""
    lines = ["一、部门主要职责", "（一）贯彻落实党中央关于退役军人工作的方针政策", "二、部门预算单位构成"]
    divs = "".join(f'<div style="position:absolute;top:{top}px;left:10px">{line}</div>'
                   for top, line in zip(("120.5", "384..7002", "400"), lines))
    text = read_bytes(f"<html><body>{divs}</body></html>".encode(), "page.html").text
    assert [line for line in text.splitlines() if line.strip()] == lines


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("cut", [1, 2, 3])
def test_text_cut_inside_a_character_is_still_read(tmp_path, encoding, cut):
    """A download cut inside a multi-byte character once read as 'binary content', losing the
    document: strict UTF-8 failed, and the encoding detector found nothing in the cut bytes."""
    data = SEED.read_bytes().decode("utf-8").encode(encoding)
    path = tmp_path / "cut.txt"
    path.write_bytes(data[: len(data) // 2 - cut])
    r = read_file(path)
    assert r.encoding == encoding and r.text.startswith("新乐市人民政府办公室")


def test_utf8_text_with_damaged_bytes_is_read_as_utf8(tmp_path):
    """Three damaged bytes break three characters, not the document: they become U+FFFD."""
    data = bytearray(SEED.read_bytes())
    for k in (1000, 5000, 9000):
        data[k] = 0xFF
    path = tmp_path / "damaged.txt"
    path.write_bytes(bytes(data))
    r = read_file(path)
    assert r.encoding == "utf-8" and 1 <= r.text.count("\ufffd") <= 9  # at most the 3 bytes of each character
    assert "一、部门职责及机构设置情况" in r.text


def test_large_gbk_file_whose_detection_sample_ends_inside_a_character(tmp_path):
    """The encoding is detected on the first 200,000 bytes, which can end inside a GBK character."""
    text = SEED.read_text(encoding="utf-8")
    data = (text * 12).encode("gb18030")
    for shift in range(4):  # one of these puts byte 200,000 inside a character
        path = tmp_path / f"big{shift}.txt"
        path.write_bytes(b" " * shift + data)
        r = read_file(path)
        assert r.encoding == "gb18030" and "一、部门职责及机构设置情况" in r.text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark(tmp_path, encoding):
    """Chinese text in UTF-16 without a BOM has few NUL bytes, and the detector missed it."""
    path = tmp_path / "nobom.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    r = read_file(path)
    assert r.encoding == encoding and r.text.startswith("新乐市人民政府办公室")
