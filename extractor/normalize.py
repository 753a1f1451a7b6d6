"""Normalisation for parsing that keeps every offset valid.

Rules run on a *parse form* of the text that has exactly the same length as
``Disclosure.text``: each character is mapped to one character, so an offset found in
the parse form points at the same place in the original.
"""

from __future__ import annotations

# Full-width ASCII (U+FF01..U+FF5E) to half-width, ideographic and odd spaces to a space.
_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE.update({cp: 0x20 for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200B, 0x202F, 0x205F, 0xFEFF)})
# A carriage return before a newline (text pasted or saved on Windows) is trailing space: the
# readers drop it, but extract() takes text as given and its offsets must stay valid.
_TABLE[0x0D] = 0x20
_TABLE.update(
    {
        0x2014: ord("-"),  # em dash used as a minus or a blank cell
        0x2212: ord("-"),  # minus sign
        0xFE63: ord("-"),
        0x2010: ord("-"),
        0x2011: ord("-"),
        0x2013: ord("-"),
        0x3001: 0x3001,  # 、 stays: it is a list separator, not a comma
        0x201C: ord('"'),
        0x201D: ord('"'),
        0x2018: ord("'"),
        0x2019: ord("'"),
        0x2264: 0x2264,  # ≤ and ≥ stay as they are
        0x2265: 0x2265,
    }
)


# Half of a UTF-16 pair (text a caller decoded with surrogateescape, or a damaged PDF text
# layer) to U+FFFD: the rules encode the parse form, which a lone surrogate would stop.
_TABLE.update({cp: 0xFFFD for cp in range(0xD800, 0xE000)})


def parse_form(text: str) -> str:
    """Return the parse form of ``text``: same length, full-width folded to half-width.

    >>> parse_form("１２３，４５万元（元）")
    '123,45万元(元)'
    """
    out = text.translate(_TABLE)
    assert len(out) == len(text)
    return out
