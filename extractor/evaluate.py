"""Score the pipeline against the annotated corpus (``extractor evaluate``).

Every score the project reports comes from here. The flow is::

    load_corpus(root) -> predict(docs, cv) -> score(golds, preds, texts, schema) -> report

``predict`` runs the pipeline (shipped models, or leave-one-region-out retraining);
``score`` only compares dicts, so each metric is a small pure function that takes gold
records (the ``annotations/data`` form) and predicted dicts (the ``Disclosure.to_dict()``
form) and can be unit-tested on hand-made examples. Labels, key-figure names, the
indicator fields that must match and the figure tolerance are read from the schema.
"""

from __future__ import annotations

import bisect
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

#: Number of equal-width confidence bins for calibration.
N_BINS = 10
#: Key figures at or above this confidence are reported separately.
HIGH_CONFIDENCE = 0.9
#: A predicted section start matches a gold one within this many characters (or on the same line).
BOUNDARY_SLACK = 3
#: A predicted section counts as correct when at least this share of its characters has its label in gold.
SECTION_CORRECT_SHARE = 0.5
#: Item types whose confidences are calibrated, in report order.
ITEM_TYPES = ("sections", "key_figures", "indicators", "projects", "amounts")


class EvalError(Exception):
    """The evaluation cannot run (no corpus, no documents)."""


# --------------------------------------------------------------------------- helpers


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 from counts; 0/0 counts as 0 so that no prediction scores 0.

    Returns:
        dict with precision, recall, f1, tp, fp, fn.
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


# Full-width ASCII to half-width and the ideographic space to a space (then removed with all whitespace).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


def fold(value: Any) -> str:
    """Comparison form of a text field: full-width to half-width, all whitespace removed.

    Whitespace is removed rather than collapsed because PDF extraction inserts spaces and
    line breaks inside Chinese words; None and "" compare equal.
    """
    if value is None:
        return ""
    return "".join(str(value).translate(_WIDTH).split())


def within_tolerance(pred: float | None, gold: float | None, tolerance: dict[str, float]) -> bool:
    """``|pred - gold| <= max(relative * |gold|, absolute_yuan)`` (schema ``figure_tolerance``)."""
    if pred is None or gold is None:
        return False
    try:
        pred, gold = float(pred), float(gold)
    except (TypeError, ValueError):
        return False
    return abs(pred - gold) <= max(tolerance["relative"] * abs(gold), tolerance["absolute_yuan"])


def max_matching(n_pred: int, candidates: Sequence[Sequence[int]]) -> list[int | None]:
    """One-to-one maximum bipartite matching (Kuhn's augmenting paths).

    Predictions are tried in index order and an augmenting path never unmatches a
    matched prediction, so callers that order predictions by falling confidence get the
    confident ones matched first.

    Args:
        n_pred: number of predictions.
        candidates: for each prediction, the gold indices it may match.

    Returns:
        For each prediction, the gold index it is matched to, or None.
    """
    gold_to_pred: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for g in candidates[i]:
            if g in seen:
                continue
            seen.add(g)
            if g not in gold_to_pred or augment(gold_to_pred[g], seen):
                gold_to_pred[g] = i
                return True
        return False

    for i in range(n_pred):
        augment(i, set())
    out: list[int | None] = [None] * n_pred
    for g, i in gold_to_pred.items():
        out[i] = g
    return out


def _by_confidence(items: list[dict]) -> list[int]:
    """Indices of ``items`` by falling confidence (stable)."""
    return sorted(range(len(items)), key=lambda i: -_conf(items[i]))


def _conf(item: dict) -> float:
    c = item.get("confidence")
    return float(c) if isinstance(c, (int, float)) else 0.0


def _has_conf(item: dict) -> bool:
    return isinstance(item.get("confidence"), (int, float))


# --------------------------------------------------------------------------- sections


def _label_array(sections: Iterable[dict], length: int, index: dict[str, int]) -> np.ndarray:
    """Label index per character (-1 = no label); later spans overwrite earlier ones."""
    arr = np.full(length, -1, dtype=np.int16)
    for s in sections:
        start, end = max(0, int(s["start"])), min(length, int(s["end"]))
        if end > start:
            arr[start:end] = index.get(s.get("label"), -2)  # -2: a label the schema does not know
    return arr


def _doc_length(gold: dict, pred: dict, text: str | None) -> int:
    if text is not None:
        return len(text)
    ends = [s["end"] for s in gold.get("sections") or []]
    return max(ends) if ends else 0


def score_sections(golds: Sequence[dict], preds: Sequence[dict], labels: Sequence[str],
                   texts: Sequence[str] | None = None) -> dict[str, Any]:
    """Character-level precision/recall/F1 per label, pooled over documents.

    A character counts for label L in gold when a gold span with label L covers it, in the
    prediction likewise; characters no predicted span covers are wrong for every label.

    Args:
        golds: gold records.
        preds: predicted dicts (``to_dict()`` form), same order.
        labels: the schema's section labels.
        texts: document texts (only their lengths are used; default: end of the last gold span).

    Returns:
        ``labels`` (per label P/R/F1 with support = gold characters and predicted characters),
        ``macro_f1`` over labels present in gold, ``micro_f1`` (share of characters labelled right)
        and ``labels_in_gold``.
    """
    index = {label: i for i, label in enumerate(labels)}
    n = len(labels)
    tp, gold_n, pred_n = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
    total = 0
    for k, (gold, pred) in enumerate(zip(golds, preds)):
        length = _doc_length(gold, pred, texts[k] if texts is not None else None)
        g = _label_array(gold.get("sections") or [], length, index)
        p = _label_array(pred.get("sections") or [], length, index)
        total += int((g >= 0).sum())
        gold_n += np.bincount(g[g >= 0], minlength=n)[:n]
        pred_n += np.bincount(p[p >= 0], minlength=n)[:n]
        same = (g == p) & (g >= 0)
        tp += np.bincount(g[same], minlength=n)[:n]
    per_label = {}
    for i, label in enumerate(labels):
        row = prf(int(tp[i]), int(pred_n[i] - tp[i]), int(gold_n[i] - tp[i]))
        row["support"] = int(gold_n[i])
        row["predicted"] = int(pred_n[i])
        per_label[label] = row
    present = [label for label in labels if per_label[label]["support"] > 0]
    macro = float(np.mean([per_label[label]["f1"] for label in present])) if present else 0.0
    micro = prf(int(tp.sum()), int(pred_n.sum() - tp.sum()), int(total - tp.sum()))
    return {"labels": per_label, "macro_f1": macro, "micro_f1": micro["f1"], "micro": micro,
            "labels_in_gold": present}


def _merged_starts(sections: Iterable[dict]) -> list[int]:
    """Starts of label changes: consecutive spans with the same label merge, as in the guideline."""
    starts, last = [], object()
    for s in sorted(sections, key=lambda s: s["start"]):
        if s.get("label") != last:
            starts.append(int(s["start"]))
        last = s.get("label")
    return starts


def score_boundaries(golds: Sequence[dict], preds: Sequence[dict], texts: Sequence[str],
                     slack: int = BOUNDARY_SLACK) -> dict[str, Any]:
    """Heading-boundary precision/recall/F1.

    A boundary is the start of a section where the label changes; offset 0 is left out
    because every tiling starts there. A predicted start matches a gold start (one-to-one)
    when both stand on the same line of the text, or are at most ``slack`` characters apart.
    """
    tp = fp = fn = 0
    for gold, pred, text in zip(golds, preds, texts):
        newlines = [i for i, c in enumerate(text) if c == "\n"]
        g = [s for s in _merged_starts(gold.get("sections") or []) if s > 0]
        p = [s for s in _merged_starts(pred.get("sections") or []) if s > 0]
        g_line = [bisect.bisect_left(newlines, s) for s in g]
        cands = []
        for s in p:
            line = bisect.bisect_left(newlines, s)
            cands.append([j for j, gs in enumerate(g) if abs(gs - s) <= slack or g_line[j] == line])
        matched = sum(m is not None for m in max_matching(len(p), cands))
        tp += matched
        fp += len(p) - matched
        fn += len(g) - matched
    out = prf(tp, fp, fn)
    out["gold"], out["predicted"] = tp + fn, tp + fp
    return out


def section_outcomes(gold: dict, pred: dict, labels: Sequence[str], length: int | None = None) -> list[tuple[float, bool]]:
    """(confidence, correct) per predicted section: correct when >= 50% of its characters have its label in gold."""
    index = {label: i for i, label in enumerate(labels)}
    if length is None:
        length = _doc_length(gold, pred, None)
    g = _label_array(gold.get("sections") or [], length, index)
    out = []
    for s in pred.get("sections") or []:
        if not _has_conf(s):
            continue
        start, end = max(0, int(s["start"])), min(length, int(s["end"]))
        want = index.get(s.get("label"), -2)
        share = float((g[start:end] == want).mean()) if end > start else 0.0
        out.append((_conf(s), share >= SECTION_CORRECT_SHARE))
    return out


# --------------------------------------------------------------------------- key figures


def figure_outcomes(gold: dict, pred: dict, names: Sequence[str], tolerance: dict[str, float]) -> dict[str, tuple[int, int, int]]:
    """Per name (tp, fp, fn) for one document.

    Gold null and no prediction is not counted; a prediction where gold is null is a false
    positive; a missing prediction is a false negative; a wrong value is both.
    """
    gk, pk = gold.get("key_figures") or {}, pred.get("key_figures") or {}
    out = {}
    for name in names:
        g, p = gk.get(name), pk.get(name)
        gv = g.get("value") if isinstance(g, dict) else None
        pv = p.get("value") if isinstance(p, dict) else None
        if gv is None and pv is None:
            out[name] = (0, 0, 0)
        elif gv is None:
            out[name] = (0, 1, 0)
        elif pv is None:
            out[name] = (0, 0, 1)
        elif within_tolerance(pv, gv, tolerance):
            out[name] = (1, 0, 0)
        else:
            out[name] = (0, 1, 1)
    return out


def score_figures(golds: Sequence[dict], preds: Sequence[dict], names: Sequence[str],
                  tolerance: dict[str, float], high_confidence: float = HIGH_CONFIDENCE) -> dict[str, Any]:
    """Key-figure precision/recall/F1 per name, micro over all names and over the ``three_public_*`` names.

    Returns:
        ``names`` (per name P/R/F1, support = gold stated, predicted), ``overall``, ``three_public``,
        and ``high_confidence``: precision among predicted figures with confidence >= ``high_confidence``.
    """
    counts = {name: [0, 0, 0] for name in names}
    gold_n = Counter()
    pred_n = Counter()
    hi_n = hi_ok = 0
    for gold, pred in zip(golds, preds):
        pk = pred.get("key_figures") or {}
        for name, (tp, fp, fn) in figure_outcomes(gold, pred, names, tolerance).items():
            c = counts[name]
            c[0] += tp
            c[1] += fp
            c[2] += fn
            gold_n[name] += tp + fn
            pred_n[name] += tp + fp
            p = pk.get(name)
            if isinstance(p, dict) and p.get("value") is not None and _has_conf(p) and _conf(p) >= high_confidence:
                hi_n += 1
                hi_ok += tp
    per_name = {}
    for name in names:
        row = prf(*counts[name])
        row["support"], row["predicted"] = gold_n[name], pred_n[name]
        per_name[name] = row

    def micro(selected: list[str]) -> dict[str, Any]:
        row = prf(*(sum(counts[n][k] for n in selected) for k in range(3)))
        row["names"] = len(selected)
        return row

    three = [n for n in names if n.startswith("three_public_")]
    return {
        "names": per_name,
        "overall": micro(list(names)),
        "three_public": micro(three),
        "high_confidence": {"threshold": high_confidence, "count": hi_n,
                            "precision": hi_ok / hi_n if hi_n else None},
    }


def _figure_items(gold: dict, pred: dict, names: Sequence[str], tolerance: dict[str, float]) -> list[tuple[float, bool]]:
    outcomes = figure_outcomes(gold, pred, names, tolerance)
    out = []
    for name, p in (pred.get("key_figures") or {}).items():
        if name in outcomes and isinstance(p, dict) and p.get("value") is not None and _has_conf(p):
            out.append((_conf(p), outcomes[name][0] == 1))
    return out


# --------------------------------------------------------------------------- indicators


def _indicator_key(row: dict, fields: Sequence[str]) -> tuple[str, ...]:
    return tuple(fold(row.get(f)) for f in fields)


def match_indicators(gold: dict, pred: dict, fields: Sequence[str]) -> list[bool]:
    """For each predicted indicator row (in its order), whether it is matched one-to-one to a gold row.

    Rows match when every field in ``fields`` (the schema's ``indicator_match``) is equal after
    :func:`fold`; among equal predictions the more confident are matched first.
    """
    available = Counter(_indicator_key(g, fields) for g in gold.get("indicators") or [])
    rows = pred.get("indicators") or []
    matched = [False] * len(rows)
    for i in _by_confidence(rows):
        key = _indicator_key(rows[i], fields)
        if available[key] > 0:
            available[key] -= 1
            matched[i] = True
    return matched


def score_indicators(golds: Sequence[dict], preds: Sequence[dict], fields: Sequence[str]) -> dict[str, Any]:
    """Indicator-row precision/recall/F1 (see :func:`match_indicators`)."""
    tp = fp = fn = 0
    for gold, pred in zip(golds, preds):
        matched = match_indicators(gold, pred, fields)
        tp += sum(matched)
        fp += len(matched) - sum(matched)
        fn += len(gold.get("indicators") or []) - sum(matched)
    out = prf(tp, fp, fn)
    out["gold"], out["predicted"], out["fields"] = tp + fn, tp + fp, list(fields)
    return out


# --------------------------------------------------------------------------- projects


def _code(p: dict) -> str:
    return "".join(str(p.get("code") or "").split())


def _same_project(pred: dict, gold: dict) -> bool:
    """Code equal (whitespace removed) or name equal (folded)."""
    pc, gc = _code(pred), _code(gold)
    if pc and gc and pc == gc:
        return True
    pn, gn = fold(pred.get("name")), fold(gold.get("name"))
    return bool(pn) and pn == gn


def _project_matching(gold: dict, pred: dict, ok: Callable[[dict, dict], bool],
                      keep: Callable[[dict], bool]) -> tuple[int, int, int, list[int | None], list[int]]:
    """Match kept predictions to kept gold projects one-to-one by ``ok``, confident predictions first.

    Returns:
        (tp, fp, fn, matched gold index per kept prediction, kept prediction indices in match order).
    """
    g = [x for x in gold.get("projects") or [] if keep(x)]
    rows = pred.get("projects") or []
    order = [i for i in _by_confidence(rows) if keep(rows[i])]
    cands = [[j for j, gx in enumerate(g) if ok(rows[i], gx)] for i in order]
    m = max_matching(len(order), cands)
    tp = sum(x is not None for x in m)
    return tp, len(order) - tp, len(g) - tp, m, order


def score_projects(golds: Sequence[dict], preds: Sequence[dict], tolerance: dict[str, float]) -> dict[str, Any]:
    """Project-code and project-amount precision/recall/F1.

    ``code``: projects with a code on either side, matched one-to-one on the code with
    whitespace removed. ``amount``: projects with an amount on either side, matched when
    the code or the name agrees and the amount is within tolerance.
    """
    code = [0, 0, 0]
    amount = [0, 0, 0]
    for gold, pred in zip(golds, preds):
        for acc, ok, keep in (
            (code, lambda p, g: _code(p) == _code(g), lambda x: bool(_code(x))),
            (amount, lambda p, g: _same_project(p, g) and within_tolerance(p.get("amount"), g.get("amount"), tolerance),
             lambda x: x.get("amount") is not None),
        ):
            tp, fp, fn, _, _ = _project_matching(gold, pred, ok, keep)
            acc[0] += tp
            acc[1] += fp
            acc[2] += fn
    out = {"code": prf(*code), "amount": prf(*amount)}
    for row in out.values():
        row["gold"], row["predicted"] = row["tp"] + row["fn"], row["tp"] + row["fp"]
    return out


def project_outcomes(gold: dict, pred: dict, tolerance: dict[str, float]) -> list[tuple[float, bool]]:
    """(confidence, correct) per predicted project: correct when matched one-to-one to a gold project
    with the same code or name whose amount agrees (both null, or within tolerance)."""

    def ok(p: dict, g: dict) -> bool:
        if not _same_project(p, g):
            return False
        if g.get("amount") is None or p.get("amount") is None:
            return g.get("amount") is None and p.get("amount") is None
        return within_tolerance(p.get("amount"), g.get("amount"), tolerance)

    rows = pred.get("projects") or []
    _, _, _, m, order = _project_matching(gold, pred, ok, lambda x: True)
    return [(_conf(rows[i]), m[k] is not None) for k, i in enumerate(order) if _has_conf(rows[i])]


def _numeric(mention: dict) -> bool:
    # The mention gold labels printed numbers; 无 / 未安排 (zero in words) are not labelled.
    return any(ch.isdigit() or ch in "〇零一二三四五六七八九十百千两" for ch in mention.get("raw") or "")


def amount_matching(gold: dict, pred: dict, tolerance: dict[str, float]) -> tuple[list[dict], list[int | None], int]:
    """Predicted numeric money mentions of a document whose every mention is labelled, each
    matched one-to-one to a gold mention it overlaps with the same value (None: no match);
    and the number of gold mentions."""
    rows = [m for m in pred.get("amounts") or [] if _numeric(m)]
    golds = gold["amounts"]
    starts = [g["start"] for g in golds]
    cands = []
    for m in rows:
        k = max(bisect.bisect_right(starts, m["start"]) - 1, 0)
        cands.append([j for j in range(max(k - 1, 0), min(k + 3, len(golds)))
                      if golds[j]["start"] < m["end"] and m["start"] < golds[j]["end"]
                      and within_tolerance(m.get("value"), golds[j]["value"], tolerance)])
    return rows, max_matching(len(rows), cands), len(golds)


def score_amounts(golds: Sequence[dict], preds: Sequence[dict], tolerance: dict[str, float]) -> dict[str, Any]:
    """Money-mention precision/recall/F1 over the documents whose every mention is labelled
    (``annotations/amounts/``): a mention is right when it overlaps a gold one of the same value."""
    tp = fp = fn = docs = 0
    for gold, pred in zip(golds, preds):
        if gold.get("amounts") is None:
            continue
        docs += 1
        rows, match, n_gold = amount_matching(gold, pred, tolerance)
        hit = sum(m is not None for m in match)
        tp, fp, fn = tp + hit, fp + len(rows) - hit, fn + n_gold - hit
    out = prf(tp, fp, fn)
    out["documents"], out["gold"], out["predicted"] = docs, tp + fn, tp + fp
    return out


# --------------------------------------------------------------------------- calibration


def score_regions(golds: Sequence[dict], preds: Sequence[dict], texts: Sequence[str], labels: Sequence[str],
                  names: Sequence[str], tolerance: dict[str, float]) -> dict[str, dict[str, Any]]:
    """The headline figures per region (each region's documents alone): with ``--cv region``,
    how the pipeline does on a region it was not trained on, region by region; their spread is
    what to expect of the next one.

    Returns:
        region → documents, sections micro-F1 and macro-F1 (over the labels in that region's gold),
        heading-boundary F1, key-figure F1 (micro over the names).
    """
    out: dict[str, dict[str, Any]] = {}
    for region in sorted({str(g.get("region")) for g in golds}):
        idx = [i for i, g in enumerate(golds) if str(g.get("region")) == region]
        G, P, T = [golds[i] for i in idx], [preds[i] for i in idx], [texts[i] for i in idx]
        sec = score_sections(G, P, labels, T)
        out[region] = {"documents": len(idx), "sections_micro_f1": sec["micro_f1"], "sections_macro_f1": sec["macro_f1"],
                       "boundaries_f1": score_boundaries(G, P, T)["f1"],
                       "key_figures_f1": score_figures(G, P, names, tolerance)["overall"]["f1"]}
    return out


#: Document metadata the annotations record, scored against ``meta`` of the output.
META_FIELDS = ("year", "kind", "level")


def score_meta(golds: Sequence[dict], preds: Sequence[dict], fields: Sequence[str] = META_FIELDS) -> dict[str, Any]:
    """Per metadata field: a document's value is right, wrong, or not given (``meta`` leaves it
    None, as for a tables file with no cover); recall counts the documents whose gold has one.

    >>> score_meta([{"year": 2026}, {"year": 2019}], [{"meta": {"year": 2026}}, {"meta": {"year": None}}], ["year"])["year"]["recall"]
    0.5
    """
    out: dict[str, Any] = {}
    for name in fields:
        right = wrong = missed = invented = 0
        for gold, pred in zip(golds, preds):
            g, p = gold.get(name), (pred.get("meta") or {}).get(name)
            if g is None:
                invented += p is not None  # a value where the document states none
            elif p is None:
                missed += 1
            elif str(p) == str(g):
                right += 1
            else:
                wrong += 1
        out[name] = prf(right, wrong + invented, wrong + missed)
    return out


def calibration(pairs: Sequence[tuple[float, bool]], n_bins: int = N_BINS) -> dict[str, Any]:
    """Expected calibration error and reliability table over ``n_bins`` equal-width bins.

    Bin k holds confidences in [k/n, (k+1)/n); 1.0 falls in the last bin.
    ECE = sum over bins of (count / total) * |accuracy - mean confidence|.

    Returns:
        ``n``, ``ece`` (None without items), ``accuracy`` and ``bins``: lower, upper, count,
        mean_confidence, accuracy (None for an empty bin).
    """
    conf = np.clip(np.array([c for c, _ in pairs], dtype=float), 0.0, 1.0)
    ok = np.array([bool(k) for _, k in pairs], dtype=float)
    idx = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    bins, ece = [], 0.0
    for k in range(n_bins):
        sel = idx == k
        count = int(sel.sum())
        mean_c = float(conf[sel].mean()) if count else None
        acc = float(ok[sel].mean()) if count else None
        if count:
            ece += count / len(conf) * abs(acc - mean_c)
        bins.append({"lower": k / n_bins, "upper": (k + 1) / n_bins, "count": count,
                     "mean_confidence": mean_c, "accuracy": acc})
    n = len(conf)
    return {"n": n, "ece": ece if n else None, "accuracy": float(ok.mean()) if n else None, "bins": bins}


# --------------------------------------------------------------------------- whole report


def score(golds: Sequence[dict], preds: Sequence[dict], texts: Sequence[str], schema: dict[str, Any]) -> dict[str, Any]:
    """Every metric of the report for aligned gold records, predicted dicts and texts."""
    labels, names = schema["section_labels"], schema["key_figures"]
    tol, fields = schema["figure_tolerance"], schema["indicator_match"]
    items: dict[str, list[tuple[float, bool]]] = {t: [] for t in ITEM_TYPES}
    for gold, pred, text in zip(golds, preds, texts):
        items["sections"] += section_outcomes(gold, pred, labels, len(text))
        items["key_figures"] += _figure_items(gold, pred, names, tol)
        rows = pred.get("indicators") or []
        items["indicators"] += [(_conf(r), m) for r, m in zip(rows, match_indicators(gold, pred, fields)) if _has_conf(r)]
        items["projects"] += project_outcomes(gold, pred, tol)
        if gold.get("amounts") is not None:
            rows, match, _ = amount_matching(gold, pred, tol)
            items["amounts"] += [(_conf(r), m is not None) for r, m in zip(rows, match) if _has_conf(r)]
    every = [x for t in ITEM_TYPES for x in items[t]]
    return {
        "sections": score_sections(golds, preds, labels, texts),
        "boundaries": score_boundaries(golds, preds, texts),
        "key_figures": score_figures(golds, preds, names, tol),
        "indicators": score_indicators(golds, preds, fields),
        "projects": score_projects(golds, preds, tol),
        "amounts": score_amounts(golds, preds, tol),
        "meta": score_meta(golds, preds),
        "regions": score_regions(golds, preds, texts, labels, names, tol),
        "calibration": {"overall": calibration(every), "by_type": {t: calibration(items[t]) for t in ITEM_TYPES}},
    }


def predict(docs: Sequence[Any], cv: str = "none", log: Callable[[str], None] | None = None) -> tuple[list[dict], dict[str, Any]]:
    """Run the pipeline on every document.

    Args:
        docs: :class:`~extractor.corpus.AnnotatedDoc` list.
        cv: ``"none"``: the shipped models; ``"region"``: for each region, models trained on the
            other regions' documents (``extractor.train.fit``) extract that region's documents.
        log: called with one progress line per fold.

    Returns:
        (predicted dicts aligned with ``docs``, run info: timings, folds, errors). A document
        whose extraction raises gets an empty prediction and an entry in ``errors``.
    """
    from .pipeline import extract

    if cv not in ("none", "region"):
        raise ValueError(f"cv must be 'none' or 'region', not {cv!r}")
    preds: list[dict | None] = [None] * len(docs)
    errors: list[dict[str, str]] = []
    info: dict[str, Any] = {"train_seconds": 0.0, "extract_seconds": 0.0, "folds": []}

    def run(indices: list[int], models) -> None:
        t0 = time.perf_counter()
        for i in indices:
            try:
                preds[i] = extract(docs[i].text, source=docs[i].id, models=models).to_dict()
            except Exception as exc:  # keep scoring the others; the error is reported
                errors.append({"id": docs[i].id, "error": f"{type(exc).__name__}: {exc}"})
                preds[i] = {}
        info["extract_seconds"] += time.perf_counter() - t0

    if cv == "none":
        run(list(range(len(docs))), None)
    else:
        from .train import fit
        from .trained import Models

        by_region: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(docs):
            by_region[d.region].append(i)
        for region in sorted(by_region):
            train_docs = [d for d in docs if d.region != region]
            t0 = time.perf_counter()
            # With a single region there is nothing to train on: the rules alone extract.
            models = fit(train_docs) if train_docs else Models()
            seconds = time.perf_counter() - t0
            info["train_seconds"] += seconds
            run(by_region[region], models)
            info["folds"].append({"region": region, "test": len(by_region[region]), "train": len(train_docs),
                                  "train_seconds": seconds})
            if log:
                log(f"fold {region}: trained on {len(train_docs)} documents in {seconds:.1f} s, "
                    f"extracted {len(by_region[region])}")
    info["errors"] = errors
    return [p or {} for p in preds], info


def evaluate(root: str | Path | None = None, cv: str = "none", log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Load the corpus, run the pipeline and score it: the whole report as a nested dict.

    Raises:
        EvalError: the corpus folder or its records are missing.
    """
    from .corpus import DEFAULT_ROOT, load_corpus, load_schema

    root = Path(root) if root else DEFAULT_ROOT
    if not (root / "schema.json").exists():
        raise EvalError(f"no annotated corpus at {root} (schema.json missing)")
    schema = load_schema(root)
    docs = load_corpus(root)
    if not docs:
        raise EvalError(f"no annotated documents in {root / 'data'} (no *.jsonl records): nothing to evaluate")
    preds, info = predict(docs, cv, log=log)
    report = score([d.record for d in docs], preds, [d.text for d in docs], schema)
    report["run"] = {
        "cv": cv,
        "root": str(root),
        "documents": len(docs),
        "regions": dict(sorted(Counter(d.region for d in docs).items())),
        **info,
    }
    return report


# --------------------------------------------------------------------------- text report


def _f(x: float | None) -> str:
    return "   n/a" if x is None else f"{x:6.3f}"


def _prf_line(name: str, row: dict[str, Any], width: int = 32) -> str:
    return (f"{name:<{width}} {_f(row['precision'])} {_f(row['recall'])} {_f(row['f1'])}"
            f" {row['tp'] + row['fn']:>9} {row['tp'] + row['fp']:>9}")


def _table_head(title: str, width: int = 32, unit: str = "gold") -> list[str]:
    return ["", title, f"{'':<{width}} {'prec':>6} {'recall':>6} {'f1':>6} {unit:>9} {'predicted':>9}"]


def _reliability(title: str, cal: dict[str, Any]) -> list[str]:
    lines = ["", f"reliability {title}: n={cal['n']}  ECE={_f(cal['ece']).strip()}",
             f"  {'bin':<11} {'count':>6} {'mean conf':>9} {'accuracy':>9}"]
    for b in cal["bins"]:
        lines.append(f"  [{b['lower']:.1f}, {b['upper']:.1f}) {b['count']:>6} {_f(b['mean_confidence']):>9} {_f(b['accuracy']):>9}")
    return lines


def format_report(report: dict[str, Any]) -> str:
    """The report as printed by ``extractor evaluate``."""
    run = report["run"]
    mode = "leave-one-region-out" if run["cv"] == "region" else "shipped models"
    out = [f"extractor evaluate: {run['documents']} documents, cv={run['cv']} ({mode})",
           "documents per region: " + ", ".join(f"{r} {n}" for r, n in run["regions"].items()),
           f"time: extraction {run['extract_seconds']:.1f} s, training {run['train_seconds']:.1f} s"]
    for e in run.get("errors", []):
        out.append(f"ERROR {e['id']}: {e['error']}")

    sec = report["sections"]
    out += _table_head("Sections (character level)", unit="gold chars")
    out += [_prf_line(label, row) for label, row in sec["labels"].items()]
    out.append(f"macro-F1 over {len(sec['labels_in_gold'])} labels in gold: {sec['macro_f1']:.3f}"
               f"   micro-F1 (characters): {sec['micro_f1']:.3f}")
    b = report["boundaries"]
    out += _table_head(f"Heading boundaries (same line or within {BOUNDARY_SLACK} characters)")
    out.append(_prf_line("section starts", b))

    kf = report["key_figures"]
    out += _table_head("Key figures (value within tolerance)")
    out += [_prf_line(name, row) for name, row in kf["names"].items()]
    out.append(_prf_line(f"all {kf['overall']['names']} names (micro)", kf["overall"]))
    out.append(_prf_line(f"three_public_* {kf['three_public']['names']} names (micro)", kf["three_public"]))
    hc = kf["high_confidence"]
    out.append(f"key figures with confidence >= {hc['threshold']}: {hc['count']}, precision {_f(hc['precision']).strip()}")

    out += _table_head("Indicator rows and projects")
    out.append(_prf_line("indicator rows", report["indicators"]))
    out.append(_prf_line("project codes", report["projects"]["code"]))
    out.append(_prf_line("project amounts", report["projects"]["amount"]))
    am = report.get("amounts")
    if am and am["documents"]:
        out.append(_prf_line(f"money mentions ({am['documents']} docs)", am))

    if "regions" in report:  # so are reports written before regions were scored apart
        out += ["", "Per region (F1)", f"{'':<12} {'docs':>5} {'sections':>9} {'macro':>6} {'bounds':>6} {'figures':>7}"]
        for region, r in report["regions"].items():
            out.append(f"{region:<12} {r['documents']:>5} {_f(r['sections_micro_f1']):>9} {_f(r['sections_macro_f1'])}"
                       f" {_f(r['boundaries_f1'])} {_f(r['key_figures_f1']):>7}")

    if "meta" in report:  # reports written before the metadata was scored have none
        out += _table_head("Document metadata (title and cover)", unit="documents")
        out += [_prf_line(name, row) for name, row in report["meta"].items()]

    cal = report["calibration"]
    out += ["", f"Calibration (expected calibration error, {N_BINS} equal-width bins)",
            f"{'':<12} {'n':>6} {'ECE':>6} {'accuracy':>8}"]
    for name, c in [("overall", cal["overall"])] + list(cal["by_type"].items()):
        out.append(f"{name:<12} {c['n']:>6} {_f(c['ece'])} {_f(c['accuracy']):>8}")
    out += _reliability("overall", cal["overall"])
    for name, c in cal["by_type"].items():
        if c["n"]:
            out += _reliability(name, c)
    return "\n".join(out)


def main(args) -> int:
    """``extractor evaluate``: print the report; ``--json`` also writes it.

    Returns:
        0 when every document was extracted, 1 when some raised, 2 when there is nothing to evaluate.
    """
    try:
        report = evaluate(args.root, args.cv, log=lambda line: print(line, file=sys.stderr))
    except (EvalError, FileNotFoundError) as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"evaluate: wrote {args.json}", file=sys.stderr)
    return 1 if report["run"]["errors"] else 0
