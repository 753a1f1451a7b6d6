"""The corpus-and-evaluation notebook runs top to bottom and draws the reliability diagram."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "corpus_and_evaluation.ipynb"


def test_notebook_runs_and_draws_the_figure():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # Working dir = repo root so the first cell finds the package; a failing cell raises here.
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "documents" in text and "macro-F1" in text  # corpus loaded, evaluation printed
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1 and len(images[0]["data"]["image/png"]) > 1000
