"""Run the pipeline over damaged copies of the annotated texts and example files, and report
every crash and every inconsistent output (not a test: it prints what it found).

Usage:
    python scripts/fuzz.py [--seed N] [--files K]

Scraped disclosures come cut, re-wrapped and damaged in ways the 53 annotated texts do not show.
Each text is changed by every entry of :data:`VARIANTS` (a random slice, line breaks doubled or
dropped, lines shuffled, ASCII made full-width, characters deleted, page breaks inserted,
400-digit numbers, HTML entities, whitespace-only and one-character files, …) and must come out
of :func:`extractor.extract` without an exception, with offsets that point into the text, sections
that tile it, probabilities as confidences and a JSON-serialisable result. With ``--files K``,
K copies of the example files (PDF, HTML, text, and a DOCX built from the seed) are damaged at the
byte level (cut, bytes flipped, inserted or zeroed) and read through the batch path, where a
damaged file may fail with a clear reason but never with an internal error or a timeout.

Exit status 1 when anything was found. tests/test_robustness.py runs a fixed sample of it.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import random
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _lines(text: str, rng: random.Random, keep: float, extra: str) -> str:
    return "\n".join(line if rng.random() > keep else line + extra for line in text.split("\n"))


def _shuffled(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    rng.shuffle(lines)
    return "\n".join(lines)


def _slice(text: str, rng: random.Random) -> str:
    a = rng.randrange(len(text))
    return text[a : a + rng.randrange(1, 6000)]


_FULL_WIDTH = {i: i + 0xFEE0 for i in range(0x21, 0x7F)}

#: name → change of a text (its first 8,000 characters where the change is costly).
VARIANTS = {
    "slice": _slice,
    "head": lambda t, rng: t[: rng.randrange(1, 200)],
    "no_breaks": lambda t, rng: t[:8000].replace("\n", " "),
    "double_breaks": lambda t, rng: t[:8000].replace("\n", "\n\n"),
    "shuffled_lines": lambda t, rng: _shuffled(t[:8000], rng),
    "full_width": lambda t, rng: t[:8000].translate(_FULL_WIDTH),
    "tabs": lambda t, rng: t[:8000].replace(" ", "\t"),
    "cr_only": lambda t, rng: t[:8000].replace("\n", "\r"),
    "crlf_and_page_breaks": lambda t, rng: t[:8000].replace("\n", "\r\n").replace("。", "。\f"),
    "repeated": lambda t, rng: t[:3000] * 5,
    "deleted_chars": lambda t, rng: "".join(ch for ch in t[:8000] if rng.random() > 0.05),
    "page_numbers": lambda t, rng: _lines(t[:8000], rng, 0.1, "\f\n- 3 -"),
    "huge_numbers": lambda t, rng: t[:4000] + "\n合计 " + "9" * 400 + " 万元\n支出总计 " + "1" * 30 + "." + "5" * 30
    + "亿元\n三公经费 1e308 万元 NaN 元 Infinity",
    "html_entities": lambda t, rng: t[:8000].replace(" ", "&nbsp;").replace("\n", "<br>\n"),
    "numbers_only": lambda t, rng: "\n".join(line for line in t.split("\n") if any(c.isdigit() for c in line))[:10000],
    "whitespace_only": lambda t, rng: " \n\t\f\u3000" * rng.randrange(0, 50),
    "one_char": lambda t, rng: rng.choice("0元。\n表一、（"),
    "random_cjk": lambda t, rng: "".join(chr(rng.randrange(0x20, 0x9FFF)) for _ in range(2000)),
    "random_table_chars": lambda t, rng: "".join(rng.choice("0123456789.,万元亿 \n合计一二三、（）表") for _ in range(3000)),
}


def check(text: str) -> None:
    """Extract ``text`` and assert what every output must satisfy (raises on a fault)."""
    import extractor

    d = extractor.extract(text).to_dict()
    json.dumps(d, ensure_ascii=False, allow_nan=False).encode("utf-8")
    sections = d["sections"]
    if text:
        assert sections and sections[0]["start"] == 0 and sections[-1]["end"] == len(text), "sections do not cover the text"
    for a, b in itertools.pairwise(sections):
        assert a["end"] == b["start"], "sections do not tile the text"
    for a in d["amounts"]:
        assert text[a["start"] : a["end"]] == a["raw"], "an amount's offsets miss its raw text"
    for group in ("amounts", "projects", "indicators", "sections"):
        for item in d[group]:
            assert 0.0 <= item["confidence"] <= 1.0, f"a confidence of {group} is no probability"
    for f in d["key_figures"].values():
        assert 0 <= f["start"] <= f["end"] <= len(text) and 0.0 <= f["confidence"] <= 1.0, "a key figure is out of place"


def fuzz_texts(texts: list[tuple[str, str]], seed: int) -> Counter:
    """Every variant of every text; prints each fault (the first two per variant in full)."""
    rng = random.Random(seed)
    faults: Counter = Counter()
    for name, text in texts:
        for variant, change in VARIANTS.items():
            changed = change(text, rng)
            try:
                check(changed)
            except Exception as exc:  # noqa: BLE001 - a fault is what we look for
                faults[variant] += 1
                print(f"FAULT {name} {variant}: {type(exc).__name__}: {exc}")
                if faults[variant] <= 2:
                    traceback.print_exc(limit=-4)
    return faults


def _damaged(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    b = bytearray(data)
    how = rng.choice(["cut", "flip", "insert", "zero"])
    i = rng.randrange(len(b))
    if how == "cut":
        b = b[:i]
    elif how == "flip":
        for _ in range(rng.randrange(1, 50)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif how == "insert":
        b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 500)))
    else:
        n = min(rng.randrange(1, 5000), len(b) - i)
        b[i : i + n] = bytes(n)
    return how, bytes(b)


def fuzz_files(count: int, seed: int) -> Counter:
    """``count`` damaged copies of the example files through the batch path."""
    from docx import Document

    from extractor.batch import process_one

    examples = ROOT / "examples"
    sources = {p.suffix.lstrip("."): p.read_bytes() for p in sorted(examples.iterdir()) if p.suffix in (".pdf", ".html", ".txt")}
    doc = Document()
    for line in sources["txt"].decode("utf-8").split("\n")[:200]:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    sources["docx"] = buf.getvalue()
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(count):
            kind = rng.choice(sorted(sources))
            how, data = _damaged(sources[kind], rng)
            path = os.path.join(tmp, f"damaged{k}.{kind}")
            with open(path, "wb") as fh:
                fh.write(data)
            error = process_one(path, timeout=60).get("error") or ""
            outcome = "read" if not error else "INTERNAL" if "internal error" in error else "TIMEOUT" if "timed out" in error else "refused"
            outcomes[kind, how, outcome] += 1
            if outcome in ("INTERNAL", "TIMEOUT"):
                print(f"FAULT {kind} {how}: {error}")
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", type=int, default=0, help="also damage this many copies of the example files")
    args = parser.parse_args(argv)
    from extractor.corpus import load_corpus

    texts = [(d.id, d.text) for d in load_corpus()]
    faults = fuzz_texts(texts, args.seed)
    print(f"texts: {len(texts)} x {len(VARIANTS)} variants, faults: {dict(faults) or 0}")
    bad = sum(faults.values())
    if args.files:
        outcomes = fuzz_files(args.files, args.seed)
        for key, n in sorted(outcomes.items()):
            print("files:", *key, n)
        bad += sum(n for (_, _, outcome), n in outcomes.items() if outcome in ("INTERNAL", "TIMEOUT"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
