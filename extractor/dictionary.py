"""jieba's dictionary in a memory-mapped trie, so that a process starts in milliseconds.

jieba keeps its 349,000-word dictionary as a Python dict of every word and every prefix of a
word (498,000 keys); building that dict, even from jieba's own cache, takes 1.1-1.5 s on the
development machine, more than everything else a process loads. The same dictionary as a
MARISA trie (marisa-trie, a maintained binding of the C++ library) is 1.6 MB and is mapped
into memory without being read. :class:`TrieFreq` answers the three questions jieba's
tokenizer asks of its dict (is this a word or a word's prefix, what is its frequency, add a
word) from the trie, so the tokens are jieba's own: the same dictionary, the same DAG, the same
route.

The trie is built once per machine from jieba's installed ``dict.txt`` (about 2 s) and kept in
the user's cache folder under the dictionary's hash, as jieba keeps its own cache.

:class:`RustJieba` is the tokenizer the pipeline uses when ``rjieba`` is installed (it is a
dependency): jieba-rs, the Rust port of jieba (same ``dict.txt``, same DAG and route, same HMM
for unknown words), about 20 times faster per heading. It differs from jieba only in keeping
whole a run of letters, digits and dots or hyphens that no dictionary word covers (2026-2027,
BJ-GBI, 62.898km, 2.502.50); :func:`as_jieba` cuts those as jieba does, and a test holds the
two equal on lines of the annotated corpus and on windows of it taken anywhere (the key-figure
scorer tokenizes the text before a number). :func:`jieba_tokenizer` above stays as the
reference, and the fallback where rjieba cannot be installed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from array import array
from math import log
from pathlib import Path

DOMAIN_DICT = Path(__file__).resolve().parent / "data" / "domain_dict.txt"


class TrieFreq:
    """jieba's ``FREQ`` mapping (word or prefix → frequency, 0 for a prefix) over a trie.

    Words added at run time (the domain dictionary) go into a small dict laid over the trie.
    """

    def __init__(self, trie, freqs, added: dict[str, int] | None = None) -> None:
        self.trie, self.freqs = trie, freqs  # freqs[key id] = frequency
        self.added = added if added is not None else {}

    def get(self, key: str, default=None):
        if key in self.added:
            return self.added[key]
        i = self.trie.get(key)
        if i is not None:
            return self.freqs[i]
        return 0 if self._is_prefix(key) else default

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: str) -> bool:
        return key in self.added or self._is_prefix(key)

    def __setitem__(self, key: str, value: int) -> None:
        self.added[key] = value

    def _is_prefix(self, key: str) -> bool:
        return next(self.trie.iterkeys(key), None) is not None


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "extractor"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:  # a read-only home: the temporary folder, as jieba does
        return Path(tempfile.gettempdir())


def _atomic(target: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    os.close(fd)
    write(tmp)
    os.replace(tmp, target)  # parallel workers building the same file never see half of it


def _build(dict_file: Path, trie_file: Path, freq_file: Path) -> None:
    """Write the trie of ``dict_file``'s words, and their frequencies in key-id order."""
    import marisa_trie

    freq: dict[str, int] = {}
    total = 0
    with open(dict_file, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                freq[parts[0]] = int(parts[1])  # a word listed twice: the last one, as jieba
                total += int(parts[1])  # and both counted in the total, as jieba
    trie = marisa_trie.Trie(freq)
    # Frequencies by key id, then the total jieba divides by.
    freqs = array("I", (freq[trie.restore_key(i)] for i in range(len(trie))))
    freqs.append(total)
    _atomic(freq_file, lambda tmp: Path(tmp).write_bytes(freqs.tobytes()))
    _atomic(trie_file, trie.save)


def jieba_tokenizer():
    """A private ``jieba.Tokenizer`` over the trie, with the domain dictionary added."""
    import jieba
    import marisa_trie

    class TrieTokenizer(jieba.Tokenizer):
        """jieba's tokenizer; its DAG comes from one trie walk per position instead of a dict
        probe per prefix (the route and the HMM for unknown words are jieba's)."""

        def get_DAG(self, sentence):
            # Each edge's log probability is kept beside the DAG (``_edge_lp``), so that calc
            # reads it instead of slicing the word again and looking it up.
            added, trie, freqs, by_char = self.FREQ.added, self.FREQ.trie, self.FREQ.freqs, self._added_by_char
            logtotal = log(self.total)
            dag, edge_lp = {}, {}
            for k, ch in enumerate(sentence):
                ends, lps = [], []
                for w, i in trie.iter_prefixes_with_ids(sentence[k:]):
                    f = added.get(w, freqs[i]) if added else freqs[i]
                    if f:
                        ends.append(k + len(w) - 1)
                        lps.append(log(f) - logtotal)
                extra = by_char.get(ch)
                if extra:
                    for w in extra:
                        end = k + len(w) - 1
                        if sentence.startswith(w, k) and added[w] and end not in ends:
                            ends.append(end)
                            lps.append(log(added[w]) - logtotal)
                    if len(ends) > 1:
                        ends, lps = (list(x) for x in zip(*sorted(zip(ends, lps))))
                if not ends:  # no word starts here: the character alone, frequency 1 as jieba
                    ends, lps = [k], [-logtotal]
                dag[k] = ends
                edge_lp[k] = lps
            self._edge_lp = edge_lp
            return dag

        def calc(self, sentence, DAG, route):
            n = len(sentence)
            route[n] = (0, 0)
            edge_lp = self._edge_lp
            for idx in range(n - 1, -1, -1):
                ends, lps = DAG[idx], edge_lp[idx]
                if len(ends) == 1:  # most positions: one way on, no max to take
                    route[idx] = (lps[0] + route[ends[0] + 1][0], ends[0])
                else:
                    route[idx] = max((lp + route[x + 1][0], x) for x, lp in zip(ends, lps))

        def add_word(self, word, freq=None, tag=None):
            super().add_word(word, freq, tag)
            self._added_by_char.setdefault(word[0], set()).add(word)

    jieba.setLogLevel(logging.WARNING)
    tok = TrieTokenizer()
    with tok.get_dict_file() as f:
        dict_file = Path(f.name)
    digest = hashlib.sha256(dict_file.read_bytes()).hexdigest()[:16]
    folder = _cache_dir()
    trie_file, freq_file = folder / f"jieba-{digest}.marisa", folder / f"jieba-{digest}.freq"
    if not (trie_file.exists() and freq_file.exists()):
        _build(dict_file, trie_file, freq_file)
    trie = marisa_trie.Trie().mmap(str(trie_file))
    freqs = array("I")
    freqs.frombytes(freq_file.read_bytes())
    total = freqs.pop()
    tok.FREQ = TrieFreq(trie, freqs)
    tok.total = total
    tok._edge_lp, tok._added_by_char = {}, {}
    tok.initialized = True
    tok.load_userdict(str(DOMAIN_DICT))
    return tok


# jieba cuts a run of characters that no dictionary word covers with its HMM, and the non-Han
# pieces of such a run with this pattern (``jieba.finalseg.re_skip``): 2.502.50 → 2.502 / . / 50,
# 2026-2027 → 2026 / - / 2027, 62.898km → 62.898 / km. jieba-rs keeps those pieces whole.
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


def as_jieba(tokens: list[str], is_word=lambda token: False) -> list[str]:
    """jieba-rs tokens cut where jieba cuts them (see the module docstring).

    Args:
        tokens: jieba-rs tokens.
        is_word: whether a token is a dictionary word (jieba keeps those whole).
    """
    out: list[str] = []
    for t in tokens:
        if len(t) > 1 and t.isascii() and not is_word(t):
            out += [p for p in _JIEBA_SKIP.split(t) if p]
        else:
            out.append(t)
    return out


def domain_words(path: Path = DOMAIN_DICT) -> list[tuple[str, int | None, str | None]]:
    """The domain dictionary's ``word [freq] [tag]`` lines, read as jieba reads a user dict."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        out.append((parts[0], freq, tag))
    return out


class RustJieba:
    """jieba-rs (``rjieba``) with the domain dictionary; :meth:`lcut` gives jieba's tokens."""

    def __init__(self) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()  # a private instance: the domain words stay out of the global one
        for word, freq, tag in domain_words():
            self._jieba.add_word(word, freq, tag)

    def lcut(self, text: str) -> list[str]:
        """Tokens of ``text`` (precise mode, HMM for unknown words, as ``jieba.lcut``)."""
        return as_jieba(self._jieba.cut(text, True), self._jieba.has_word)
