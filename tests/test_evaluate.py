"""Unit tests of the evaluation harness: every metric on tiny hand-made gold/prediction pairs.

Expected numbers are worked out by hand in the comments next to each assertion.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor import evaluate as ev

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "annotations" / "schema.json").read_text(encoding="utf-8"))
# Fixed here (not read from the schema) so that the hand-computed numbers below stay valid.
TOL = {"relative": 0.005, "absolute_yuan": 100}
LABELS = ["A", "B", "C"]
MATCH = ["project", "level3", "operator", "value", "unit"]


def sec(label, start, end, confidence=None, heading=None):
    s = {"label": label, "start": start, "end": end, "heading": heading}
    if confidence is not None:
        s["confidence"] = confidence
    return s


def fig(value, confidence=0.5):
    return {"value": value, "unit": "元", "raw": str(value), "start": 0, "end": 1, "confidence": confidence}


# --------------------------------------------------------------------------- helpers


def test_prf_from_counts():
    r = ev.prf(2, 1, 3)
    # P = 2/3, R = 2/5, F1 = 2PR/(P+R) = (8/15)/(16/15) = 0.5
    assert r["precision"] == pytest.approx(2 / 3)
    assert r["recall"] == pytest.approx(0.4)
    assert r["f1"] == pytest.approx(0.5)


def test_prf_without_predictions_is_zero_not_an_error():
    r = ev.prf(0, 0, 7)
    assert (r["precision"], r["recall"], r["f1"]) == (0.0, 0.0, 0.0)


def test_fold_width_and_whitespace():
    assert ev.fold("≥ ９０％") == "≥90%"
    assert ev.fold("数据库　数量\n") == "数据库数量"
    assert ev.fold(None) == ev.fold("") == ""
    assert ev.fold("90") != ev.fold("9 1")


def test_within_tolerance_relative_and_absolute():
    # gold 1,000,000: relative 0.5% = 5,000 beats the 100 absolute
    assert ev.within_tolerance(1_004_999, 1_000_000, TOL)
    assert not ev.within_tolerance(1_005_001, 1_000_000, TOL)
    # gold 1,000: 0.5% = 5, the absolute 100 元 wins
    assert ev.within_tolerance(1_100, 1_000, TOL)
    assert not ev.within_tolerance(1_100.5, 1_000, TOL)
    assert ev.within_tolerance(0, 0, TOL)
    assert not ev.within_tolerance(None, 0, TOL)


def test_max_matching_reassigns_to_match_both():
    # pred 0 may take gold 0 or 1, pred 1 only gold 0: the maximum matching is 0->1, 1->0
    assert ev.max_matching(2, [[0, 1], [0]]) == [1, 0]
    # two predictions competing for one gold: the first (most confident) keeps it
    assert ev.max_matching(2, [[0], [0]]) == [0, None]


# --------------------------------------------------------------------------- sections


def test_sections_character_level():
    gold = {"sections": [sec("A", 0, 4), sec("B", 4, 10)]}
    pred = {"sections": [sec("A", 0, 6), sec("B", 6, 10)]}
    r = ev.score_sections([gold], [pred], LABELS, ["x" * 10])
    # A: tp 4, predicted 6, gold 4 -> P 4/6, R 1, F1 0.8; B: tp 4, predicted 4, gold 6 -> P 1, R 4/6, F1 0.8
    assert r["labels"]["A"]["precision"] == pytest.approx(4 / 6)
    assert r["labels"]["A"]["recall"] == pytest.approx(1.0)
    assert r["labels"]["B"]["recall"] == pytest.approx(4 / 6)
    assert r["labels"]["B"]["f1"] == pytest.approx(0.8)
    assert r["labels"]["A"]["support"] == 4 and r["labels"]["B"]["support"] == 6
    assert r["macro_f1"] == pytest.approx(0.8)
    assert r["micro_f1"] == pytest.approx(0.8)  # 8 of 10 characters right, all characters predicted
    assert r["labels_in_gold"] == ["A", "B"]


def test_sections_macro_over_gold_labels_only_and_uncovered_characters():
    gold = {"sections": [sec("A", 0, 4), sec("B", 4, 10)]}
    pred = {"sections": [sec("A", 0, 4)]}  # characters 4..10 get no label
    r = ev.score_sections([gold], [pred], LABELS, ["x" * 10])
    # A perfect (F1 1), B never predicted (F1 0); C absent from gold is not averaged: macro = 0.5, not 1/3
    assert r["macro_f1"] == pytest.approx(0.5)
    assert r["labels"]["B"]["fn"] == 6
    # micro: tp 4, fp 0, fn 6 -> P 1, R 0.4, F1 = 0.8/1.4
    assert r["micro_f1"] == pytest.approx(0.8 / 1.4)


def test_sections_pool_over_documents():
    g1 = {"sections": [sec("A", 0, 10)]}
    g2 = {"sections": [sec("A", 0, 10)]}
    p1 = {"sections": [sec("A", 0, 10)]}
    p2 = {"sections": []}
    r = ev.score_sections([g1, g2], [p1, p2], LABELS, ["x" * 10, "y" * 10])
    # pooled: tp 10, fn 10 -> R 0.5, P 1, F1 2/3 (a per-document average would also give 0.5 recall but F1 0.5)
    assert r["labels"]["A"]["recall"] == pytest.approx(0.5)
    assert r["labels"]["A"]["f1"] == pytest.approx(2 / 3)


def test_section_outcomes_half_of_characters():
    gold = {"sections": [sec("A", 0, 5), sec("B", 5, 10)]}
    pred = {"sections": [sec("A", 0, 10, 0.7), sec("A", 2, 10, 0.6), sec("B", 5, 9, 0.9), sec("C", 0, 3)]}
    out = ev.section_outcomes(gold, pred, LABELS, 10)
    # A 0..10: 5/10 = 50% -> right; A 2..10: 3/8 -> wrong; B 5..9: 4/4 -> right; no confidence -> skipped
    assert out == [(0.7, True), (0.6, False), (0.9, True)]


# --------------------------------------------------------------------------- boundaries

# line 0: 0..9, newline 10; line 1: 11..30, newline 31; line 2: 32..41, newline 42
TEXT = "aaaaaaaaaa\nbbbbbbbbbbbbbbbbbbbb\ncccccccccc\n"
GOLD_B = {"sections": [sec("A", 0, 11), sec("B", 11, 32), sec("C", 32, len(TEXT))]}


def test_boundaries_same_line_or_three_characters():
    pred = {"sections": [sec("A", 0, 8), sec("B", 8, 40), sec("C", 40, len(TEXT))]}
    r = ev.score_boundaries([GOLD_B], [pred], [TEXT])
    # 8 is 3 characters before 11 (other line) -> match; 40 is 8 after 32 but on its line -> match
    assert (r["tp"], r["fp"], r["fn"]) == (2, 0, 0)
    assert r["f1"] == pytest.approx(1.0)


def test_boundaries_four_characters_away_on_another_line_miss():
    pred = {"sections": [sec("A", 0, 7), sec("B", 7, len(TEXT))]}
    r = ev.score_boundaries([GOLD_B], [pred], [TEXT])
    # 7 is 4 characters before 11 and on line 0 -> miss; gold 11 and 32 both missed
    assert (r["tp"], r["fp"], r["fn"]) == (0, 1, 2)
    pred = {"sections": [sec("A", 0, 25), sec("B", 25, len(TEXT))]}
    # 25 is 14 characters after 11 but on its line -> match
    assert ev.score_boundaries([GOLD_B], [pred], [TEXT])["tp"] == 1


def test_boundaries_one_to_one_and_merge_same_label():
    pred = {"sections": [sec("A", 0, 11), sec("B", 11, 15), sec("C", 15, 20), sec("C", 20, 34), sec("A", 34, len(TEXT))]}
    r = ev.score_boundaries([GOLD_B], [pred], [TEXT])
    # starts after merging C+C: 11, 15, 34. 11 and 15 both on gold 11's line, only one may take it;
    # 34 is 2 from gold 32 -> match. tp 2, fp 1, fn 0
    assert (r["tp"], r["fp"], r["fn"]) == (2, 1, 0)
    assert r["precision"] == pytest.approx(2 / 3) and r["recall"] == pytest.approx(1.0)


def test_boundaries_perfect_and_offset_zero_not_counted():
    r = ev.score_boundaries([GOLD_B], [GOLD_B], [TEXT])
    assert (r["tp"], r["fp"], r["fn"]) == (2, 0, 0)  # 11 and 32; the start at 0 is no boundary


# --------------------------------------------------------------------------- key figures

NAMES = ["income_total", "three_public_total", "three_public_reception", "procurement_total"]


def test_meta_right_wrong_and_not_given():
    golds = [{"year": 2026, "kind": "budget"}, {"year": 2019, "kind": "final"}, {"year": 2024, "kind": None}]
    preds = [{"meta": {"year": 2026, "kind": "budget"}},
             {"meta": {"year": None, "kind": "budget"}},  # year not given, kind wrong
             {"meta": {"year": 2023, "kind": "final"}}]  # year wrong, kind where gold has none
    m = ev.score_meta(golds, preds, ["year", "kind"])
    assert (m["year"]["tp"], m["year"]["fp"], m["year"]["fn"]) == (1, 1, 2)
    assert m["year"]["precision"] == 0.5 and m["year"]["recall"] == pytest.approx(1 / 3)
    assert (m["kind"]["tp"], m["kind"]["fp"], m["kind"]["fn"]) == (1, 2, 1)


def test_regions_scored_apart():
    """Each region's figures come from its own documents: one region all right, the other not."""
    good = {"region": "r1", "sections": [sec("A", 0, 5), sec("B", 5, 10)], "key_figures": {"income_total": fig(100)}}
    bad = {"region": "r2", "sections": [sec("A", 0, 5), sec("B", 5, 10)], "key_figures": {"income_total": fig(100)}}
    preds = [{"sections": [sec("A", 0, 5), sec("B", 5, 10)], "key_figures": {"income_total": fig(100)}},
             {"sections": [sec("A", 0, 10)], "key_figures": {"income_total": fig(500)}}]
    r = ev.score_regions([good, bad], preds, ["x" * 10, "x" * 10], LABELS, ["income_total"], TOL)
    assert list(r) == ["r1", "r2"] and r["r1"]["documents"] == r["r2"]["documents"] == 1
    assert r["r1"]["sections_micro_f1"] == 1.0 and r["r1"]["key_figures_f1"] == 1.0 and r["r1"]["boundaries_f1"] == 1.0
    assert r["r2"]["sections_micro_f1"] == 0.5 and r["r2"]["key_figures_f1"] == 0.0
    assert r["r2"]["boundaries_f1"] < 1.0  # the gold start at 5 is missed


def test_figures_per_name_overall_and_three_public():
    gold = {"key_figures": {"income_total": fig(1_000_000), "three_public_total": fig(50_000),
                            "three_public_reception": None, "procurement_total": fig(0)}}
    pred = {"key_figures": {"income_total": fig(1_004_000, 0.95),  # within 5,000 -> TP
                            "three_public_total": fig(60_000, 0.9),  # wrong -> FP and FN
                            "three_public_reception": fig(100, 0.5)}}  # gold null -> FP
    # procurement_total stated as 0 in gold, not predicted -> FN
    empty_gold = {"key_figures": {n: None for n in NAMES}}
    r = ev.score_figures([gold, empty_gold], [pred, {}], NAMES, TOL)
    n = r["names"]
    assert (n["income_total"]["precision"], n["income_total"]["recall"]) == (1.0, 1.0)
    assert (n["three_public_total"]["tp"], n["three_public_total"]["fp"], n["three_public_total"]["fn"]) == (0, 1, 1)
    assert (n["three_public_reception"]["fp"], n["three_public_reception"]["fn"]) == (1, 0)
    assert (n["procurement_total"]["fp"], n["procurement_total"]["fn"]) == (0, 1)
    # overall: tp 1, fp 2, fn 2 -> P = R = F1 = 1/3
    assert r["overall"]["precision"] == pytest.approx(1 / 3)
    assert r["overall"]["recall"] == pytest.approx(1 / 3)
    assert r["overall"]["f1"] == pytest.approx(1 / 3)
    # three_public_*: tp 0, fp 2, fn 1
    assert (r["three_public"]["tp"], r["three_public"]["fp"], r["three_public"]["fn"]) == (0, 2, 1)
    assert r["three_public"]["names"] == 2
    # confidence >= 0.9: income (right) and three_public_total (wrong) -> 2 figures, precision 0.5
    assert r["high_confidence"]["count"] == 2
    assert r["high_confidence"]["precision"] == pytest.approx(0.5)


def test_figures_null_gold_without_prediction_not_counted():
    gold = {"key_figures": {n: None for n in NAMES}}
    r = ev.score_figures([gold], [{"key_figures": {}}], NAMES, TOL)
    assert (r["overall"]["tp"], r["overall"]["fp"], r["overall"]["fn"]) == (0, 0, 0)
    assert r["high_confidence"]["precision"] is None


# --------------------------------------------------------------------------- indicators


def ind(value="90", operator="≥", unit="%", level3="数量", project="P", confidence=0.5, level1="产出指标"):
    return {"project": project, "project_code": None, "level1": level1, "level2": None, "level3": level3,
            "description": None, "operator": operator, "value": value, "unit": unit, "basis": None,
            "start": 0, "end": 1, "confidence": confidence}


def test_indicators_one_to_one_after_folding():
    gold = {"indicators": [ind(), ind(level3="质量", operator="=", value="100"), ind()]}
    pred = {"indicators": [
        ind(value="９０", unit="％", level3="数 量", confidence=0.2, level1="效益指标"),  # same after folding; level1 not matched
        ind(confidence=0.9),
        ind(confidence=0.8),  # third copy, gold has two -> the least confident copy is the FP
        ind(level3="质量", operator="=", value="99"),  # wrong value -> FP, gold row FN
    ]}
    assert ev.match_indicators(gold, pred, MATCH) == [False, True, True, False]
    r = ev.score_indicators([gold], [pred], MATCH)
    # tp 2, fp 2, fn 1 -> P 0.5, R 2/3, F1 4/7
    assert (r["tp"], r["fp"], r["fn"]) == (2, 2, 1)
    assert r["f1"] == pytest.approx(4 / 7)


def test_indicators_use_the_given_fields():
    gold = {"indicators": [ind(unit="个")]}
    pred = {"indicators": [ind(unit="%")]}
    assert ev.score_indicators([gold], [pred], MATCH)["tp"] == 0
    assert ev.score_indicators([gold], [pred], ["project", "level3", "operator", "value"])["tp"] == 1


# --------------------------------------------------------------------------- projects

GOLD_P = {"projects": [
    {"code": "11000024T000002449659", "name": "业务工作经费", "amount": 282500.0, "start": 0, "end": 1},
    {"code": None, "name": "实施公车统管费用", "amount": 150000.0, "start": 0, "end": 1},
    {"code": "434-0303-YXN-8943", "name": "X", "amount": None, "start": 0, "end": 1},
]}
PRED_P = {"projects": [
    # code with a space, other name; amount 100 off (within 0.5% = 1,412.5) -> code TP, amount TP
    {"code": "11000024T 000002449659", "name": "别的名字", "amount": 282600.0, "confidence": 0.9},
    # name matches (after folding), amount 10,000 off -> amount FP
    {"code": None, "name": "实施公车统管费用 ", "amount": 160000.0, "confidence": 0.7},
    {"code": "999", "name": "Y", "amount": None, "confidence": 0.4},  # unknown code -> code FP
]}


def test_projects_code_and_amount():
    r = ev.score_projects([GOLD_P], [PRED_P], TOL)
    # codes: gold 2, predicted 2, one equal after removing whitespace
    assert (r["code"]["tp"], r["code"]["fp"], r["code"]["fn"]) == (1, 1, 1)
    # amounts: gold 2, predicted 2, one right
    assert (r["amount"]["tp"], r["amount"]["fp"], r["amount"]["fn"]) == (1, 1, 1)
    assert r["amount"]["f1"] == pytest.approx(0.5)


def test_project_outcomes():
    assert ev.project_outcomes(GOLD_P, PRED_P, TOL) == [(0.9, True), (0.7, False), (0.4, False)]


def test_projects_match_by_name_and_null_amounts():
    pred = {"projects": [
        {"code": None, "name": "实施公车 统管费用", "amount": 150050.0, "confidence": 0.8},  # name + amount -> right
        {"code": "434-0303-YXN-8943", "name": "Z", "amount": None, "confidence": 0.6},  # code, both amounts null -> right
    ]}
    assert ev.score_projects([GOLD_P], [pred], TOL)["amount"]["tp"] == 1
    assert ev.project_outcomes(GOLD_P, pred, TOL) == [(0.8, True), (0.6, True)]
    pred["projects"][1]["amount"] = 5.0  # gold prints no amount for it: an invented amount is wrong
    assert ev.project_outcomes(GOLD_P, pred, TOL) == [(0.8, True), (0.6, False)]


# --------------------------------------------------------------------------- calibration


def am(start, end, raw, value, confidence=0.9):
    return {"start": start, "end": end, "raw": raw, "value": value, "unit": "万元", "confidence": confidence}


def test_money_mentions_overlap_and_value_one_to_one():
    gold = {"amounts": [am(0, 4, "2065", 20650000.0), am(10, 14, "1560", 15600000.0), am(20, 21, "0", 0.0)]}
    pred = {"amounts": [
        am(0, 4, "2065", 20650000.0, 0.95),  # right
        am(0, 4, "2065", 20650000.0, 0.5),   # the same gold mention twice: one-to-one, so wrong
        am(10, 14, "1560", 1560.0, 0.8),     # right place, value read in 元: wrong
        am(30, 31, "无", 0.0, 0.7),          # a zero in words: not labelled, so not scored
    ]}
    r = ev.score_amounts([gold, {"amounts": None}], [pred, {"amounts": [am(0, 1, "5", 5.0)]}], TOL)
    # one document labelled (the second has no mention gold): 3 numeric predictions, 1 right; gold 3
    assert (r["tp"], r["fp"], r["fn"], r["documents"]) == (1, 2, 2, 1)
    rows, match, n_gold = ev.amount_matching(gold, pred, TOL)
    assert [m is not None for m in match] == [True, False, False] and n_gold == 3


def test_calibration_ece_and_bins():
    pairs = [(0.95, True), (0.95, True), (0.95, False), (0.95, True), (0.25, False)]
    c = ev.calibration(pairs)
    # bin 9: 4 items, conf 0.95, accuracy 0.75; bin 2: 1 item, conf 0.25, accuracy 0
    # ECE = 4/5 * 0.2 + 1/5 * 0.25 = 0.21
    assert c["ece"] == pytest.approx(0.21)
    assert c["bins"][9]["count"] == 4 and c["bins"][9]["accuracy"] == pytest.approx(0.75)
    assert c["bins"][2]["mean_confidence"] == pytest.approx(0.25)
    assert c["bins"][5]["count"] == 0 and c["bins"][5]["accuracy"] is None
    assert len(c["bins"]) == 10


def test_calibration_confidence_one_in_last_bin_and_empty():
    c = ev.calibration([(1.0, True), (0.0, False)])
    assert c["bins"][9]["count"] == 1 and c["bins"][0]["count"] == 1
    assert c["ece"] == pytest.approx(0.0)
    e = ev.calibration([])
    assert e["n"] == 0 and e["ece"] is None


# --------------------------------------------------------------------------- whole report on a tiny corpus


class _Fake:
    def __init__(self, d):
        self.d = d

    def to_dict(self):
        return self.d


def _write_corpus(root: Path, docs: list[tuple[str, str, str]], tolerance=None) -> dict[str, dict]:
    """docs: (id, region, text). Gold: one front_matter + one overview span, income_total 1000."""
    schema = dict(SCHEMA)
    if tolerance:
        schema["figure_tolerance"] = tolerance
    (root / "texts").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    golds = {}
    for doc_id, region, text in docs:
        (root / "texts" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        cut = text.index("\n") + 1
        rec = {"id": doc_id, "text_path": f"texts/{doc_id}.txt", "text_sha256": "", "region": region,
               "year": 2026, "kind": "budget", "level": "department",
               "sections": [sec("front_matter", 0, cut), sec("overview", cut, len(text), heading="一、职责")],
               "key_figures": {n: None for n in SCHEMA["key_figures"]},
               "projects": [], "indicators": []}
        rec["key_figures"]["income_total"] = fig(1000)
        (root / "data" / f"{doc_id}.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
        golds[text] = rec
    return golds


DOCS = [("d1", "north", "标题一\n一、职责\n内容"), ("d2", "north", "标题二\n一、职责\n更多内容"),
        ("d3", "south", "标题三\n一、职责\n文字")]


def _gold_like(golds, income=1000.0):
    def fake_extract(text, source=None, models=None):
        g = golds[text]
        return _Fake({"sections": [dict(s, confidence=0.9) for s in g["sections"]],
                      "key_figures": {"income_total": fig(income, 0.9)}, "projects": [], "indicators": []})
    return fake_extract


def test_evaluate_perfect_predictions(tmp_path, monkeypatch):
    golds = _write_corpus(tmp_path, DOCS)
    monkeypatch.setattr("extractor.pipeline.extract", _gold_like(golds))
    r = ev.evaluate(tmp_path, "none")
    assert r["run"]["regions"] == {"north": 2, "south": 1}
    assert r["sections"]["macro_f1"] == pytest.approx(1.0)
    assert r["boundaries"]["f1"] == pytest.approx(1.0)
    assert r["key_figures"]["overall"]["f1"] == pytest.approx(1.0)
    assert r["calibration"]["by_type"]["sections"]["n"] == 6
    # all 9 items (6 sections, 3 figures) right at confidence 0.9 -> ECE |1 - 0.9| = 0.1
    assert r["calibration"]["overall"]["ece"] == pytest.approx(0.1)


def test_evaluate_reads_tolerance_from_schema(tmp_path, monkeypatch):
    golds = _write_corpus(tmp_path, DOCS, tolerance={"relative": 0.0, "absolute_yuan": 10})
    monkeypatch.setattr("extractor.pipeline.extract", _gold_like(golds, income=1050.0))
    # 50 元 off: right under the schema's default 100 元, wrong under this corpus' 10 元
    assert ev.evaluate(tmp_path)["key_figures"]["overall"]["f1"] == 0.0


def test_evaluate_zero_predictions_is_zero_recall(tmp_path, monkeypatch):
    _write_corpus(tmp_path, DOCS)
    monkeypatch.setattr("extractor.pipeline.extract", lambda text, source=None, models=None: _Fake({}))
    r = ev.evaluate(tmp_path)
    assert r["sections"]["labels"]["overview"]["recall"] == 0.0
    assert r["key_figures"]["overall"]["fn"] == 3
    assert r["calibration"]["overall"]["ece"] is None
    assert "macro-F1" in ev.format_report(r)


def test_evaluate_extraction_error_is_reported(tmp_path, monkeypatch):
    _write_corpus(tmp_path, DOCS)

    def boom(text, source=None, models=None):
        raise RuntimeError("bad table")

    monkeypatch.setattr("extractor.pipeline.extract", boom)
    r = ev.evaluate(tmp_path)
    assert len(r["run"]["errors"]) == 3 and "bad table" in r["run"]["errors"][0]["error"]


def test_cv_region_trains_without_the_held_out_region(tmp_path, monkeypatch):
    golds = _write_corpus(tmp_path, DOCS)
    seen = []

    def fake_fit(docs, seed=13):
        seen.append(sorted(d.id for d in docs))
        return ("models-without", {d.region for d in docs})

    used = {}

    def fake_extract(text, source=None, models=None):
        used[source] = models
        return _gold_like(golds)(text)

    monkeypatch.setattr("extractor.train.fit", fake_fit)
    monkeypatch.setattr("extractor.pipeline.extract", fake_extract)
    r = ev.evaluate(tmp_path, "region")
    assert seen == [["d3"], ["d1", "d2"]]  # fold north trains on south, fold south on north
    assert used["d1"][1] == {"south"} and used["d3"][1] == {"north"}
    assert [f["region"] for f in r["run"]["folds"]] == ["north", "south"]
    assert r["sections"]["macro_f1"] == pytest.approx(1.0)


def test_empty_corpus_is_a_clear_error(tmp_path, capsys):
    _write_corpus(tmp_path, [])
    with pytest.raises(ev.EvalError, match="no annotated documents"):
        ev.evaluate(tmp_path)
    from extractor.cli import main

    assert main(["evaluate", "--root", str(tmp_path)]) == 2
    assert "no annotated documents" in capsys.readouterr().err


def test_cli_writes_json(tmp_path, monkeypatch, capsys):
    golds = _write_corpus(tmp_path / "corpus", DOCS)
    monkeypatch.setattr("extractor.pipeline.extract", _gold_like(golds))
    from extractor.cli import main

    out = tmp_path / "report.json"
    assert main(["evaluate", "--root", str(tmp_path / "corpus"), "--json", str(out)]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert set(rep) >= {"sections", "boundaries", "key_figures", "indicators", "projects", "calibration", "run"}
    assert len(rep["calibration"]["by_type"]["key_figures"]["bins"]) == 10
    assert rep["key_figures"]["names"]["income_total"]["f1"] == 1.0
    printed = capsys.readouterr().out
    assert "documents per region: north 2, south 1" in printed
    assert "reliability overall" in printed
