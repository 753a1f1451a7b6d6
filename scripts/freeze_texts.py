"""Freeze reader output for the annotated corpus: annotations/texts/<id>.txt + sources.tsv.

Usage: python scripts/freeze_texts.py CORPUS_DIR ID [ID ...]
where CORPUS_DIR holds manifest.tsv (../shared/corpus) and ID is a file stem from it.
The frozen text never changes afterwards, so labels never drift when a reader changes.
"""

import csv
import hashlib
import sys
from pathlib import Path

from extractor.read import read_file

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "annotations" / "texts"
SOURCES = ROOT / "annotations" / "sources.tsv"
FIELDS = ["id", "file", "source_repo", "source_path", "source_commit", "region", "province", "year", "kind", "level", "format", "sha256_file", "sha256_text", "chars"]


def main(corpus: str, ids: list[str]) -> None:
    corpus_dir = Path(corpus)
    manifest = {Path(r["file"]).stem: r for r in csv.DictReader(open(corpus_dir / "manifest.tsv", encoding="utf-8"), delimiter="\t")}
    rows = {}
    if SOURCES.exists():
        rows = {r["id"]: r for r in csv.DictReader(open(SOURCES, encoding="utf-8"), delimiter="\t")}
    OUT.mkdir(parents=True, exist_ok=True)
    for doc_id in ids:
        if doc_id in manifest:
            m = manifest[doc_id]
            path = corpus_dir / m["file"]
        else:  # the seed is not in the manifest
            path = next(corpus_dir.glob(f"*/{doc_id}.*"))
            m = {"file": str(path.relative_to(corpus_dir)), "source_repo": "", "source_path": "", "source_commit": "", "region": "hebei", "province": "河北", "year": doc_id.split("_")[-2], "kind": "budget", "level": "部门", "format": "TXT"}
        text = read_file(path).text
        (OUT / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
        row = {k: m.get(k, "") for k in FIELDS}
        row.update(id=doc_id, sha256_file=hashlib.sha256(path.read_bytes()).hexdigest(), sha256_text=hashlib.sha256(text.encode("utf-8")).hexdigest(), chars=len(text))
        rows[doc_id] = row
        print(doc_id, len(text))
    with open(SOURCES, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for k in sorted(rows):
            w.writerow(rows[k])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
