"""Read a scraped disclosure file into plain text, picking the format by content.

Scraped sets are full of HTML pages saved as ``.pdf`` and files with no extension,
so the reader sniffs the first bytes instead of trusting the name. Every failure is
a :class:`ReadError` whose message names the file and the reason, so a batch can
record it and go on.

Readers (measured in ``scripts/benchmark.py``, figures in the README):

* PDF: pypdfium2 (PDFium) text layer, page by page. Pages whose text comes out with
  no line breaks (some table pages do) are rebuilt line by line from character boxes.
* HTML: selectolax (lexbor), body text only; block elements become lines, table rows
  become lines with tab-separated cells.
* DOCX: python-docx, paragraphs and tables in document order.
* Text: BOM, then strict UTF-8, then charset-normalizer (GB18030/GBK, UTF-16, ...).
"""

from __future__ import annotations

import ctypes
import functools
import io
import os
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

#: Default largest file the reader accepts, in bytes (``--max-bytes`` overrides it).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

#: Separator placed between PDF pages: a form feed on a line of its own.
PAGE_BREAK = "\n\f\n"


class ReadError(Exception):
    """A file that cannot be turned into text; ``str()`` names the file and the reason."""

    def __init__(self, path: str | os.PathLike | None, reason: str):
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


@dataclass
class ReadResult:
    """Text of one document and where it came from.

    Attributes:
        text: the document as plain text; every offset the library returns points here.
        format: ``pdf``, ``html``, ``docx`` or ``text``.
        page_starts: offsets in ``text`` where each page begins (PDF only, else ``[0]``).
        encoding: the detected encoding for text and HTML files.
    """

    text: str
    format: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    encoding: str | None = None


def sniff(data: bytes) -> str:
    """Guess a document's format from its first bytes.

    Returns:
        ``pdf``, ``docx``, ``ole`` (legacy .doc/.xls), ``zip``, ``html`` or ``text``.
    """
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(b"\xff\xfe") or probe.startswith(b"\xfe\xff"):
        probe = head.decode("utf-16", errors="ignore").encode("utf-8", "ignore").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<p")):
        return "html"
    if b"<html" in probe or b"<!doctype html" in probe:
        return "html"
    return "text"


def read_file(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file into text.

    Args:
        path: the file to read.
        max_bytes: refuse files larger than this.

    Returns:
        The :class:`ReadResult`.

    Raises:
        ReadError: the file is missing, unreadable, empty, too large, damaged,
            encrypted, scanned without a text layer, or not a document.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReadError(path, f"cannot open: {exc.strerror or exc}") from exc
    if p.is_dir():
        raise ReadError(path, "is a directory, not a file")
    if size == 0:
        raise ReadError(path, "empty file (0 bytes)")
    if size > max_bytes:
        raise ReadError(path, f"file is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:.1f} MB")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot open: {exc.strerror or exc}") from exc
    return read_bytes(data, name=str(path))


def read_bytes(data: bytes, name: str | None = None) -> ReadResult:
    """Read a document held in memory; ``name`` is used in error messages only."""
    if not data:
        raise ReadError(name, "empty file (0 bytes)")
    kind = sniff(data)
    if kind == "pdf":
        return _read_pdf(data, name)
    if kind == "docx":
        return _read_docx(data, name)
    if kind == "ole":
        raise ReadError(name, "legacy Office file (.doc/.xls): convert it to .docx or PDF first")
    if kind == "zip":
        raise ReadError(name, "ZIP archive that is not a DOCX document")
    text, encoding = decode_text(data, name)
    if kind == "html" or _looks_like_html(text):
        return ReadResult(html_to_text(text), "html", encoding=encoding)
    return ReadResult(_clean_newlines(text), "text", encoding=encoding)


# --------------------------------------------------------------------------- text


_BROKEN_UTF8 = 0.01  # share of a UTF-8 text's non-ASCII characters that may be broken


def decode_text(data: bytes, name: str | None = None) -> tuple[str, str]:
    """Decode bytes of a text or HTML file, detecting the encoding.

    Raises:
        ReadError: the bytes are binary content, not text in any encoding.
    """
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken sequences (a download cut inside a character, a damaged byte) is
    # still UTF-8, read with U+FFFD for what is broken: text in GBK or another encoding breaks
    # at nearly every non-ASCII character instead.
    text = data.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if text.count("\ufffd") <= _BROKEN_UTF8 * non_ascii:
        return text, "utf-8"
    if data.count(b"\x00") > len(data) // 100 + 1 and not _plausible_utf16(data):
        return _utf16_without_bom(data, name)
    from charset_normalizer import from_bytes

    sample = data[:200_000]
    for cut in range(4):  # the sample, or the file, may end inside a multi-byte character
        best = from_bytes(sample[: len(sample) - cut]).best()
        if best is not None or len(sample) <= cut + 1:
            break
    if best is not None:
        enc = best.encoding
        # GBK and its relatives are all decoded as GB18030, their superset.
        if enc.lower().replace("_", "") in {"gb2312", "gbk", "hz", "gb18030", "cp936"}:
            enc = "gb18030"
        text = data.decode(enc, errors="replace")
        if _mostly_text(text):
            return text, enc
    return _utf16_without_bom(data, name)


def _utf16_without_bom(data: bytes, name: str | None) -> tuple[str, str]:
    """UTF-16 without a byte-order mark (saved so by some Windows tools): Chinese text has too
    few NUL bytes to look like UTF-16 and the detector does not find it. Decoded with the wrong
    byte order, or from binary content, it gives rare characters, which _mostly_text refuses.

    Raises:
        ReadError: it is not that either: binary content.
    """
    for enc in ("utf-16-le", "utf-16-be"):
        text = data[: len(data) // 2 * 2].decode(enc, errors="replace")
        if _mostly_text(text):
            return text, enc
    raise ReadError(name, "binary content: not PDF, DOCX, HTML or text")


def _plausible_utf16(data: bytes) -> bool:
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    return max(even_nuls, odd_nuls) > len(data) // 5


def _mostly_text(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\r\n\f") or c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF)
    if bad / len(sample) > 0.02:
        return False
    # Garbage decoded as a CJK codec yields rare characters; real disclosures use common ones.
    cjk = [c for c in sample if "\u4e00" <= c <= "\u9fff"]
    if cjk and len(cjk) > 50:
        common = sum(1 for c in cjk if c in _COMMON_HANZI)
        if common / len(cjk) < 0.3:
            return False
    return True


# The 120 most frequent characters of budget disclosures; garbage decoded as GB18030 rarely hits them.
_COMMON_HANZI = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严预算经费项目财政拨款收入支出合计决部门说明情况公开用车运行维护接待购置采购资产绩效指标"
)


def _clean_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- HTML

_HTML_DROP = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, select, button"
_HTML_BLOCK = {
    "p", "div", "section", "article", "main", "br", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "table", "tr", "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "caption",
}
_NAV_HINTS = ("nav", "menu", "breadcrumb", "footer", "header", "topbar", "sidebar", "crumb", "share", "copyright")


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def html_to_text(html: str) -> str:
    """Body text of an HTML page: block elements as lines, table rows as tab-separated cells."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    for node in root.css(_HTML_DROP):
        node.decompose()
    for node in root.css("[class], [id]"):
        attrs = node.attributes
        hint = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        if any(h in hint for h in _NAV_HINTS) and len(node.text(deep=True)) < 2000:
            node.decompose()
    out: list[str] = []
    _walk_html(root, out)
    lines = ["\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip("\t") for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


_TOP = re.compile(r"position:\s*absolute.*?top:\s*(\d+(?:\.\d+)?)|top:\s*(\d+(?:\.\d+)?)[^;]*;.*?position:\s*absolute", re.S)


def _abs_top(node) -> float | None:
    """The ``top`` of an absolutely positioned element (pages converted from PDF to divs)."""
    style = node.attributes.get("style") if node.tag in ("div", "span", "p") else None
    if not style or "absolute" not in style:
        return None
    m = _TOP.search(style)
    return float(m.group(1) or m.group(2)) if m else None


def _walk_html(node, out: list[str]) -> None:
    line_top = None  # positioned children on the same baseline form one tab-separated line
    for child in node.iter(include_text=True):
        tag = child.tag
        top = _abs_top(child) if tag not in ("-text", "-comment") else None
        if top is not None:
            out.append("\t" if line_top is not None and abs(top - line_top) < 1.5 else "\n")
            line_top = top
            out.append(" ".join(child.text(deep=True, separator=" ").split()))
            continue
        line_top = None
        if tag == "-text":
            out.append((child.text_content or "").replace("\n", " ").replace("\r", " ").replace("\t", " "))
        elif tag == "tr":
            cells = []
            for cell in child.iter():
                if cell.tag in ("td", "th"):
                    cells.append(" ".join(cell.text(deep=True, separator=" ").split()))
            out.append("\n" + "\t".join(cells) + "\n")
        elif tag == "br":
            out.append("\n")
        elif tag in _HTML_BLOCK:
            out.append("\n")
            _walk_html(child, out)
            out.append("\n")
        elif tag not in ("-comment",):
            _walk_html(child, out)


# --------------------------------------------------------------------------- DOCX


def _read_docx(data: bytes, name: str | None) -> ReadResult:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged files
        raise ReadError(name, f"damaged DOCX: {exc}") from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = []
                prev = None
                for cell in row.cells:
                    # Merged cells repeat the same cell object; keep it once, leave the rest empty.
                    cells.append("" if cell._tc is prev else " ".join(cell.text.split()))
                    prev = cell._tc
                lines.append("\t".join(cells))
    return ReadResult(_clean_newlines("\n".join(lines)).strip("\n") + "\n", "docx")


# --------------------------------------------------------------------------- PDF


# A text line longer than this is rows run together: narrative lines on a page hold ~45 characters.
_LONG_LINE = 80


def _scrambled(text: str) -> bool:
    """Whether PDFium's line breaks on a page are not the printed lines: rows run together (a
    line longer than any printed one), or a table's text given one character per line (most of
    the page's lines a single character, as in some 2026 beijing table pages)."""
    if not text:
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    if max(map(len, lines), default=0) > _LONG_LINE:
        return True
    return len(lines) >= _ONE_CHAR_MIN and sum(len(line.strip()) == 1 for line in lines) > len(lines) / 2


_ONE_CHAR_MIN = 20  # lines on a page before "most lines are one character" means anything


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_pdf(data: bytes, name: str | None) -> ReadResult:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower() or "security" in msg.lower():
            raise ReadError(name, "encrypted PDF: it needs a password") from exc
        raise ReadError(name, f"damaged or truncated PDF: {msg}") from exc
    try:
        pages: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            raw_text = textpage.get_text_range()
            text = _clean_newlines(raw_text)
            if _scrambled(text):
                text = _rebuild_lines(textpage, raw_text) or text
            # A damaged text layer can hold half of a UTF-16 pair, which no UTF-8 output can
            # carry: it becomes U+FFFD (same length, so the characters after it keep their place).
            pages.append(_LONE_SURROGATE.sub("\ufffd", text.strip("\n")))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise ReadError(name, f"damaged or truncated PDF: {exc}") from exc
    finally:
        pdf.close()
    if not pages:
        raise ReadError(name, "PDF has no pages")
    if sum(len("".join(p.split())) for p in pages) < 20 * len(pages) ** 0.5:
        raise ReadError(name, f"PDF has no text layer ({len(pages)} pages of images): it needs OCR")
    starts, pos = [], 0
    for page in pages:
        starts.append(pos)
        pos += len(page) + len(PAGE_BREAK)
    return ReadResult(PAGE_BREAK.join(pages) + "\n", "pdf", page_starts=starts)


@functools.lru_cache(maxsize=1)
def _char_box():
    """FPDFText_GetCharBox called without ctypes argument conversion: half the cost per call."""
    import pypdfium2.raw as raw
    fn = type(raw.FPDFText_GetCharBox)(ctypes.cast(raw.FPDFText_GetCharBox, ctypes.c_void_p).value)
    fn.restype = ctypes.c_int
    box = (ctypes.c_double * 4)()  # left, right, bottom, top
    base = ctypes.addressof(box)
    # Reading the four doubles back with one struct call costs a third of unpacking the ctypes array.
    unpack = functools.partial(struct.Struct("4d").unpack_from, memoryview(box).cast("B"))
    return fn, unpack, tuple(ctypes.c_void_p(base + 8 * k) for k in range(4))


def _rebuild_lines(textpage, raw_text: str = "") -> str:
    """Put line breaks back into a page whose text PDFium ran together.

    Characters stay in content order (so a table cell's wrapped lines stay together);
    a new line starts where a character's box no longer overlaps the previous
    character's baseline band, and a wide horizontal gap becomes a space.
    """
    import pypdfium2.raw as raw

    n = raw.FPDFText_CountChars(textpage.raw)
    # The page text holds one character per char index when no character is outside the BMP;
    # then it saves one foreign call per character.
    if len(raw_text) == n:
        codes = [ord(c) for c in raw_text]
    else:
        codes = [raw.FPDFText_GetUnicode(textpage.raw, i) for i in range(n)]
    fn, unpack, ptrs = _char_box()
    handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    skip = {0, 2, 10, 13, 32, 0xFFFE}
    parts = []
    append = parts.append
    bb = bt = bx = None  # band: bottom, top, right edge of the current line
    gap = 0.0  # a horizontal gap wider than this inside the band becomes a space
    for i, code in enumerate(codes):
        if code in skip or not fn(handle, i, *ptrs):
            continue
        x0, x1, b, t = unpack()
        if bb is None:
            bb, bt, bx = b, t, x1
            gap = 0.5 * max(t - b, 1.0)
            append(chr(code))
            continue
        if bb <= b and t <= bt:
            # Inside the current line's band (most characters): only a gap can add a space.
            if x0 - bx > gap and not (parts[-1] in ".,，" and 48 <= code <= 57):
                append(" ")
            append(chr(code))
            bx = x1
            continue
        overlap = min(t, bt) - max(b, bb)
        if overlap <= 0.3 * min(t - b, bt - bb) and not (bb <= (b + t) / 2 <= bt):
            append("\n")
            append(chr(code))
            bb, bt, bx = b, t, x1
            gap = 0.5 * max(t - b, 1.0)
            continue
        if x0 - bx > 0.5 * max(t - b, bt - bb, 1.0) and not (parts[-1] in ".,，" and 48 <= code <= 57):
            append(" ")
        append(chr(code))
        bb = min(b, bb) if t - b > 0.5 * (bt - bb) else bb
        bt = max(t, bt)
        bx = x1
        gap = 0.5 * max(bt - bb, 1.0)
    return "".join(parts)
