"""The notebooks: committed without outputs, and run top to bottom without an error.

Each notebook runs in a fresh Jupyter kernel started with this interpreter
(``sys.executable``, the project's venv), through a ``python3`` kernelspec
written to a temporary folder: a kernelspec of the developer's own (in
``~/.local/share/jupyter``) can never pick another Python. Runtime files go to
temporary folders too, so nothing is written to ``$HOME``. No network needed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from .conftest import ROOT  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 180  # seconds; the first cell to parse French loads spaCy


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


@pytest.fixture(scope="module")
def kernel_manager_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    home = tmp_path_factory.mktemp("jupyter")
    spec_dir = home / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (dealkg)",
        "language": "python",
    }), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        patch.setenv("IPYTHONDIR", str(home / "ipython"))
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")
        patch.setenv("MPLCONFIGDIR", str(home / "matplotlib"))
        specs = KernelSpecManager(kernel_dirs=[str(home / "kernels")])

        def make() -> KernelManager:
            return KernelManager(kernel_name="python3", kernel_spec_manager=specs)

        yield make


def _execute(notebook: Any, make_km: Any) -> Any:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(
        notebook,
        km=make_km(),
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},  # the kernel's cwd, as in Jupyter
    )
    try:
        return client.execute()
    except CellExecutionError as error:
        pytest.fail(f"a cell failed:\n{error}", pytrace=False)


def _text_outputs(notebook: Any) -> str:
    chunks: list[str] = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                chunks.append(output["text"])
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in output.get("data", {}):
                    chunks.append(output["data"][mime])
    return "\n".join(chunks)


def test_there_are_notebooks_to_test() -> None:
    assert {p.name for p in NOTEBOOK_PATHS} >= {"walkthrough.ipynb", "custom_rules.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=_ids(NOTEBOOK_PATHS))
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{path.name} cell {index} has outputs: clear them before committing"
        assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_kernel_is_this_interpreter(kernel_manager_factory: Any) -> None:
    from nbformat.v4 import new_code_cell, new_notebook

    probe = new_notebook(cells=[new_code_cell("import sys; print(sys.executable)")])
    ran = _execute(probe, kernel_manager_factory)
    assert Path(ran.cells[0].outputs[0]["text"].strip()) == Path(sys.executable)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=_ids(NOTEBOOK_PATHS))
def test_notebook_runs_top_to_bottom(path: Path, kernel_manager_factory: Any, seed_store: Any) -> None:
    notebook = nbformat.read(path, as_version=4)
    ran = _execute(notebook, kernel_manager_factory)
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    text = _text_outputs(ran)
    if path.stem == "walkthrough":
        for query in sorted((ROOT / "queries").glob("*.rq")):
            assert query.name in text, f"the walkthrough does not show {query.name}"
        assert "<iframe" in text and "vis-network" not in text.split("srcdoc", 1)[0]
        images = [o for c in ran.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert len(images) >= 2, "the timeline and centrality plots are missing"
        assert "graph.ttl" in text and "@prefix dkg:" in text
        # kg.viz.to_pyvis and kg.graph.plain_graph (re-read from GraphML) show the same graph,
        # a non-empty one, whatever the rules extract today
        shown = re.search(r"pyvis\.html: (\d+) nodes, (\d+) edges", text)
        written = re.search(r"actors\.graphml: (\d+) actors, (\d+) relations", text)
        assert shown and written, "the pyvis and GraphML cells are missing"
        assert shown.groups() == written.groups() and int(shown[1]) > 0 and int(shown[2]) > 0
        # kg.deals: the busiest deal's timeline, as the library gives it on the same seeds
        from kg.deals import deal_timelines

        busiest = max(deal_timelines(seed_store), key=lambda t: (len(t.events), t.summary))
        assert busiest.events
        assert (f"deal timeline: {busiest.summary}: {len(busiest.events)} records in "
                f"{len(busiest.articles)} articles") in text
        # its table: the start of each record's what and of its sentence (pandas cuts cells
        # longer than 50 characters to 47 and "...")
        table = text.split("deal timeline:", 1)[1]
        assert all(e.what[:45] in table and (e.sentence or "")[:45] in table for e in busiest.events)
        assert re.search(r"' names (\d+ deals: |one deal)", table)
    if path.stem == "custom_rules":
        assert "partnership.merger-of-equals" in text
        assert "Groupe PSA & Fiat Chrysler Automobiles" in text


def test_iframe_srcdoc_escapes_the_page_and_keeps_it_whole() -> None:
    from kg.notebook import iframe_srcdoc

    page = '<!DOCTYPE html><p title="a&b">« x » </iframe><script>1</script>'
    wrapped = iframe_srcdoc(page, height=300)
    assert wrapped.startswith("<div") and wrapped.count("<iframe") == 1 and wrapped.count("</iframe>") == 1
    assert "&quot;a&amp;b&quot;" in wrapped and "<script>" not in wrapped
    assert 'height: 300px' in wrapped
    with pytest.raises(ValueError, match="height"):
        iframe_srcdoc(page, height=0)
