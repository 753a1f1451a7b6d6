"""The batch command: one line per document, in input order, errors kept, output atomic."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import extractor
from extractor.batch import collect_inputs, run_batch
from extractor.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "extractor" / "data" / "disclosure.schema.json").read_text(encoding="utf-8"))


@pytest.fixture()
def mixed_dir(tmp_path):
    """A scraped folder: good documents of every format plus bad files."""
    d = tmp_path / "scraped"
    d.mkdir()
    for f in EXAMPLES.iterdir():
        if f.suffix in (".pdf", ".txt", ".html"):
            shutil.copy(f, d / f.name)
    (d / "sub").mkdir()
    shutil.copy(EXAMPLES / "024_yantai-退役军人事务局-html_2026_budget.html", d / "sub" / "really-html.pdf")
    (d / "empty.txt").write_bytes(b"")
    (d / "garbage.pdf").write_bytes(bytes(range(256)) * 50)
    return d


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_dir_writes_one_valid_line_per_document(mixed_dir, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    status = main(["extract", str(mixed_dir), "-o", str(out), "--no-progress"])
    assert status == 1  # two bad files: non-zero exit, but every document has its line
    inputs = collect_inputs([mixed_dir])
    lines = _lines(out)
    assert [rec["source"] for rec in lines] == inputs
    errors = {Path(rec["source"]).name: rec["error"] for rec in lines if rec["error"]}
    assert set(errors) == {"empty.txt", "garbage.pdf"}
    assert "empty file" in errors["empty.txt"] and "garbage.pdf" in errors["garbage.pdf"]
    for rec in lines:
        jsonschema.validate(rec, SCHEMA)
    formats = {Path(rec["source"]).name: rec["format"] for rec in lines if not rec["error"]}
    assert formats["really-html.pdf"] == "html"
    assert formats["107_beijing-公安局-narrative_2026_budget.pdf"] == "pdf"
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith(f"extractor: {len(inputs)} documents, 2 failures")
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_parallel_run_gives_the_same_lines_in_input_order(mixed_dir, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    inputs = collect_inputs([mixed_dir])
    run_batch(inputs, one, jobs=1, progress=False)
    run_batch(inputs, two, jobs=2, progress=False)
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def test_all_good_documents_exit_zero(tmp_path):
    out = tmp_path / "good.jsonl"
    assert main(["extract", str(EXAMPLES / "新乐市人民政府办公室_2020_budget.txt"), "-o", str(out), "--no-progress"]) == 0
    (rec,) = _lines(out)
    assert rec["error"] is None and rec["meta"]["year"] == 2020 and rec["meta"]["kind"] == "budget"


def test_resume_skips_documents_already_done(mixed_dir, tmp_path):
    inputs = collect_inputs([mixed_dir])
    out = tmp_path / "out.jsonl"
    checkpoint = tmp_path / "out.jsonl.partial"
    # An interrupted run left one finished line and one line cut in the middle.
    done = extractor.extract_file(inputs[0]).to_dict()
    done["meta"]["department"] = "marker: taken from the checkpoint"
    checkpoint.write_text(json.dumps(done, ensure_ascii=False) + "\n" + '{"source": "cut', encoding="utf-8")
    summary = run_batch(inputs, out, resume=True, progress=False)
    assert summary.skipped == 1
    lines = _lines(out)
    assert [rec["source"] for rec in lines] == inputs
    assert lines[0]["meta"]["department"] == "marker: taken from the checkpoint"
    assert not checkpoint.exists()


def test_a_file_name_that_is_not_utf8_keeps_the_batch_and_its_line(tmp_path):
    """A GBK file name unpacked on a UTF-8 system (部门.txt as the bytes b2bf c3c5) once made
    the checkpoint write raise, which lost every document of the run."""
    import os

    d = tmp_path / "gbk"
    d.mkdir()
    shutil.copy(EXAMPLES / "新乐市人民政府办公室_2020_budget.txt", d / "good.txt")
    gbk = os.path.join(os.fsencode(d), "部门.txt".encode("gbk"))
    with open(gbk, "wb") as fh:
        fh.write((EXAMPLES / "新乐市人民政府办公室_2020_budget.txt").read_bytes())
    inputs = collect_inputs([d])
    out = tmp_path / "out.jsonl"
    assert run_batch(inputs, out, progress=False).failures == 0
    raw = out.read_bytes()
    raw.decode("utf-8")  # the whole output is valid UTF-8
    sources = [rec["source"] for rec in _lines(out)]
    assert sources == [str(d / "good.txt"), str(d) + "/\\xb2\\xbf\\xc3\\xc5.txt"]
    # A resumed run finds the escaped name in its checkpoint and does not redo the document.
    (tmp_path / "out.jsonl.partial").write_text(out.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    assert run_batch(inputs, out, resume=True, progress=False).skipped == 1


def test_output_is_not_touched_when_a_run_dies(mixed_dir, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    import extractor.batch as batch

    calls = []

    def dying(path, *a, **k):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return {"source": path, "error": None}

    monkeypatch.setattr(batch, "process_one", dying)
    with pytest.raises(KeyboardInterrupt):
        run_batch(collect_inputs([mixed_dir]), out, progress=False)
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert (tmp_path / "out.jsonl.partial").exists()


def test_timeout_becomes_an_error_line(tmp_path, monkeypatch):
    import time

    import extractor.pipeline as pipeline

    def slow(path, max_bytes=None):
        time.sleep(5)

    monkeypatch.setattr(pipeline, "extract_file", slow)
    from extractor.batch import process_one

    rec = process_one(str(EXAMPLES / "新乐市人民政府办公室_2020_budget.txt"), timeout=0.2)
    assert "timed out after 0.2 s" in rec["error"]


def test_python_dash_m_entry_point(tmp_path):
    out = tmp_path / "m.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(EXAMPLES / "新乐市人民政府办公室_2020_budget.txt"), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 documents, 0 failures" in proc.stderr
    assert len(_lines(out)) == 1


def test_no_documents_is_a_usage_error(tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert main(["extract", str(empty), "-o", str(tmp_path / "o.jsonl")]) == 2


def test_extract_rejects_non_text():
    with pytest.raises(TypeError):
        extractor.extract(b"bytes are not text")
