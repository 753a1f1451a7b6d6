"""The annotated corpus: load it and validate it against ``annotations/schema.json``.

The schema file is the one place that names labels and fields; the trainer, this
validator and the evaluator all read it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

#: Where the corpus lives in a source checkout.
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "annotations"


@dataclass
class AnnotatedDoc:
    """One annotated document: its frozen text and its labels."""

    id: str
    text: str
    record: dict[str, Any]

    @property
    def region(self) -> str:
        return self.record.get("region") or "unknown"


def load_schema(root: str | Path = DEFAULT_ROOT) -> dict[str, Any]:
    """The corpus schema (labels, key-figure names, field lists)."""
    return json.loads((Path(root) / "schema.json").read_text(encoding="utf-8"))


def iter_records(root: str | Path = DEFAULT_ROOT) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every ``data/*.jsonl`` record, with the file it came from."""
    for path in sorted((Path(root) / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield path, json.loads(line)


def load_corpus(root: str | Path = DEFAULT_ROOT) -> list[AnnotatedDoc]:
    """Load every annotated document with its frozen text.

    Raises:
        FileNotFoundError: the corpus folder or a text file is missing.
    """
    root = Path(root)
    if not (root / "schema.json").exists():
        raise FileNotFoundError(f"no annotated corpus at {root} (schema.json missing)")
    docs = []
    for _, rec in iter_records(root):
        text = (root / rec["text_path"]).read_text(encoding="utf-8")
        mentions = root / "amounts" / f"{rec['id']}.json"
        if mentions.exists():  # every money mention labelled: the record carries them as "amounts"
            rec = {**rec, "amounts": json.loads(mentions.read_text(encoding="utf-8"))["amounts"]}
        docs.append(AnnotatedDoc(rec["id"], text, rec))
    return docs


def validate(root: str | Path = DEFAULT_ROOT) -> tuple[int, list[str]]:
    """Check the whole corpus.

    Checks text hashes, that offsets lie inside the text and point at what they claim,
    that labels and names are known, that section spans tile the text without gap or
    overlap, and that figures parse.

    Returns:
        (number of documents, list of problems; empty when the corpus is valid).
    """
    root = Path(root)
    schema = load_schema(root)
    labels = set(schema["section_labels"])
    names = list(schema["key_figures"])
    operators = set(schema["operators"])
    problems: list[str] = []
    seen: set[str] = set()
    n = 0
    for path, rec in iter_records(root):
        n += 1
        where = f"{path.name}"
        missing = [f for f in schema["document_fields"] if f not in rec]
        if missing:
            problems.append(f"{where}: missing fields {missing}")
            continue
        if rec["id"] in seen:
            problems.append(f"{where}: duplicate id {rec['id']}")
        seen.add(rec["id"])
        text_file = root / rec["text_path"]
        if not text_file.exists():
            problems.append(f"{where}: text file {rec['text_path']} missing")
            continue
        raw = text_file.read_bytes()
        if hashlib.sha256(raw).hexdigest() != rec["text_sha256"]:
            problems.append(f"{where}: sha256 of {rec['text_path']} does not match text_sha256")
        text = raw.decode("utf-8")
        problems += [f"{where}: {p}" for p in _check_sections(rec["sections"], text, labels)]
        kf = rec["key_figures"]
        if sorted(kf) != sorted(names):
            problems.append(f"{where}: key_figures must name exactly the {len(names)} figures (got {sorted(kf)})")
        for name, fig in kf.items():
            if fig is not None:
                problems += [f"{where}: key figure {name}: {p}" for p in _check_figure(fig, text)]
        for i, proj in enumerate(rec["projects"]):
            problems += [f"{where}: project {i}: {p}" for p in _check_item(proj, schema["project_fields"], text)]
            if proj.get("amount") is not None and not isinstance(proj["amount"], (int, float)):
                problems.append(f"{where}: project {i}: amount is not a number")
        for i, ind in enumerate(rec["indicators"]):
            problems += [f"{where}: indicator {i}: {p}" for p in _check_item(ind, schema["indicator_fields"], text)]
            if ind.get("operator") is not None and ind["operator"] not in operators:
                problems.append(f"{where}: indicator {i}: operator {ind['operator']!r} not one of {sorted(operators)}")
            if not ind.get("level3"):
                problems.append(f"{where}: indicator {i}: level3 is empty")
    if n == 0:
        problems.append(f"no records under {root / 'data'}")
    for path in sorted((root / "amounts").glob("*.json")):
        problems += [f"amounts/{path.name}: {p}" for p in _check_mentions(path, root, seen, schema["amount_fields"])]
    return n, problems


def _check_mentions(path: Path, root: Path, ids: set[str], fields: list[str]) -> list[str]:
    """A file of every money mention of one document: known id, spans that hold the raw text,
    in order without overlap, values that are the raw number times the unit."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("id") != path.stem or data["id"] not in ids:
        return [f"id {data.get('id')!r} is not a corpus document named like the file"]
    text = (root / "texts" / f"{data['id']}.txt").read_text(encoding="utf-8")
    out, end = [], 0
    for i, m in enumerate(data.get("amounts") or []):
        problems = _check_item(m, fields, text) or _check_figure(m, text)
        if not problems and m["start"] < end:
            problems = [f"starts at {m['start']}, inside the mention before it (ends at {end})"]
        out += [f"mention {i}: {p}" for p in problems]
        end = max(end, m.get("end") or 0)
    return out


def _check_sections(sections: list[dict], text: str, labels: set[str]) -> list[str]:
    out = []
    pos = 0
    for i, s in enumerate(sections):
        if s.get("label") not in labels:
            out.append(f"section {i}: unknown label {s.get('label')!r}")
        if s.get("start") != pos:
            out.append(f"section {i}: starts at {s.get('start')}, expected {pos} (gap or overlap)")
        if not isinstance(s.get("end"), int) or s["end"] <= s.get("start", 0):
            out.append(f"section {i}: empty or inverted span {s.get('start')}..{s.get('end')}")
            return out
        heading = s.get("heading")
        if heading is not None and heading.strip() and heading.strip() not in text[s["start"] : s["start"] + len(heading) + 200]:
            out.append(f"section {i}: heading {heading!r} not found at its start")
        pos = s["end"]
    if pos != len(text):
        out.append(f"sections end at {pos}, the text at {len(text)}")
    return out


def _check_span(item: dict, text: str) -> list[str]:
    start, end = item.get("start"), item.get("end")
    if start is None and end is None:
        return []
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        return [f"span {start}..{end} outside the text (length {len(text)})"]
    return []


def _check_figure(fig: dict, text: str) -> list[str]:
    out = _check_span(fig, text)
    if not isinstance(fig.get("value"), (int, float)):
        out.append(f"value {fig.get('value')!r} is not a number")
    if fig.get("unit") not in ("元", "万元", "亿元", "千元", None):
        out.append(f"unit {fig.get('unit')!r} unknown")
    if not out and fig.get("start") is not None and fig.get("raw"):
        got = text[fig["start"] : fig["end"]]
        if got != fig["raw"]:
            out.append(f"raw {fig['raw']!r} but the text there is {got!r}")
        else:
            number = _parse_number(fig["raw"])
            mult = {"元": 1, "万元": 1e4, "亿元": 1e8, "千元": 1e3}.get(fig.get("unit") or "元", 1)
            if number is not None and abs(number * mult - fig["value"]) > max(0.005 * abs(fig["value"]), 1):
                out.append(f"value {fig['value']} is not raw {fig['raw']!r} × {fig.get('unit')}")
    return out


def _parse_number(raw: str) -> float | None:
    from .normalize import parse_form

    s = "".join(parse_form(raw).split()).replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _check_item(item: dict, fields: list[str], text: str) -> list[str]:
    missing = [f for f in fields if f not in item]
    if missing:
        return [f"missing fields {missing}"]
    return _check_span(item, text)


def hf_features(schema: dict[str, Any]):
    """``datasets.Features`` of a corpus record, spelled out from the schema.

    Needed because a field that is null in every record of one file (a document without
    project codes) would otherwise be typed ``null`` there and not merge with the others.
    """
    from datasets import Features, Value

    def struct(fields, numbers=()):
        return {f: Value("int64") if f in ("start", "end") else Value("float64") if f in numbers else Value("string") for f in fields}

    columns = struct(schema["document_fields"]) | {"year": Value("int64"), "annotator": Value("string"), "notes": Value("string")}
    columns["sections"] = [struct(schema["section_fields"])]
    columns["projects"] = [struct(schema["project_fields"], numbers=("amount",))]
    columns["indicators"] = [struct(schema["indicator_fields"])]
    columns["key_figures"] = {n: struct(schema["key_figure_fields"], numbers=("value",)) for n in schema["key_figures"]}
    return Features(columns)


def load_hf_dataset(root: str | Path = DEFAULT_ROOT):
    """The corpus as a ``datasets.Dataset`` (one row per document)."""
    from datasets import load_dataset

    root = Path(root)
    return load_dataset("json", data_files=str(root / "data" / "*.jsonl"), split="train", features=hf_features(load_schema(root)))
