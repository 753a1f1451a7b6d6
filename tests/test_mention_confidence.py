"""Money-mention confidence calibrated per rule (extractor/mention_confidence.py)."""

from __future__ import annotations

import pytest

from extractor import mention_confidence as M
from extractor.corpus import AnnotatedDoc, load_corpus
from extractor.document import Amount

# 新乐市人民政府办公室_2020_budget.txt (line 77), with the gold marking only the first mention.
TEXT = "2020 年预算收支安排2065万元，2019年预算收支安排1560 万元。"


def _doc(gold: list[tuple[str, float]], region: str = "r1") -> AnnotatedDoc:
    amounts = []
    for raw, value in gold:
        start = TEXT.index(raw)
        amounts.append({"start": start, "end": start + len(raw), "raw": raw, "value": value, "unit": "万元"})
    return AnnotatedDoc("x", TEXT, {"region": region, "amounts": amounts})


def test_rule_precision_shrunk_towards_its_family():
    model = M.train([_doc([("2065", 20650000.0)])])
    # two unit-printed mentions, one right: family precision (1 + 1) / (2 + 2) = 0.5
    assert (model.found, model.right) == ({"explicit": 1, "explicit_space": 1}, {"explicit": 1, "explicit_space": 0})
    assert model.confidence["explicit"] == pytest.approx((1 + M.SHRINK * 0.5) / (1 + M.SHRINK))
    assert model.confidence["explicit_space"] == pytest.approx((0 + M.SHRINK * 0.5) / (1 + M.SHRINK))
    assert model.confidence["chinese"] == pytest.approx(0.5)  # never seen: its family's precision
    assert "declared" not in model.confidence and "year_like" not in model.confidence  # families never seen


def test_no_labelled_mentions_no_model():
    assert M.train([AnnotatedDoc("x", TEXT, {"region": "r1"})]) is None


def test_apply_and_roundtrip(tmp_path):
    model = M.train([d for d in load_corpus() if d.record.get("amounts") is not None])
    assert model.found["declared"] >= 100 and model.found["explicit"] >= 100
    assert all(0 < c < 1 for c in model.confidence.values())
    M.save_model(model, tmp_path)
    again = M.load_model(tmp_path)
    assert sorted(again.confidence) == sorted(model.confidence) and again.found == model.found
    assert all(abs(again.confidence[r] - c) < 1e-12 for r, c in model.confidence.items())
    mentions = [Amount(1.0, "万元", "1", 0, 1, confidence=0.5, rule="declared"), Amount(1.0, "万元", "1", 0, 1, confidence=0.4, rule="year_like")]
    again.apply(mentions)
    assert mentions[0].confidence == round(min(model.confidence["declared"], M.CEILING), 4) == M.CEILING
    assert mentions[1].confidence == 0.4  # a rule the table does not know keeps its prior
    assert "per rule" in (tmp_path / M.CARD_FILE).read_text(encoding="utf-8")


def test_shipped_table_loads():
    from extractor.trained import model_dir

    model = M.load_model(model_dir())
    assert model is not None and model.confidence["explicit"] > 0.9
