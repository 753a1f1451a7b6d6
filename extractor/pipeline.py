"""The pipeline: text → parse form → sections → fields → checks.

Data flows one way; each stage reads what the stages before it produced.
"""

from __future__ import annotations

from . import amounts as _amounts
from . import checks as _checks
from . import figures as _figures
from . import indicators as _indicators
from . import meta as _meta
from . import segment as _segment
from .document import Disclosure
from .normalize import parse_form
from .trained import Models, default_models


def extract(text: str, source: str | None = None, models: Models | None = None) -> Disclosure:
    """Extract everything from one disclosure given as plain text.

    Args:
        text: the disclosure; every offset in the result points into it.
        source: a path or name to carry into the result.
        models: trained models to use (default: those shipped in ``models/``).

    Returns:
        The :class:`~extractor.document.Disclosure`.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() takes the document text as str, not {type(text).__name__}")
    models = models or default_models()
    norm = parse_form(text)
    doc = Disclosure(text=text, source=source)
    doc.meta = _meta.read_meta(norm)
    doc.sections = _segment.segment(text, norm, models.segmenter)
    doc.amounts = _amounts.find_amounts(text, norm)
    if models.amounts is not None:
        models.amounts.apply(doc.amounts)  # each rule's measured precision
    _amounts.assign_sections(doc.amounts, doc.sections)
    doc.projects, doc.indicators = _indicators.extract(text, norm, doc.sections)
    doc.key_figures = _figures.choose(text, norm, doc, models.figures)
    doc.checks = _checks.run(doc)
    return doc


def extract_file(path, max_bytes: int | None = None) -> Disclosure:
    """Read a file (PDF, HTML, DOCX or text, sniffed by content) and extract from it.

    Raises:
        extractor.read.ReadError: the file cannot be read; the message names it and why.
    """
    from .read import DEFAULT_MAX_BYTES, read_file

    result = read_file(path, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    doc = extract(result.text, source=str(path))
    doc.format = result.format
    doc.page_starts = result.page_starts
    return doc
