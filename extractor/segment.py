"""Learned section segmentation.

text → blocks (lines) → features → a scikit-learn classifier gives P(label | block) →
Viterbi decoding over the block sequence with label transitions learned from the corpus
→ contiguous sections. A 目录 ends up in ``front_matter`` because its lines look like
the start of a document (position, dense headings, page numbers), a lone odd line does
not open a section because leaving a label costs a transition, and a nested item (三公
under 其他说明) gets its own label because its heading's words pull it there.

The pieces live in their own modules: :mod:`extractor.blocks` splits the text into lines,
:mod:`extractor.layout` reads heading levels, table headers and the places where a section may
not open, and :mod:`extractor.features` declares the features (:data:`~extractor.features.FEATURES`),
kept when seen twice in training (the vocabulary ships with the model). This module trains the
classifier and transitions, decodes, and saves and loads the model.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .blocks import Block, split_blocks
from .document import SECTION_LABELS, Section
from .features import FEATURES, block_features, build_vocab, original_of, unit_features, vectorize
from .layout import bare_heads, fixed_joins, opens_with_table, parents_join, table_blocks, table_heads, units_of
from .trained import LinearModel, load_arrays, save_arrays

SEG_C = 2.0
SEG_CLASS_WEIGHT = "balanced"
MODEL_FILE = "segmenter.npz"
CARD_FILE = "segmenter.md"


def prepare(norm: str, training: bool = False) -> tuple[list[Block], list[list[str] | None]]:
    """Blocks of the parse form, table headers demoted, and the feature strings of unit heads
    (for training, with the copies of :data:`~extractor.features.OWN_HEADING_COPIES`)."""
    blocks = split_blocks(norm)
    thead = table_heads(blocks)
    table_blocks(blocks, thead)
    return blocks, block_features(blocks, len(norm), thead, training=training)


# --------------------------------------------------------------------------- model


@dataclass
class Segmenter:
    """A trained segmenter: block classifier, transitions and calibration."""

    clf: LinearModel  # multinomial logistic regression over the vocabulary's 0/1 features
    vocab: dict[str, int]
    labels: list[str]
    log_trans: np.ndarray  # (L, L) log P(label_t | label_t-1)
    log_start: np.ndarray  # (L,)
    log_prior: np.ndarray  # (L,) log P(label) in training blocks
    calib: tuple[float, float] = (1.0, 0.0)  # Platt scaling of span confidence (a, b)
    em_weight: float = 1.0  # weight of the classifier against the transitions
    prior_weight: float = 0.5  # how far posteriors are divided by label priors
    _folded: tuple | None = field(default=None, repr=False, compare=False)  # see folded()

    def folded(self) -> tuple[dict[str, int], LinearModel]:
        """Vocabulary and classifier for prediction: each copy feature of
        :data:`~extractor.features.OWN_HEADING_COPIES` folded into its original (weights added),
        so that features made with or without the copies give the same decision values."""
        if self._folded is None:
            originals = {f: original_of(f) for f in self.vocab}
            vocab = {f: col for f, col in self.vocab.items() if originals[f] is None}
            coef = self.clf.coef.copy()
            for f, col in self.vocab.items():
                orig = originals[f]
                if orig is None:
                    continue
                if orig in vocab:
                    coef[:, vocab[orig]] += self.clf.coef[:, col]
                else:  # the original was too rare for the vocabulary, the copy was not
                    vocab[orig] = col
            self._folded = (vocab, LinearModel(coef, self.clf.intercept, self.clf.classes))
        return self._folded

    def block_log_probs(self, feats: list[list[str]]) -> np.ndarray:
        """Log P(label | unit) for each unit's feature strings, over :attr:`labels`.

        Features made for prediction or for training (with the copies of
        :data:`~extractor.features.OWN_HEADING_COPIES`) give the same numbers, those of
        ``clf.predict_proba(vectorize(training_feats, vocab))``: a multinomial
        logistic regression is a softmax over the summed weights of the features present,
        so the weight rows are summed directly instead of building a sparse matrix (five
        times faster on a document's ~300 units).
        """
        # All units' feature ids in one pass; unseen features (-1) drop out, and a feature
        # counts once per unit (sorting row * V + column puts repeats side by side and the
        # rows in order).
        vocab, clf = self.folded()
        V = max(len(self.vocab), 1)
        lengths = np.fromiter(map(len, feats), dtype=np.int64, count=len(feats))
        cols = np.fromiter(map(vocab.get, itertools.chain.from_iterable(feats), itertools.repeat(-1)),
                           dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(feats), dtype=np.int64), lengths)
        keep = cols >= 0
        pairs = np.sort(rows[keep] * V + cols[keep])
        if len(pairs):
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        decision = clf.decision_sparse(pairs % V, pairs // V, len(feats))
        if decision.shape[1] == 1:  # binary: sklearn keeps one row, for the second class
            decision = np.hstack([np.zeros_like(decision), decision])
        seen = [self.labels.index(c) for c in self.clf.classes]
        scores = np.full((len(feats), len(self.labels)), -np.inf)
        scores[:, seen] = decision
        proba = np.exp(scores - scores.max(axis=1, keepdims=True))
        proba /= proba.sum(axis=1, keepdims=True)
        proba[:, [k for k in range(len(self.labels)) if k not in seen]] = 1e-6  # a label never seen keeps a floor
        return np.log(proba / proba.sum(axis=1, keepdims=True))


def gold_block_labels(blocks: list[Block], sections: list[dict]) -> list[str]:
    """The gold label of each block: the label of the span its first character falls in."""
    out, j = [], 0
    for b in blocks:
        while j < len(sections) - 1 and b.start >= sections[j]["end"]:
            j += 1
        out.append(sections[j]["label"])
    return out


def _doc_rows(doc) -> tuple[list[Block], list[list[str]], list[str]]:
    from .normalize import parse_form

    norm = parse_form(doc.text)
    blocks, feats = prepare(norm, training=True)
    return blocks, feats, gold_block_labels(blocks, doc.record["sections"])


def train(docs, seed: int = 13, calibrate: bool = True) -> Segmenter:
    """Train the segmenter on annotated documents.

    Args:
        docs: :class:`~extractor.corpus.AnnotatedDoc` list.
        seed: random seed.
        calibrate: fit the span-confidence calibration on held-out regions (inner folds).
    """
    rows = [_doc_rows(d) for d in docs]
    model = _fit(rows, seed)
    if calibrate:
        model.calib = _fit_calibration(docs, rows, seed)
    return model


def _fit(rows, seed: int) -> Segmenter:
    from sklearn.linear_model import LogisticRegression

    labels = list(SECTION_LABELS)
    L = len(labels)
    feats, y, weights = [], [], []
    for blocks, fs, ys in rows:
        units = units_of(blocks)
        feats += unit_features(blocks, fs, units)
        y += [ys[a] for a, _ in units]
        # Every document counts about the same: long table files would otherwise drown the narratives.
        weights += [1.0 / math.sqrt(max(len(units), 1))] * len(units)
    weights = np.asarray(weights) * len(weights) / sum(weights)
    clf = LogisticRegression(C=SEG_C, max_iter=300, random_state=seed, class_weight=SEG_CLASS_WEIGHT)
    vocab = build_vocab(feats)
    clf.fit(vectorize(feats, vocab), y, sample_weight=weights)
    trans = np.ones((L, L))  # add-one smoothing
    start = np.ones(L)
    prior = np.ones(L)
    for blocks, _, ys in rows:
        if ys:
            start[labels.index(ys[0])] += 1
        # Labels change only at heading candidates, so transitions are counted there.
        for blk, a, b in zip(blocks[1:], ys, ys[1:]):
            if blk.candidate:
                trans[labels.index(a), labels.index(b)] += 1
        for lab in ys:
            prior[labels.index(lab)] += 1
    return Segmenter(
        clf=LinearModel.from_sklearn(clf),
        vocab=vocab,
        labels=labels,
        log_trans=np.log(trans / trans.sum(axis=1, keepdims=True)),
        log_start=np.log(start / start.sum()),
        log_prior=np.log(prior / prior.sum()),
    )


def _fit_calibration(docs, rows, seed: int) -> tuple[float, float]:
    """Platt-scale span confidences on regions held out from an inner model."""
    from sklearn.linear_model import LogisticRegression

    regions = sorted({d.region for d in docs})
    if len(regions) < 3:
        return (1.0, 0.0)
    folds = [regions[i::3] for i in range(3)]
    xs, ys = [], []
    for held in folds:
        inner = _fit([r for d, r in zip(docs, rows) if d.region not in held], seed)
        for d, r in zip(docs, rows):
            if d.region not in held:
                continue
            for sec, raw in _decode(inner, d.text, r[0], r[1]):
                gold = _label_share(d.record["sections"], sec.start, sec.end, sec.label)
                xs.append(raw)
                ys.append(gold >= 0.5)
    if len(set(ys)) < 2:
        return (1.0, 0.0)
    logit = np.log(np.clip(xs, 1e-4, 1 - 1e-4) / (1 - np.clip(xs, 1e-4, 1 - 1e-4)))
    platt = LogisticRegression(C=100.0).fit(logit.reshape(-1, 1), ys)
    return (float(platt.coef_[0, 0]), float(platt.intercept_[0]))


def _label_share(gold_sections: list[dict], start: int, end: int, label: str) -> float:
    covered = 0
    for g in gold_sections:
        if g["label"] == label:
            covered += max(0, min(end, g["end"]) - max(start, g["start"]))
    return covered / max(end - start, 1)


# --------------------------------------------------------------------------- decoding


def _viterbi(log_em: np.ndarray, log_trans: np.ndarray, log_start: np.ndarray) -> np.ndarray:
    """Best label path over runs of units (one emission row per run)."""
    n, L = log_em.shape
    score = log_start + log_em[0]
    back = np.zeros((n, L), dtype=np.int32)
    for t in range(1, n):
        cand = score[:, None] + log_trans
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_em[t]
    path = np.empty(n, dtype=np.int32)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _marginals(log_em: np.ndarray, log_trans: np.ndarray, log_start: np.ndarray) -> np.ndarray:
    """Posterior label probabilities per run of units (scaled forward-backward)."""
    n, L = log_em.shape
    em = np.exp(log_em - log_em.max(axis=1, keepdims=True))
    trans = np.exp(log_trans)
    fwd = np.empty((n, L))
    bwd = np.ones((n, L))
    f = np.exp(log_start) * em[0]
    fwd[0] = f / f.sum()
    for t in range(1, n):
        f = (fwd[t - 1] @ trans) * em[t]
        fwd[t] = f / f.sum()
    for t in range(n - 2, -1, -1):
        b = trans @ (em[t + 1] * bwd[t + 1])
        bwd[t] = b / b.sum()
    post = fwd * bwd
    return post / post.sum(axis=1, keepdims=True)


def _runs(opens: np.ndarray) -> np.ndarray:
    """First unit of each run of units that must share a label: a unit that may open a section
    (:func:`~extractor.layout.fixed_joins`) starts one, and so does the first unit."""
    starts = np.flatnonzero(opens)
    return starts if len(starts) and starts[0] == 0 else np.concatenate(([0], starts))


def _decode(model: Segmenter, text: str, blocks: list[Block], feats: list[list[str]]):
    """Sections with their uncalibrated mean posterior (the calibration is fit on the latter)."""
    if not blocks:
        return [(Section("front_matter", None, 0, len(text), 0.5), 0.5)] if text else []
    units = units_of(blocks)
    log_p = model.block_log_probs(unit_features(blocks, feats, units))
    # Hybrid HMM: classifier posteriors divided by label priors act as emission scores.
    log_em = model.em_weight * (log_p - model.prior_weight * model.log_prior)
    if opens_with_table(blocks, units):
        # A file that starts with a table (a tables file) has no title page, 目录 or opening
        # statement: it cannot start in front_matter (log_em is this call's own array).
        log_em[0, model.labels.index("front_matter")] = -np.inf
    bare = bare_heads(blocks, units)  # both joins ask which heads have nothing under them
    opens = fixed_joins(blocks, units, bare)
    # A unit that may not open a section keeps its run's label, so the decoder works on runs:
    # a run's emission is the sum of its units', and each unit gets its run's label and posterior.
    starts = _runs(opens)
    sizes = np.diff(np.append(starts, len(units)))
    run_em = np.add.reduceat(log_em, starts, axis=0)
    path = np.repeat(_viterbi(run_em, model.log_trans, model.log_start), sizes)
    path = parents_join(blocks, units, path, opens, bare)
    post = np.repeat(_marginals(run_em, model.log_trans, model.log_start), sizes, axis=0)
    out = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and path[j + 1] == path[i]:
            j += 1
        label = model.labels[path[i]]
        first = blocks[units[i][0]]
        start = 0 if not out else first.start
        end = blocks[units[j + 1][0]].start if j + 1 < len(units) else len(text)
        raw = float(post[i : j + 1, path[i]].mean())
        a, b = model.calib
        conf = 1.0 / (1.0 + math.exp(-(a * math.log(max(raw, 1e-4) / max(1 - raw, 1e-4)) + b)))
        heading = text[first.start : first.end].strip() if first.candidate else None
        out.append((Section(label, heading, start, end, round(conf, 4)), raw))
        i = j + 1
    return out


def segment(text: str, norm: str, model: Segmenter | None = None) -> list[Section]:
    """Split the document into contiguous labelled sections covering the whole text.

    Args:
        text: the document text.
        norm: its parse form.
        model: a trained :class:`Segmenter`; without one, no sections are returned.
    """
    if model is None or not text:
        return []
    blocks, feats = prepare(norm)
    return [s for s, _ in _decode(model, text, blocks, feats)]


# --------------------------------------------------------------------------- persistence


def save_model(model: Segmenter, folder, docs=None, root=None, metrics: dict | None = None) -> Path:
    """Write the segmenter as plain arrays (``segmenter.npz``) plus its card."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = save_arrays(folder / MODEL_FILE, {
        # float32 halves the file; probabilities move by less than 1e-6.
        "coef": model.clf.coef.astype(np.float32),
        "intercept": model.clf.intercept,
        "classes": np.array(model.clf.classes, dtype=str),
        "labels": np.array(model.labels, dtype=str),
        "log_trans": model.log_trans,
        "log_start": model.log_start,
        "log_prior": model.log_prior,
        "calib": np.array(model.calib, dtype=float),
        "vocab": np.array(sorted(model.vocab, key=model.vocab.get), dtype=str),
        "features": np.array([name for name, _ in FEATURES], dtype=str),
    })
    from .cards import write_card

    write_card(folder / CARD_FILE, "segmenter", path, docs=docs, root=root, metrics=metrics,
               details={"features": [name for name, _ in FEATURES], "vocabulary size": len(model.vocab),
                        "classifier": f"LogisticRegression(C={SEG_C}) + Viterbi over label transitions",
                        "calibration (Platt a, b)": list(model.calib)})
    return path


def load_model(folder) -> Segmenter | None:
    """Load the segmenter from ``folder`` (None when there is no model file).

    Raises:
        ValueError: the file is not a plain-array archive, or was trained with other features.
    """
    z = load_arrays(Path(folder) / MODEL_FILE, expect={"features": [name for name, _ in FEATURES]})
    if z is None:
        return None
    return Segmenter(
        clf=LinearModel(z["coef"].astype(float), z["intercept"], z["classes"].tolist()),
        vocab={f: i for i, f in enumerate(z["vocab"].tolist())},
        labels=z["labels"].tolist(),
        log_trans=z["log_trans"],
        log_start=z["log_start"],
        log_prior=z["log_prior"],
        calib=tuple(float(x) for x in z["calib"]),
    )
