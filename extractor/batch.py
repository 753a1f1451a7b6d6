"""Batch extraction over many files: parallel, resumable, never losing a document.

Each finished document is appended to a checkpoint file ``OUT.partial`` as soon as it
is done; the final output is written in input order to a temporary file and renamed
over ``OUT`` only when every document has a line. An interrupted run leaves ``OUT``
untouched and resumes from the checkpoint with ``--resume``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .read import DEFAULT_MAX_BYTES

#: File endings picked up when a directory is given (files named otherwise are sniffed if listed).
DOCUMENT_SUFFIXES = {".pdf", ".html", ".htm", ".shtml", ".txt", ".text", ".docx", ""}


@dataclass
class BatchSummary:
    """What a batch run did."""

    documents: int
    failures: int
    skipped: int
    seconds: float

    def line(self) -> str:
        return f"extractor: {self.documents} documents, {self.failures} failures, {self.skipped} resumed, {self.seconds:.1f} s"


def collect_inputs(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Expand files and directories (recursively) into a sorted, de-duplicated file list.

    A path given explicitly is always kept (even when it does not exist, so that the
    run reports it); files inside directories are kept when their ending is a document's
    or when they have none.
    """
    out: list[str] = []
    seen: set[str] = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                str(f) for f in path.rglob("*") if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in DOCUMENT_SUFFIXES
            )
        else:
            found = [str(path)]
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out


def source_name(path: str | os.PathLike) -> str:
    """The path as the output names it: bytes of a file name that are not UTF-8 (a GBK name
    unpacked from a zip on a UTF-8 system) as ``\\xNN`` escapes, so that its line is still valid
    UTF-8 JSON; any other name unchanged. Also applied to error messages, which name the path."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):  # pragma: no cover - runs in workers
    raise _Timeout()


def process_one(path: str, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = None) -> dict:
    """Extract one file and return its output line as a dict; never raises.

    Args:
        path: the file.
        max_bytes: refuse larger files.
        timeout: seconds before the document is given up (POSIX alarm, main thread only).
    """
    from .pipeline import extract_file
    from .read import ReadError

    use_alarm = bool(timeout) and hasattr(signal, "SIGALRM")
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return _named(extract_file(path, max_bytes=max_bytes).to_dict(), path)
    except ReadError as exc:
        return _error_line(path, str(exc))
    except _Timeout:
        return _error_line(path, f"{path}: timed out after {timeout:g} s")
    except Exception as exc:  # a bug on one document must not stop the batch
        return _error_line(path, f"{path}: internal error: {type(exc).__name__}: {exc}")
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def _error_line(path: str, message: str) -> dict:
    from .document import Disclosure

    return _named(Disclosure.failed(path, message).to_dict(), path)


def _named(rec: dict, path: str) -> dict:
    rec["source"] = source_name(path)
    if rec.get("error"):
        rec["error"] = source_name(rec["error"])
    return rec


def run_batch(
    inputs: list[str],
    out: str | os.PathLike,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = 120.0,
    resume: bool = False,
    progress: bool | None = None,
) -> BatchSummary:
    """Process ``inputs`` and write one JSON line per document to ``out``, in input order.

    Args:
        inputs: files to process (see :func:`collect_inputs`).
        out: the JSONL output path; written atomically at the end.
        jobs: worker processes (1 runs in this process).
        max_bytes: refuse larger files.
        timeout: per-document time limit in seconds (None for no limit).
        resume: reuse the lines of an interrupted run's checkpoint ``OUT.partial``.
        progress: show a progress bar (default: when stderr is a terminal).

    Returns:
        A :class:`BatchSummary`.
    """
    started = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = out.with_name(out.name + ".partial")
    names = {p: source_name(p) for p in inputs}  # records are keyed by the name they carry
    wanted = set(names.values())
    done: dict[str, dict] = {}
    if resume and checkpoint.exists():
        for line in checkpoint.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by the interruption: redo that document
            if rec.get("source") in wanted:
                done[rec["source"]] = rec
    skipped = len(done)
    todo = [p for p in inputs if names[p] not in done]
    if progress is None:
        progress = sys.stderr.isatty()
    from tqdm import tqdm

    bar = tqdm(total=len(inputs), initial=skipped, unit="doc", disable=not progress, file=sys.stderr)
    mode = "a" if resume else "w"
    with open(checkpoint, mode, encoding="utf-8") as ck:

        def record(rec: dict) -> None:
            done[rec["source"]] = rec
            ck.write(json.dumps(rec, ensure_ascii=False) + "\n")
            ck.flush()
            bar.update(1)

        if jobs <= 1:
            for path in todo:
                record(process_one(path, max_bytes, timeout))
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(process_one, p, max_bytes, timeout): p for p in todo}
                for fut in as_completed(futures):
                    path = futures[fut]
                    try:
                        rec = fut.result()
                    except Exception as exc:  # a worker died (out of memory, killed)
                        rec = _error_line(path, f"{path}: worker failed: {type(exc).__name__}: {exc}")
                    record(rec)
    bar.close()
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for path in inputs:
                fh.write(json.dumps(done[names[path]], ensure_ascii=False) + "\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    checkpoint.unlink(missing_ok=True)
    failures = sum(1 for p in inputs if done[names[p]].get("error"))
    return BatchSummary(len(inputs), failures, skipped, time.perf_counter() - started)
