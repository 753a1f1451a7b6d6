"""Consistency checks on hand-made figures and on the seed's contradiction."""

from __future__ import annotations

from extractor import checks
from extractor.document import Amount, Disclosure, KeyFigure


def _doc(values: dict[str, float]) -> Disclosure:
    d = Disclosure(text="")
    d.key_figures = {n: KeyFigure(v, "元", str(v), 0, 1, 0.9) for n, v in values.items()}
    return d


def _three_public(total, overseas, vehicle, reception, purchase, operation) -> dict[str, float]:
    return {"three_public_total": total, "three_public_overseas": overseas, "three_public_vehicle": vehicle,
            "three_public_reception": reception, "three_public_vehicle_purchase": purchase,
            "three_public_vehicle_operation": operation}


def _by_rule(cs):
    return {c.rule: c for c in cs}


def test_three_public_identities_pass():
    # 108_beijing-公安局-tables_2026_budget.txt, 预算09表 (万元): 9,957.583785 = 132.525 + 98.798248 + 9,726.260537
    d = _doc(_three_public(99575837.85, 1325250.0, 97262605.37, 987982.48, 56212605.37, 41050000.0))
    r = _by_rule(checks.run(d))
    assert r["three_public_sum"].status == "pass"
    assert r["vehicle_sum"].status == "pass"
    assert r["expenditure_sum"].status == "skipped"


def test_seed_contradiction_fails_vehicle_sum():
    # 新乐市人民政府办公室_2020_budget.txt: 购置及运维费47万元（其中：购置费0万元，运行费57万元）
    d = _doc(_three_public(570000, 0, 470000, 100000, 0, 570000))
    r = _by_rule(checks.run(d))
    assert r["three_public_sum"].status == "pass"
    c = r["vehicle_sum"]
    assert c.status == "fail"
    assert "470,000.00" in c.message and "570,000.00" in c.message
    assert c.fields == ["three_public_vehicle", "three_public_vehicle_purchase", "three_public_vehicle_operation"]


def test_identities_hold_to_the_rounding_of_the_printed_numbers():
    # Whole 万元 in a narrative (三公 12 万元) against parts printed to 0.1 万元: 12.1 is rounding.
    d = Disclosure(text="")
    d.key_figures = {
        "three_public_total": KeyFigure(120000.0, "万元", "12", 0, 2, 0.9),
        "three_public_overseas": KeyFigure(35000.0, "万元", "3.5", 3, 6, 0.9),
        "three_public_vehicle": KeyFigure(62000.0, "万元", "6.2", 7, 10, 0.9),
        "three_public_reception": KeyFigure(24000.0, "万元", "2.4", 11, 14, 0.9),
    }
    assert _by_rule(checks.run(d))["three_public_sum"].status == "pass"
    # The same miss between cells printed to six decimals is a contradiction.
    for k in d.key_figures.values():
        k.raw = f"{k.value / 1e4:.6f}"
    assert _by_rule(checks.run(d))["three_public_sum"].status == "fail"


def test_missing_figure_skips():
    r = _by_rule(checks.run(_doc({"three_public_total": 10.0})))
    assert r["three_public_sum"].status == "skipped"
    assert "three_public_overseas" in r["three_public_sum"].message


def test_expenditure_identity_where_applicable():
    r = _by_rule(checks.run(_doc({"expenditure_total": 300.0e4, "basic_expenditure": 200.0e4, "project_expenditure": 100.0e4})))
    assert r["expenditure_sum"].status == "pass"
    r = _by_rule(checks.run(_doc({"expenditure_total": 350.0e4, "basic_expenditure": 200.0e4, "project_expenditure": 100.0e4})))
    assert r["expenditure_sum"].status == "skipped"  # 支出总计 may include 结转: not a failure


def test_narrative_table_agreement_pass_and_fail():
    # 403_putuo-政府办公室_2025_budget.txt style: 213.28万元 vs 2,132,777.54元 agree.
    d = _doc({"operating_costs": 2132800.0})
    d.key_figures["operating_costs"] = KeyFigure(2132800.0, "万元", "213.28", 0, 6, 0.9)
    d.amounts = [Amount(2132800.0, "万元", "213.28", 0, 6, field="operating_costs"),
                 Amount(2132777.54, "元", "2,132,777.54", 50, 62, field="operating_costs")]
    r = _by_rule(checks.run(d))
    assert r["agreement:operating_costs"].status == "pass"
    d.amounts[1] = Amount(2232777.54, "元", "2,232,777.54", 50, 62, field="operating_costs")
    c = _by_rule(checks.run(d))["agreement:operating_costs"]
    assert c.status == "fail"
    assert "213.28" in c.message and "2,232,777.54" in c.message
