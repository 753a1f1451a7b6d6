"""The annotated corpus: it validates, loads with datasets, and meets the issue's coverage."""

from extractor.corpus import DEFAULT_ROOT, load_corpus, load_hf_dataset, load_schema, validate


def test_check_data_passes():
    n, problems = validate(DEFAULT_ROOT)
    assert problems == []
    assert n >= 30


def test_loads_with_datasets():
    ds = load_hf_dataset(DEFAULT_ROOT)
    assert ds.num_rows == len(load_corpus())
    assert set(ds[0]["key_figures"]) == set(load_schema()["key_figures"])


def test_coverage_of_the_issue():
    docs = load_corpus()
    regions = {d.region for d in docs}
    finals = [d for d in docs if d.record["kind"] == "final"]
    with_indicators = [d for d in docs if d.record["indicators"]]
    with_codes = [d for d in docs if any(p["code"] for p in d.record["projects"])]
    assert len(docs) >= 30 and len(regions) >= 8
    assert len(finals) >= 3
    assert len(with_indicators) >= 6 and sum(len(d.record["indicators"]) for d in with_indicators) >= 300
    assert len(with_codes) >= 3
    names = {d.id.split("_", 1)[1] for d in docs}  # without the corpus number
    assert any(n.replace("-narrative", "-tables") in names for n in names if "-narrative" in n)


def test_validator_catches_a_broken_record(tmp_path):
    import json
    import shutil

    shutil.copytree(DEFAULT_ROOT, tmp_path / "a")
    path = next((tmp_path / "a" / "data").glob("107_*.jsonl"))
    rec = json.loads(path.read_text(encoding="utf-8"))
    rec["sections"][1]["start"] += 5  # a gap
    rec["key_figures"]["income_total"]["raw"] = "1.00"  # raw not what the text says
    rec["indicators"] = [dict.fromkeys(load_schema()["indicator_fields"]) | {"operator": "~", "start": 0, "end": 1}]
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    _, problems = validate(tmp_path / "a")
    text = "\n".join(problems)
    assert "gap or overlap" in text and "raw '1.00'" in text and "operator '~'" in text and "level3 is empty" in text


def test_validator_checks_the_money_mention_files(tmp_path):
    import json
    import shutil

    shutil.copytree(DEFAULT_ROOT, tmp_path / "a")
    path = next((tmp_path / "a" / "amounts").glob("107_*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["amounts"][0]["raw"] = "9999"  # raw not what the text says
    data["amounts"][2] = dict(data["amounts"][1])  # the same span again: overlaps the mention before it
    data["amounts"][3]["value"] *= 10  # value not raw × unit
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, problems = validate(tmp_path / "a")
    text = "\n".join(problems)
    assert "mention 0: raw '9999'" in text and "mention 2: starts at" in text and "mention 3: value" in text


def test_money_mention_gold_is_attached_to_its_records():
    docs = {d.id: d for d in load_corpus()}
    labelled = [d for d in docs.values() if d.record.get("amounts") is not None]
    assert len(labelled) >= 5 and len({d.region for d in labelled}) >= 5
    for d in labelled:
        assert all(d.text[m["start"]:m["end"]] == m["raw"] for m in d.record["amounts"])
