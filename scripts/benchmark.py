"""Speed and memory of the readers and the pipeline (not a test: it prints figures).

Usage:
    python scripts/benchmark.py [CORPUS_DIR]        # default: ../shared/corpus/dev, else the bundled files
    /usr/bin/time -v extractor extract DIR -o /tmp/out.jsonl   # peak memory of a batch run

Reports, per format: documents, pages, MB, seconds, pages/s and MB/s of reading (one core);
then the pipeline per stage on the annotated texts (median ms per 25,000 characters), the model
load time in a fresh process, and this process's peak resident memory.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.read import ReadError, read_file  # noqa: E402


def corpus_files(arg: str | None) -> list[Path]:
    if arg:
        base = Path(arg)
    elif (ROOT.parent / "shared" / "corpus" / "dev").is_dir():
        base = ROOT.parent / "shared" / "corpus" / "dev"
    else:
        base = None
    if base is not None:
        return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix.lower() in (".pdf", ".html", ".htm", ".txt", ".docx"))
    return sorted([*ROOT.joinpath("examples").glob("*.*"), *ROOT.joinpath("tests", "data").glob("*.pdf")])


def bench_readers(files: list[Path], passes: int = 3) -> None:
    """Reading speed per format: each file read ``passes`` times, its fastest pass counted.

    The fastest of a few passes is the least disturbed by other work on a shared machine
    (``timeit`` reports the same way); the slowest whole pass is printed beside it.
    """
    stats = defaultdict(lambda: [0, 0, 0.0, 0.0, 0.0])  # docs, pages, bytes, best seconds, worst seconds
    for path in files:
        times = []
        for _ in range(passes):
            t0 = time.perf_counter()
            try:
                r = read_file(path)
            except ReadError:
                break
            times.append(time.perf_counter() - t0)
        if not times:
            continue
        s = stats[r.format]
        s[0] += 1
        s[1] += len(r.page_starts) if r.format == "pdf" else 0
        s[2] += path.stat().st_size
        s[3] += min(times)
        s[4] += max(times)
    print(f"| format | documents | pages | MB | seconds (best of {passes}) | pages/s | MB/s | pages/s, slowest pass |")
    print("|---|---|---|---|---|---|---|---|")
    for fmt, (docs, pages, size, best, worst) in sorted(stats.items()):
        pps = f"{pages / best:.0f}" if pages else "-"
        slow = f"{pages / worst:.0f}" if pages else "-"
        print(f"| {fmt} | {docs} | {pages or '-'} | {size / 1e6:.1f} | {best:.2f} | {pps} | {size / 1e6 / best:.1f} | {slow} |")


def bench_pdfium_alone(files: list[Path], passes: int = 3) -> None:
    """The ceiling for the PDF reader on this machine: PDFium loading each page, building its
    text page, returning the text and closing both, with none of the reader's own work (line
    clean-up, rebuilding pages whose lines ran together, the no-text-layer check).

    Printed beside the reader's own figure, it says how much of the reading time is PDFium's,
    which no Python code around it can remove.
    """
    import pypdfium2 as pdfium

    pages, best = 0, 0.0
    for path in files:
        if path.suffix.lower() != ".pdf":
            continue
        data = path.read_bytes()
        times = []
        for _ in range(passes):
            t0 = time.perf_counter()
            try:
                pdf = pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                break
            n = len(pdf)
            for i in range(n):
                page = pdf[i]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            pdf.close()
            times.append(time.perf_counter() - t0)
        if times:
            pages += n
            best += min(times)
    if pages:
        print(f"| pdf, PDFium alone (no processing) | | {pages} | | {best:.2f} | {pages / best:.0f} | | |")


def bench_stages() -> None:
    from extractor import amounts, features, figures, indicators, segment
    from extractor.corpus import load_corpus
    from extractor.document import Disclosure
    from extractor.normalize import parse_form
    from extractor.trained import default_models

    models = default_models()
    docs = load_corpus()
    per = defaultdict(list)
    # In a batch: each document once, in corpus order, the heading tokens of the documents before
    # it still cached (headings repeat across documents of one template).
    features.tokenizer()  # loaded once per process (timed below, with the models)
    features.tokens.cache_clear()
    features.cues.cache_clear()
    for d in docs:
        norm = parse_form(d.text)
        t = time.perf_counter()
        segment.segment(d.text, norm, models.segmenter)
        per["segment, in a batch (earlier documents' tokens cached)"].append((time.perf_counter() - t) * 1000 * 25_000 / max(len(d.text), 1))
    for d in docs:
        text = d.text
        scale = 25_000 / max(len(text), 1)
        norm = parse_form(text)
        runs = defaultdict(list)
        for _ in range(3):
            # Alone: no heading's tokens or cue words are cached (the cache would otherwise hold them from
            # the previous pass over the same document).
            features.tokens.cache_clear()
            features.cues.cache_clear()
            t = time.perf_counter()
            secs = segment.segment(text, norm, models.segmenter)
            runs["segment, alone (nothing cached)"].append(time.perf_counter() - t)
            t = time.perf_counter()
            found = amounts.find_amounts(text, norm)
            runs["amounts"].append(time.perf_counter() - t)
            t = time.perf_counter()
            indicators.extract(text, norm, secs)
            runs["indicators"].append(time.perf_counter() - t)
            doc = Disclosure(text=text, sections=secs, amounts=found)
            t = time.perf_counter()
            figures.choose(text, norm, doc, models.figures)
            runs["figures"].append(time.perf_counter() - t)
        for stage, xs in runs.items():
            per[stage].append(min(xs) * 1000 * scale)
    print("\n| stage | median ms per 25,000 characters | max |")
    print("|---|---|---|")
    for stage, xs in per.items():
        print(f"| {stage} | {statistics.median(xs):.1f} | {max(xs):.1f} |")


def bench_model_load() -> None:
    """Time to a usable pipeline in a fresh interpreter: package import, the models, tokenizer."""
    code = (
        "import time; t0=time.perf_counter();"
        "import extractor; from extractor.trained import default_models; default_models();"
        "t1=time.perf_counter();"
        "from extractor.features import tokens; tokens('三公经费');"
        "t2=time.perf_counter(); print(t1-t0, t2-t1)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    models, tok = (float(x) for x in out.stdout.split())
    print(f"\nload in a fresh process: {models + tok:.2f} s "
          f"(package and models {models:.2f} s, tokenizer {tok:.2f} s)")


def main() -> None:
    files = corpus_files(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"{len(files)} files\n")
    bench_readers(files)
    bench_pdfium_alone(files)
    bench_stages()
    bench_model_load()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
