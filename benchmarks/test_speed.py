"""pytest-benchmark timings (not part of the test suite): `pytest benchmarks --benchmark-enable`."""

from pathlib import Path

import pytest

from extractor import amounts, indicators, segment
from extractor.normalize import parse_form
from extractor.read import read_file
from extractor.trained import default_models

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "annotations" / "texts" / "024_yantai-退役军人事务局-html_2026_budget.txt").read_text(encoding="utf-8")
NORM = parse_form(TEXT)


@pytest.fixture(scope="module")
def models():
    return default_models()


def test_read_pdf(benchmark):
    benchmark(read_file, ROOT / "examples" / "403_putuo-政府办公室_2025_budget.pdf")


def test_segment(benchmark, models):
    benchmark(segment.segment, TEXT, NORM, models.segmenter)


def test_amounts(benchmark):
    benchmark(amounts.find_amounts, TEXT, NORM)


def test_indicators(benchmark):
    benchmark(indicators.extract, TEXT, NORM, [])
