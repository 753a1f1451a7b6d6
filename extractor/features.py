"""Features of the segmenter's units: :data:`FEATURES` lists them, each a function from a block
and its context to feature strings, and the private jieba tokenizer they use.

Only the blocks that head a unit (:func:`~extractor.layout.units_of`) get features, so only
heading-like lines pay for the tokenizer.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import regex

from .blocks import Block, is_toc_line
from .layout import HEADING_END, LEVELS, heading_level, table_heads, units_of

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
    """jieba tokens of a heading-like line (cached: headings repeat in 目录 and page headers),
    without punctuation and symbols."""
    return tuple(t for t in tokenizer().lcut(text[:40]) if t.strip() and not (len(t) == 1 and _is_punct(t)))


@functools.cache
def _is_punct(ch: str) -> bool:
    # Only a one-character token can be punctuation; asked of the same few characters all the
    # time, so the answer is kept (the pattern costs more than the tokenizer's own cut).
    return bool(_PUNCT.fullmatch(ch))


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
    memo: dict = field(default_factory=dict)  # feature strings of open headings, by (kind, level, index)
    training: bool = False  # give a unit head, its own nearest heading, the copies of its features


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


# A unit head is a heading candidate, so it is its own nearest heading, and its heading features
# (h:, hc:) copy its line features (w:, c:). Training keeps the copies, and the shipped weights
# were learned with them: under L2 regularisation a feature counted twice is penalised less. To
# predict, the copies' weights are added to the originals' (Segmenter.folded), which gives the
# same sums without making the copies. Only NO_HEADING (no heading above yet) is no copy.
OWN_HEADING_COPIES = (("h:", "w:"), ("hc:", "c:"))
NO_HEADING = "h:<none>"


def original_of(feature: str) -> str | None:
    """The line feature that a heading feature of :data:`OWN_HEADING_COPIES` copies, or None."""
    for copy, orig in OWN_HEADING_COPIES:
        if feature.startswith(copy) and feature != NO_HEADING:
            return orig + feature[len(copy):]
    return None


def f_heading_tokens(b: Block, i: int, ctx: Context) -> list[str]:
    h = ctx.heading[i]
    if h < 0:
        return [NO_HEADING]
    if h == i and not ctx.training:
        return []  # a copy of the line's own w: and c: features (see OWN_HEADING_COPIES)
    t = ctx.blocks[h].text[:24]
    return [f"h:{w}" for w in tokens(ctx.blocks[h].text)] + [f"hc:{t[j:j + 2]}" for j in range(len(t) - 1)]


def f_heading_stack(b: Block, i: int, ctx: Context) -> list[str]:
    out = []
    for level, h in ctx.stack[i].items():
        out += _open_heading(ctx, "s", level, h)
    return out


def _open_heading(ctx: Context, kind: str, level: str, h: int) -> list[str]:
    """Feature strings of an open heading (its tokens, or its cue words), made once per document:
    the units under one heading all carry them."""
    key = (kind, level, h)
    got = ctx.memo.get(key)
    if got is None:
        if kind == "s":
            got = [f"s{level}:{w}" for w in tokens(ctx.blocks[h].text)]
        else:
            got = [f"pk{level}:{c}" for c in cues(ctx.blocks[h].text[:40])]
        ctx.memo[key] = got
    return got


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
    if "单位" in p.text and p.candidate and p.numbering == "none" and not HEADING_END.search(p.text):
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
            out += _open_heading(ctx, "pk", level, h)
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


def build_context(blocks: list[Block], length: int, thead: list[int] | None = None) -> Context:
    """Nearest heading, open heading per level and 目录 state for every block.

    Args:
        blocks: the document's blocks.
        length: characters in the document.
        thead: :func:`~extractor.layout.table_heads` of the blocks, when the caller has it already.
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
                depth = LEVELS.index(level)
                stack = {k: v for k, v in stack.items() if LEVELS.index(k) < depth}
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


def block_features(blocks: list[Block], length: int, thead: list[int] | None = None,
                   training: bool = False) -> list[list[str] | None]:
    """Feature strings (see :data:`FEATURES`) of the blocks that head a unit; None for the rest.

    Only unit heads are classified, so only they pay for features (and the tokenizer).

    Args:
        blocks: the document's blocks, table headers demoted.
        length: characters in the document.
        thead: :func:`~extractor.layout.table_heads` of the blocks, when the caller has it already.
        training: also make the copies of a unit head's own features (:data:`OWN_HEADING_COPIES`);
            prediction leaves them out.
    """
    ctx = build_context(blocks, length, thead)
    ctx.training = training
    heads = {a for a, _ in units_of(blocks)}
    return [[s for _, f in FEATURES for s in f(b, i, ctx)] if i in heads else None for i, b in enumerate(blocks)]


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
