"""jieba over a memory-mapped trie, and jieba-rs (extractor/dictionary.py): jieba's own tokens."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import jieba

from extractor import dictionary

TEXTS = Path(__file__).resolve().parent.parent / "annotations" / "texts"


def _lines(limit: int = 3000) -> list[str]:
    out = []
    for path in sorted(TEXTS.glob("*.txt"))[::4]:
        out += [line.strip()[:40] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:300]
    return out[:limit]


def test_tokens_are_jiebas_own(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    ours = dictionary.jieba_tokenizer()
    jieba.setLogLevel(logging.WARNING)
    plain = jieba.Tokenizer()
    plain.load_userdict(str(dictionary.DOMAIN_DICT))
    lines = _lines()
    assert len(lines) > 1000
    assert ours.total == plain.total
    # Real lines of the corpus, and the domain words (added over the trie) inside a sentence.
    lines += ["财政拨款“三公”经费预算情况说明", "一般公共预算机关运行经费支出预算表", "国有资本经营预算收入"]
    assert [ours.lcut(x) for x in lines] == [plain.lcut(x) for x in lines]


def test_the_trie_is_built_once_then_mapped(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    dictionary.jieba_tokenizer()
    built = sorted(p.name for p in (tmp_path / "extractor").iterdir())
    assert [p.split(".")[-1] for p in built] == ["freq", "marisa"]  # no temporary file left over
    stamps = [p.stat().st_mtime_ns for p in sorted((tmp_path / "extractor").iterdir())]
    tok = dictionary.jieba_tokenizer()  # the second process maps what the first built
    assert stamps == [p.stat().st_mtime_ns for p in sorted((tmp_path / "extractor").iterdir())]
    assert tok.lcut("三公经费") == ["三公经费"]


def test_freq_mapping_answers_like_jiebas_dict(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    freq = dictionary.jieba_tokenizer().FREQ
    assert freq["预算"] > 0 and "预算" in freq
    assert freq.get("预") is not None  # a word, or at least a prefix of one (0)
    assert "預算表格式化" not in freq and freq.get("預算表格式化", -1) == -1
    assert freq["三公经费"] == 2000  # the domain dictionary, laid over the trie


# Text where jieba-rs, left alone, cuts otherwise than jieba: runs of letters, digits and dots
# or hyphens that no dictionary word covers (real lines of the corpus, and the text before a
# number that the key-figure scorer tokenizes, where a PDF glued two cells: 2.502.50).
_JOINED_RUNS = [
    "定点医疗机构总额预算管理指标测算项目 2026-2027首付",
    "北京市基本医保总额预算BJ-GBI指标测算成果可持续利",
    "表14-1",
    "434-1005-JXN-LN8Y",
    "道路养护里程62.898km",
    "(二)公务用车购置及运行维护支出2.502.50",
    "2.公务用车运行维护费0.000.000.000",
    "中央财政转移支付--医疗服务与保障能力提升补助资金",
    "PM2.5、PM10有效降低",
    "待单位补充...; 实施周期指标值:SM",
    "一般公共预算 \"三公\" 经费支出情况...................",
]


def _windows(n: int = 20_000) -> list[str]:
    """Windows of 2-40 characters at random places of the corpus (seeded), as the key-figure
    scorer tokenizes the text before a number, which need not start at a line's start."""
    rng = random.Random(7)
    texts = [p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(TEXTS.glob("*.txt"))]
    out = []
    for _ in range(n):
        t = rng.choice(texts)
        i = rng.randrange(len(t))
        out.append(t[i : i + rng.randint(2, 40)])
    return out


def test_rust_jieba_gives_jiebas_tokens(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reference = dictionary.jieba_tokenizer()
    fast = dictionary.RustJieba()
    lines = _lines(limit=20_000) + _windows() + _JOINED_RUNS
    assert len(lines) > 20_000
    assert [fast.lcut(x) for x in lines] == [reference.lcut(x) for x in lines]
    # The domain dictionary is in it, and the runs were cut (not a vacuous comparison).
    assert fast.lcut("三公经费预算") == ["三公经费", "预算"]  # jieba's own dictionary alone cuts 三公 / 经费
    assert fast.lcut("表14-1") == ["表", "14", "-", "1"]
    assert fast.lcut("62.898km") == ["62.898", "km"]
    assert fast.lcut("支出2.502.50") == ["支出", "2.502", ".", "50"]


def test_as_jieba_cuts_only_runs_no_word_covers():
    assert dictionary.as_jieba(["2026-2027", "首付"]) == ["2026", "-", "2027", "首付"]
    assert dictionary.as_jieba(["PM2.5", "--", "1.5", "6.91%", "GBI", "..."]) == ["PM2.5", "--", "1.5", "6.91%", "GBI", "..."]
    assert dictionary.as_jieba(["C++"]) == ["C", "++"]
    assert dictionary.as_jieba(["C++"], is_word={"C++"}.__contains__) == ["C++"]  # a dictionary word stays whole
