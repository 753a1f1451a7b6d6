"""Learned section segmentation.

text → blocks (lines) → features → a scikit-learn classifier gives P(label | block) →
Viterbi decoding over the block sequence with label transitions learned from the corpus
→ contiguous sections. A 目录 ends up in ``front_matter`` because its lines look like
the start of a document (position, dense headings, page numbers), a lone odd line does
not open a section because leaving a label costs a transition, and a nested item (三公
under 其他说明) gets its own label because its heading's words pull it there.

The features are declared in :data:`FEATURES`; each is a function from a block and its
context to feature strings, kept when seen twice in training (the vocabulary ships with the
model).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import regex

from .blocks import NUMBERING, UNIT_LINE, Block, is_toc_line, split_blocks
from .document import SECTION_LABELS, Section
from .trained import LinearModel, load_arrays, save_arrays

SEG_C = 2.0
SEG_CLASS_WEIGHT = "balanced"
MODEL_FILE = "segmenter.npz"
CARD_FILE = "segmenter.md"

_DIGIT = regex.compile(r"\d")
_PUNCT = regex.compile(r"[\p{P}\p{S}]")
_TOC_WORD = regex.compile(r"^目\s*录$")


# --------------------------------------------------------------------------- tokenizer


@functools.lru_cache(maxsize=1)
def tokenizer():
    """A private jieba tokenizer with the domain dictionary shipped in the package: jieba-rs
    when it is installed, else jieba over a memory-mapped dictionary; both give jieba's tokens
    (see :mod:`extractor.dictionary`)."""
    from .dictionary import RustJieba, jieba_tokenizer

    try:
        return RustJieba()
    except ImportError:  # no rjieba wheel for this platform: jieba itself, 20 times slower per line
        return jieba_tokenizer()


@functools.lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """jieba tokens of a heading-like line (cached: headings repeat in 目录 and page headers)."""
    return tuple(t for t in tokenizer().lcut(text[:40]) if t.strip() and not _PUNCT.fullmatch(t))


# --------------------------------------------------------------------------- features


@dataclass
class Context:
    """What a block's features may look at besides the block itself."""

    blocks: list[Block]
    length: int  # characters in the document
    heading: list[int] = field(default_factory=list)  # index of the nearest heading per block
    stack: list[dict[str, int]] = field(default_factory=list)  # open heading per level per block
    toc: list[bool] = field(default_factory=list)  # inside a 目录
    # Blocks since the last table title while no number row has followed it (a column
    # header line such as "2026 年政府采购项目" stands there), else -1.
    thead: list[int] = field(default_factory=list)


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    for i, e in enumerate(edges):
        if x <= e:
            return i
    return len(edges)


def f_line_chars(b: Block, i: int, ctx: Context) -> list[str]:
    t = b.text[:24]
    return [f"c:{t[j:j + 2]}" for j in range(len(t) - 1)] + [f"c1:{ch}" for ch in t[:8]]


def f_line_tokens(b: Block, i: int, ctx: Context) -> list[str]:
    return [f"w:{w}" for w in tokens(b.text)] if b.candidate else []


def f_heading_tokens(b: Block, i: int, ctx: Context) -> list[str]:
    h = ctx.heading[i]
    if h < 0:
        return ["h:<none>"]
    t = ctx.blocks[h].text[:24]
    return [f"h:{w}" for w in tokens(ctx.blocks[h].text)] + [f"hc:{t[j:j + 2]}" for j in range(len(t) - 1)]


def f_heading_stack(b: Block, i: int, ctx: Context) -> list[str]:
    out = []
    for level, h in ctx.stack[i].items():
        out += [f"s{level}:{w}" for w in tokens(ctx.blocks[h].text)]
    return out


def f_next(b: Block, i: int, ctx: Context) -> list[str]:
    """What follows a heading: a heading split over lines, or a bare table number's title."""
    if not b.candidate or i + 1 >= len(ctx.blocks):
        return []
    nxt = ctx.blocks[i + 1]
    out = [f"next_num={nxt.numbering}", f"next_cand={nxt.candidate}"]
    if nxt.candidate:
        out += [f"n:{w}" for w in tokens(nxt.text)]
    return out


def f_shape(b: Block, i: int, ctx: Context) -> list[str]:
    n = max(len(b.text), 1)
    out = [
        f"num={b.numbering}",
        f"len={_bucket(len(b.text), (4, 8, 16, 30, 60, 120))}",
        f"dig={_bucket(len(_DIGIT.findall(b.text)) / n, (0, 0.1, 0.3, 0.6))}",
        f"pun={_bucket(len(_PUNCT.findall(b.text)) / n, (0, 0.05, 0.15, 0.3))}",
    ]
    if b.candidate:
        out.append("cand")
    if b.page_no:
        out.append("pageno")
    if b.table_like:
        out.append("table")
    if b.text.endswith(("。", ".")):
        out.append("sentence_end")
    return out


def f_position(b: Block, i: int, ctx: Context) -> list[str]:
    rel = b.start / max(ctx.length, 1)
    return [f"pos={_bucket(rel, (0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8))}", f"idx={_bucket(i, (2, 5, 10, 20, 40))}"]


def f_toc(b: Block, i: int, ctx: Context) -> list[str]:
    out = []
    if ctx.toc[i]:
        out.append("in_toc")
    if is_toc_line(b.text):
        out.append("toc_tail")
    return out


def f_since_heading(b: Block, i: int, ctx: Context) -> list[str]:
    h = ctx.heading[i]
    return [f"since={_bucket(i - h if h >= 0 else 999, (0, 1, 3, 10, 30))}"]


def f_table_head(b: Block, i: int, ctx: Context) -> list[str]:
    """Inside a table's header: after its title, before its first row of numbers."""
    d = ctx.thead[i]
    return [f"thead={_bucket(d, (1, 2, 4, 8))}"] if d > 0 else []


def f_prev(b: Block, i: int, ctx: Context) -> list[str]:
    """What kind of line stands just before: a unit line, a table row, a page number, prose."""
    if i == 0:
        return ["prev=<start>"]
    p = ctx.blocks[i - 1]
    if "单位" in p.text and p.candidate and p.numbering == "none" and not _HEADING_END.search(p.text):
        kind = "unit"
    elif p.table_like:
        kind = "row"
    elif p.page_no:
        kind = "pageno"
    elif p.candidate:
        kind = "cand"
    else:
        kind = "prose"
    return [f"prev={kind}"]


# The words by which the contract defines each label (its "what it holds" column), so that
# headings phrased differently in each region (部门预算绩效管理情况 / 绩效预算信息 /
# 项目支出绩效目标表) share one feature per label. Weights are learned; a cue decides nothing alone.
LABEL_CUES = tuple((label, regex.compile(pattern)) for label, pattern in (
    ("front_matter", r"目\s*录|公开$"),
    ("overview", r"职责|职能|机构|人员构成|单位构成|基本情况|概况"),
    ("budget_summary", r"收支|收入|支出|财政拨款|一般公共预算|政府性基金|国有资本经营|总体情况"),
    ("operating_costs", r"机关运行经费"),
    ("three_public", r"三公"),
    ("performance", r"绩效(?!工资)"),
    ("procurement", r"采购"),
    ("assets", r"资产"),
    ("projects", r"项目"),
    ("glossary", r"名词|解释"),
    ("other", r"其他|其它|事项"),
))


@functools.lru_cache(maxsize=4096)
def cues(text: str) -> tuple[str, ...]:
    """The labels whose cue words a line holds (cached: headings repeat)."""
    return tuple(label for label, p in LABEL_CUES if p.search(text))


def f_cues(b: Block, i: int, ctx: Context) -> list[str]:
    """Label cue words in the line, in the next line when it may be a heading too (the title under
    a bare table number), and in the open headings above it."""
    out = []
    if b.candidate:
        out += [f"k:{c}" for c in cues(b.text[:40])]
        if i + 1 < len(ctx.blocks) and ctx.blocks[i + 1].candidate:
            out += [f"nk:{c}" for c in cues(ctx.blocks[i + 1].text[:40])]
    for level, h in ctx.stack[i].items():
        if h != i:
            out += [f"pk{level}:{c}" for c in cues(ctx.blocks[h].text[:40])]
    return out


#: The features the segmenter uses, by name. Add one here and retrain.
FEATURES: list[tuple[str, Callable[[Block, int, Context], list[str]]]] = [
    ("line_chars", f_line_chars),
    ("line_tokens", f_line_tokens),
    ("heading_tokens", f_heading_tokens),
    ("heading_stack", f_heading_stack),
    ("next_line", f_next),
    ("shape", f_shape),
    ("position", f_position),
    ("toc", f_toc),
    ("since_heading", f_since_heading),
    ("table_head", f_table_head),
    ("previous_line", f_prev),
    ("label_cues", f_cues),
]

# Heading levels from the outside in; opening one closes the levels inside it.
_LEVELS = ("part", "cn", "table", "paren")
_TABLE_TITLE = regex.compile(r"表(?:格)?(?:\s*[(（][^()（）]{1,20}[)）])?$|^(?:附表|公开表|预算|决算)?\s*\d+(?:-\d+)?\s*表")
_HEADER_LINES = 8  # a table header printed over more lines than this is not one
_UNIT = regex.compile(r"单位\s*[:：]")
_HEADING_END = regex.compile(r"表(?:格)?$|情况$|说明$")


def heading_level(b: Block) -> str | None:
    """The heading level a candidate line opens, or None for a weak candidate."""
    if not b.candidate:
        return None
    if b.numbering == "part":
        return "part"
    if b.numbering == "table_no" or _TABLE_TITLE.search(b.text):
        return "table"
    if b.numbering == "cn":
        return "cn"
    if b.numbering == "cn_paren":
        return "paren"
    return None


def build_context(blocks: list[Block], length: int, thead: list[int] | None = None) -> Context:
    """Nearest heading, open heading per level and 目录 state for every block.

    Args:
        blocks: the document's blocks.
        length: characters in the document.
        thead: :func:`table_heads` of the blocks, when the caller has it already.
    """
    ctx = Context(blocks, length)
    heading = -1
    stack: dict[str, int] = {}
    toc_left = 0
    ctx.thead = table_heads(blocks) if thead is None else thead
    for i, b in enumerate(blocks):
        if b.candidate:
            heading = i
            level = heading_level(b)
            if level is not None:
                depth = _LEVELS.index(level)
                stack = {k: v for k, v in stack.items() if _LEVELS.index(k) < depth}
                stack[level] = i
        if "目" in b.text and _TOC_WORD.match(b.text.replace(" ", "")):
            toc_left = 60
        elif toc_left and (len(b.text) > 60 and not b.candidate):
            toc_left = 0  # prose: the 目录 is over
        ctx.heading.append(heading)
        ctx.stack.append(stack)
        ctx.toc.append(toc_left > 0)
        toc_left = max(toc_left - 1, 0)
    return ctx


def table_heads(blocks: list[Block]) -> list[int]:
    """Per block: how many blocks after its table's title it stands while no number row has come
    (it is in the table's header), 1 for a copy of a header line after a page break inside the
    table (the header printed again), else -1."""
    out = []
    title, rows, head, after_break = -1, False, set(), False
    for i, b in enumerate(blocks):
        level = heading_level(b) if b.candidate else None
        if level == "table":
            title, rows, head, after_break = i, False, set(), False
        elif level in ("part", "cn"):
            title = -1
        elif title >= 0 and (b.page_start or b.page_no):
            after_break = True
            if not rows:
                title = -1  # a page break before any number row: the table was printed empty
        if title < 0:
            out.append(-1)
            continue
        if not rows:
            out.append(i - title)
            head.add(b.text)
        elif after_break and b.text in head:
            out.append(1)
        else:
            out.append(-1)
        if b.table_like or b.money:
            rows, after_break = True, False
    return out


def table_blocks(blocks: list[Block], thead: list[int] | None = None) -> list[Block]:
    """Demote the column-header lines of tables: they are not headings.

    A line between a table title and the table's first row of numbers (or a copy of such a
    line after a page break inside the table, where the header is printed again) is a header
    cell (2026 年政府采购项目, 绩效目标 合计 一般公共预算): it names a column, so it must not open
    a section of its own.
    Numbered lines, unit lines and table titles keep their candidacy.

    Each block's ``header`` is set to its :func:`table_heads` value, for :func:`fixed_joins`.

    Args:
        blocks: the document's blocks (changed in place and returned).
        thead: :func:`table_heads` of the blocks, when the caller has it already. Demoting
            changes no block's heading level, so the same list serves :func:`build_context`.
    """
    for b, d in zip(blocks, table_heads(blocks) if thead is None else thead):
        b.header = d
        if (0 < d <= _HEADER_LINES and b.candidate and b.numbering == "none" and not _UNIT.search(b.text)
                and heading_level(b) != "table"):  # the next table's title after an empty table stays
            b.candidate = False
    return blocks


def prepare(norm: str) -> tuple[list[Block], list[list[str] | None]]:
    """Blocks of the parse form, table headers demoted, and the feature strings of unit heads."""
    blocks = split_blocks(norm)
    thead = table_heads(blocks)
    table_blocks(blocks, thead)
    return blocks, block_features(blocks, len(norm), thead)


def block_features(blocks: list[Block], length: int, thead: list[int] | None = None) -> list[list[str] | None]:
    """Feature strings (see :data:`FEATURES`) of the blocks that head a unit; None for the rest.

    Only unit heads are classified, so only they pay for features (and the tokenizer).
    """
    ctx = build_context(blocks, length, thead)
    heads = {a for a, _ in units_of(blocks)}
    return [[s for _, f in FEATURES for s in f(b, i, ctx)] if i in heads else None for i, b in enumerate(blocks)]


def units_of(blocks: list[Block]) -> list[tuple[int, int]]:
    """Group blocks into units: a heading candidate and the lines up to the next one."""
    out, start = [], 0
    for i in range(1, len(blocks)):
        if blocks[i].candidate:
            out.append((start, i))
            start = i
    if blocks:
        out.append((start, len(blocks)))
    return out


def unit_features(blocks: list[Block], feats: list[list[str]], units: list[tuple[int, int]]) -> list[list[str]]:
    """Features of each unit: its first block's features plus a summary of its body."""
    out = []
    for a, b in units:
        f = list(feats[a])
        body = blocks[a + 1 : b]
        f.append(f"nbody={_bucket(len(body), (0, 1, 3, 10, 30, 100))}")
        if body:
            share = sum(x.table_like for x in body) / len(body)
            f.append(f"tshare={_bucket(share, (0, 0.2, 0.5, 0.8))}")
            for x in body[:3]:
                t = x.text[:16]
                f += [f"b:{t[j:j + 2]}" for j in range(len(t) - 1)]
        out.append(f)
    return out


def vectorize(feats: list[list[str]], vocab: dict[str, int]):
    """Sparse 0/1 matrix of feature strings over a fixed vocabulary (unseen strings dropped)."""
    from scipy.sparse import csr_matrix

    get = vocab.get
    lengths = np.fromiter((len(fs) for fs in feats), dtype=np.int64, count=len(feats))
    idx = np.fromiter((get(f, -1) for fs in feats for f in fs), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(feats)), lengths)
    keep = idx >= 0
    X = csr_matrix((np.ones(int(keep.sum())), (rows[keep], idx[keep])), shape=(len(feats), len(vocab)))
    X.data[:] = 1.0  # a feature present twice in a row is still 1
    return X


def build_vocab(feats: list[list[str]], min_count: int = 2) -> dict[str, int]:
    """Feature strings seen at least ``min_count`` times in training, in a fixed order."""
    counts = Counter(f for fs in feats for f in set(fs))
    return {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}


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

    def block_log_probs(self, feats: list[list[str]]) -> np.ndarray:
        """Log P(label | unit) for each unit's feature strings, over :attr:`labels`.

        The same numbers as ``clf.predict_proba(vectorize(feats, vocab))``: a multinomial
        logistic regression is a softmax over the summed weights of the features present,
        so the weight rows are summed directly instead of building a sparse matrix (five
        times faster on a document's ~300 units).
        """
        # All units' feature ids in one pass; unseen features (-1) drop out, and a feature
        # counts once per unit (sorting row * V + column puts repeats side by side and the
        # rows in order).
        V = max(len(self.vocab), 1)
        lengths = np.fromiter(map(len, feats), dtype=np.int64, count=len(feats))
        cols = np.fromiter(map(self.vocab.get, itertools.chain.from_iterable(feats), itertools.repeat(-1)),
                           dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(feats), dtype=np.int64), lengths)
        keep = cols >= 0
        pairs = np.sort(rows[keep] * V + cols[keep])
        if len(pairs):
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        decision = self.clf.decision_sparse(pairs % V, pairs // V, len(feats))
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
    blocks, feats = prepare(norm)
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


def _viterbi(log_em: np.ndarray, log_trans: np.ndarray, log_start: np.ndarray, opens: np.ndarray) -> np.ndarray:
    """Best label path; the label may change only at blocks where ``opens`` is True."""
    n, L = log_em.shape
    score = log_start + log_em[0]
    back = np.zeros((n, L), dtype=np.int32)
    stay = np.arange(L, dtype=np.int32)
    for t in range(1, n):
        if opens[t]:
            cand = score[:, None] + log_trans
            back[t] = cand.argmax(axis=0)
            score = cand.max(axis=0) + log_em[t]
        else:
            back[t] = stay
            score = score + log_em[t]
    path = np.empty(n, dtype=np.int32)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _marginals(log_em: np.ndarray, log_trans: np.ndarray, log_start: np.ndarray, opens: np.ndarray) -> np.ndarray:
    """Posterior label probabilities per block (scaled forward-backward)."""
    n, L = log_em.shape
    em = np.exp(log_em - log_em.max(axis=1, keepdims=True))
    trans = np.exp(log_trans)
    fwd = np.empty((n, L))
    bwd = np.ones((n, L))
    f = np.exp(log_start) * em[0]
    fwd[0] = f / f.sum()
    for t in range(1, n):
        f = (fwd[t - 1] @ trans if opens[t] else fwd[t - 1]) * em[t]
        fwd[t] = f / f.sum()
    for t in range(n - 2, -1, -1):
        b = em[t + 1] * bwd[t + 1]
        b = trans @ b if opens[t + 1] else b
        bwd[t] = b / b.sum()
    post = fwd * bwd
    return post / post.sum(axis=1, keepdims=True)


# A table number printed on a line of its own (表8, 公开表7, 表14-1, 预算09表) above its title:
# the line is the table-number pattern of blocks.NUMBERING and nothing else.
_TABLE_NO = dict(NUMBERING)["table_no"]
_NOTE = regex.compile(r"(?:注|备注)\s*\d?\s*[:：.．]")
# Another item's number after a semicolon or full stop: a list run into prose
# (…办结率达到85%；3.案件办结率…; …单位；2、财政专项资金…).
_INLINE_ITEM = regex.compile(r"[；;。]\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


def _is_sentence(text: str) -> bool:
    """A line that ends in a full stop (not in a 目录's dot leaders)."""
    return text.endswith(("。", ".")) and not text.endswith(("..", "…"))


_LIST = 3  # bare heads in a row, of one kind, that make a list (of tables, rows or a 目录's items)
_ITEM_NUMBERING = ("cn", "cn_paren", "num_dot", "num_paren", "circled")  # numbering of list items


def _bare(blocks: list[Block], units: list[tuple[int, int]]) -> list[bool]:
    """Per unit, whether its head has nothing under it but page numbers."""
    return [not any(not x.page_no for x in blocks[a + 1 : b]) for a, b in units]


def fixed_joins(blocks: list[Block], units: list[tuple[int, int]]) -> np.ndarray:
    """Per unit, whether a section may open there (False: it keeps the label before it).

    ``blocks`` come from :func:`prepare` (or :func:`table_blocks`), which marks table headers.

    Some layouts put a heading's own lines in units apart from the heading, and the decoder
    would otherwise open the section a line early or late, or open one inside a list:

    * a bare table number (表8) on its own line, its title on the next: one heading, so the
      title's unit cannot open a section the number did not open;
    * a unit line (单位名称：… 单位：万元) that the PDF text puts above the next part or table
      heading: it belongs to what stands before, so it cannot open a section; nor can any other
      bare line just above a part heading (a 目录's last entry, a container such as 一、文字部分,
      the end of a paragraph: 95 of 96 such lines in the corpus start no section);
    * a part heading with nothing under it but a table title (第二部分 部门预算表 / 表1 收支总表):
      the part introduces that table (39 of 39 such pairs in the corpus share a label); so does
      an unnumbered table title with nothing under it (2024 年度部门决算表 / 收入支出决算总表; in
      375 such pairs no gold section starts at the second title);
    * a table's own unit line under its title (表 8 / 一般公共预算支出表 / 部门名称：… 单位：万元):
      481 of 482 such lines in the corpus start no section;
    * a note (注：本表反映…) or a sentence (a line ending in a full stop, 本部门无…资产购置。):
      33 notes and 708 sentences head units in the corpus, none a section start;
    * a table row (a numbered line with two amounts or more: 123 unit heads, none a start) and a
      line of a table's header, however far below the title (741 unit heads, 240 of them more
      than 8 lines down, none a start);
    * a line holding another item's number after a semicolon or full stop (…85%；3.案件…: a list
      run into prose; 53 unit heads, none a start);
    * a line as wide as the document's wrapped paragraphs (:func:`prose_width`) and continued by
      prose on the next line (226 unnumbered unit heads and 158 numbered ones, none a start;
      part headings and table titles are exempt), and an unnumbered line
      that does not end like a heading (表, 情况, 说明) with amounts within two lines above and
      three below: a cell broken over lines (215 unit heads, none a start);
    * a list: three or more bare heads of one kind in a row, table titles (a 目录 of the tables)
      or items of one numbering (一、… 二、… 三、…: a 目录, or the numbered rows of a two-sided
      table). It opens at most one section (52 lists of tables and 169 of items in the corpus,
      none with a section starting inside), and none when it stands right under a table's title
      or unit line (47 such lists, all rows of that table).
    """
    opens = np.ones(len(units), dtype=bool)
    bare = _bare(blocks, units)
    levels = [heading_level(blocks[a]) for a, _ in units]
    for k in range(len(units) - 1):
        if not bare[k]:
            continue
        head, level = blocks[units[k][0]], levels[k + 1]
        if level == "table" and (head.numbering == "part"
                                 or (levels[k] == "table" and head.numbering != "table_no")
                                 or (head.numbering == "table_no" and _TABLE_NO.fullmatch(head.text))):
            opens[k + 1] = False
        elif (level in ("part", "table") and UNIT_LINE.match(head.text)) or (level == "part" and levels[k] != "part"):
            opens[k] = False  # a bare line just above a part heading ends what precedes it
        if levels[k] == "table" and UNIT_LINE.match(blocks[units[k + 1][0]].text):
            opens[k + 1] = False  # a table's own unit line, under its title
    width = prose_width(blocks)
    for k, (a, _) in enumerate(units):
        if _heads_nothing(blocks, a, levels[k], width):
            opens[k] = False
    # A list: table titles, or items of one numbering, with nothing under any of them.
    kinds = [None if not bare[k] else "table" if levels[k] == "table"
             else blocks[a].numbering if blocks[a].numbering in _ITEM_NUMBERING else None
             for k, (a, _) in enumerate(units)]
    k = 0
    while k < len(units):
        j = k
        while j < len(units) and kinds[j] is not None and kinds[j] == kinds[k]:
            j += 1
        if j - k >= _LIST:
            opens[k + 1 : j] = False
            # Numbered rows right under a table's title or unit line are that table's rows.
            prev = blocks[units[k - 1][0]] if k else None
            if kinds[k] != "table" and prev is not None and (levels[k - 1] == "table" or UNIT_LINE.match(prev.text)):
                opens[k] = False
        k = max(j, k + 1)
    return opens


def _heads_nothing(blocks: list[Block], a: int, level: str | None, width: int | None) -> bool:
    """Whether the unit headed by block ``a`` is no heading, whatever stands around it (see
    :func:`fixed_joins`).

    Args:
        blocks: the document's blocks, table headers marked (:func:`table_blocks`).
        a: index of the unit's head.
        level: :func:`heading_level` of the head.
        width: :func:`prose_width` of the document.
    """
    head = blocks[a]
    # A table row ((三)公务接待费支出 19.28 19.28 0.00) is no heading, nor is a line of a table's
    # header (after its title, before its first number row), which names a column: lines past
    # the first few are not demoted (table_blocks), but open nothing. (A line with tabs and no
    # amounts may be a heading: HTML made from PDF prints 第一部分\t部门概况.)
    if head.money >= 2 or (head.header > 0 and level is None):
        return True
    # A note (注：本表反映…) comments on what stands above it; a sentence (本部门无 2021 年结转
    # 的…资产购置。) ends a paragraph.
    if _NOTE.match(head.text) or _is_sentence(head.text) or _INLINE_ITEM.search(head.text):
        return True
    if level in ("part", "table") or UNIT_LINE.match(head.text):
        return False
    # A line as wide as the page's prose and continued by prose is a wrapped paragraph
    # (省检察院…安排的会议费预算支 / 出158.44万元,…), also when it starts with an item's number
    # ((三)保证运输拖曳期间暂扣车辆不受损坏,为执法工 / 作提供…).
    nxt = blocks[a + 1] if a + 1 < len(blocks) else None
    if width and width - 1 <= len(head.text) <= width + 1 and nxt is not None:
        if not (nxt.candidate or nxt.table_like or nxt.page_no):
            return True
    if head.numbering != "none" or level is not None:
        return False
    # An unnumbered line among amounts that does not end like a heading is a table cell broken
    # over lines (其他适合通过市场化方式提供的).
    return (not _HEADING_END.search(head.text) and any(x.money for x in blocks[max(a - 2, 0) : a])
            and any(x.money for x in blocks[a + 1 : a + 4]))


_WRAP_MIN = 16  # shorter lines are not wrapped prose (table cells, HTML lines)


def prose_width(blocks: list[Block]) -> int | None:
    """The width at which the document's paragraphs wrap: the most common length of a line that
    prose continues on the next line, or None when too few lines wrap (HTML, a tables file)."""
    lens = Counter(len(b.text) for b, nxt in zip(blocks, blocks[1:])
                   if len(b.text) >= _WRAP_MIN and not (b.table_like or nxt.candidate or nxt.table_like))
    if not lens:
        return None
    width, count = lens.most_common(1)[0]
    return width if count >= 10 and count >= 0.15 * sum(lens.values()) else None


def opens_with_table(blocks: list[Block], units: list[tuple[int, int]]) -> bool:
    """Whether the document's first unit is a table: its title (预算01表 收支总表) or, when the
    title came out elsewhere, its unit line (金额单位：万元)."""
    if not units:
        return False
    head = blocks[units[0][0]]
    return heading_level(head) == "table" or bool(head.candidate and UNIT_LINE.match(head.text))


_RANK = {"part": 0, "cn": 1, "paren": 2}  # heading levels that nest, outermost first


def parents_join(blocks: list[Block], units: list[tuple[int, int]], path: np.ndarray, opens: np.ndarray) -> np.ndarray:
    """Give a bare parent heading the label of its items when they all have one label.

    A part or numbered heading with nothing under it but its items (第一部分 部门概况 /
    一、部门职责…) belongs to the section its items make up; the decoder, which sees the bare
    heading as a unit with no body, tends to leave it with the section before. When the items
    have several labels (第一部分 预算情况说明 over 职责, 收支, 三公 …) the heading introduces
    them all and stays where it was.

    Args:
        blocks: the document's blocks.
        units: :func:`units_of` the blocks.
        path: the decoded label index per unit (a copy is changed and returned).
        opens: :func:`fixed_joins` of the units; a unit that may not open a section is left alone.
    """
    path = path.copy()
    ranks = [_RANK.get(heading_level(blocks[a])) for a, _ in units]
    bare = _bare(blocks, units)
    for k in range(len(units) - 1):
        if ranks[k] is None or not bare[k] or not opens[k] or is_toc_line(blocks[units[k][0]].text):
            continue  # not a heading over items (a 目录 entry introduces nothing)
        first = k + 1  # the heading's own second line, when the PDF broke it (第一部分 / 部门概况)
        while first < len(units) and ranks[first] is None and bare[first] and blocks[units[first][0]].numbering == "none":
            first += 1
        end = first  # its items: the units up to the next heading of its level or higher
        while end < len(units) and (ranks[end] is None or ranks[end] > ranks[k]):
            end += 1
        if end > first and path[k] != path[first] and (path[first:end] == path[first]).all():
            path[k:first] = path[first]
    return path


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
    opens = fixed_joins(blocks, units)
    path = parents_join(blocks, units, _viterbi(log_em, model.log_trans, model.log_start, opens), opens)
    post = _marginals(log_em, model.log_trans, model.log_start, opens)
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
