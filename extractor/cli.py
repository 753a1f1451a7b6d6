"""Command line: ``extractor extract | check-data | evaluate | train``.

Each command parses and validates its arguments, then hands over to the module that
does the work; exit status 0 means everything asked for succeeded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description="Structured data from Chinese budget disclosures.")
    parser.add_argument("--version", action="version", version=f"extractor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract documents (files or directories) to JSONL")
    io = ex.add_argument_group("input and output")
    io.add_argument("paths", nargs="+", metavar="PATH", help="files or directories (searched recursively)")
    io.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="JSONL output, one line per document")
    io.add_argument("--resume", action="store_true", help="continue an interrupted run from OUT.jsonl.partial")
    run = ex.add_argument_group("processing")
    run.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--timeout", type=float, default=120.0, help="seconds per document before giving up (default 120)")
    run.add_argument("--max-bytes", type=int, default=None, help="refuse files larger than this (default 50 MB)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")

    cd = sub.add_parser("check-data", help="validate the annotated corpus")
    cd.add_argument("--root", default=None, help="corpus folder (default: annotations/ of this checkout)")

    ev = sub.add_parser("evaluate", help="score the pipeline against the annotated corpus")
    ev.add_argument("--root", default=None, help="corpus folder (default: annotations/ of this checkout)")
    ev.add_argument("--cv", choices=["region", "none"], default="none", help="leave-one-region-out: retrain trained parts per fold")
    ev.add_argument("--json", metavar="REPORT", default=None, help="also write the report as JSON")

    tr = sub.add_parser("train", help="retrain every model in models/ from the annotated corpus")
    tr.add_argument("--root", default=None, help="corpus folder (default: annotations/ of this checkout)")
    tr.add_argument("--out", default=None, help="model folder (default: models/ of this checkout)")
    tr.add_argument("--metrics", default=None, metavar="REPORT.json",
                    help="an `evaluate --cv region --json` report whose figures go into the model cards")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    if args.command == "check-data":
        return _check_data(args)
    if args.command == "evaluate":
        from .evaluate import main as evaluate_main

        return evaluate_main(args)
    if args.command == "train":
        from .train import main as train_main

        return train_main(args)
    return 2


def _extract(args) -> int:
    from .batch import collect_inputs, run_batch
    from .read import DEFAULT_MAX_BYTES

    if args.jobs < 1:
        print("extractor: --jobs must be at least 1", file=sys.stderr)
        return 2
    inputs = collect_inputs(args.paths)
    if not inputs:
        print("extractor: no documents found in " + " ".join(args.paths), file=sys.stderr)
        return 2
    summary = run_batch(
        inputs,
        args.output,
        jobs=args.jobs,
        max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
        timeout=args.timeout or None,
        resume=args.resume,
        progress=False if args.no_progress else None,
    )
    print(summary.line(), file=sys.stderr)
    return 0 if summary.failures == 0 else 1


def _check_data(args) -> int:
    from .corpus import DEFAULT_ROOT, validate

    root = Path(args.root) if args.root else DEFAULT_ROOT
    n, problems = validate(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check-data: {len(problems)} problems in {n} documents", file=sys.stderr)
        return 1
    print(f"check-data: {n} documents OK")
    return 0
