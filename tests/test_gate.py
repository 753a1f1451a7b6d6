"""Evaluation gate: the shipped pipeline must not score below the floors in eval_floors.json.

Runs ``extractor evaluate --cv none`` in-process on the annotated corpus. Floors only move
up (see the comment in eval_floors.json); a failure names every metric that dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.evaluate import evaluate

_ALL = json.loads((Path(__file__).with_name("eval_floors.json")).read_text(encoding="utf-8"))
FLOORS = _ALL["floors"]
FLOORS_CV = _ALL["floors_cv_region"]


def metric(report: dict, path: str) -> float:
    """The value at a dotted path of the report (KeyError when the path does not exist)."""
    node = report
    for part in path.split("."):
        node = node[part]
    return float(node)


@pytest.fixture(scope="module")
def report() -> dict:
    return evaluate(cv="none")


def test_every_document_extracts(report):
    assert report["run"]["errors"] == []


def test_floor_paths_exist(report):
    missing = []
    for path in FLOORS:
        try:
            metric(report, path)
        except (KeyError, TypeError):
            missing.append(path)
    assert not missing, f"floors name metrics the report does not have: {missing}"


def test_no_metric_below_its_floor(report):
    dropped = {p: (round(metric(report, p), 4), floor) for p, floor in FLOORS.items() if metric(report, p) < floor}
    assert not dropped, "metrics below their floor (measured, floor): " + json.dumps(dropped)


def test_leave_one_region_out_scores_hold():
    """The reported figures: every trained part retrained per held-out region (a few minutes)."""
    cv = evaluate(cv="region")
    assert cv["run"]["errors"] == []
    dropped = {p: (round(metric(cv, p), 4), floor) for p, floor in FLOORS_CV.items() if metric(cv, p) < floor}
    assert not dropped, "cross-validated metrics below their floor (measured, floor): " + json.dumps(dropped)
