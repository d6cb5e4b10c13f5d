"""Every lesson notebook runs top to bottom in a fresh kernel, without errors and without stderr.

This is what a student does with "Restart Kernel and Run All Cells". Each notebook in course/ is
executed in memory (its outputs are never written back) by a fresh `python3` kernel of the
environment running the tests, with course/ as the working folder. Any error, and any text on
stderr (warnings included), fails the test and is shown. Output widgets (e.g. from
`ipywidgets.interact`) keep their own outputs in the widget state: those are checked too.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds; a lesson takes a few seconds in all
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def kernel_manager():
    """A manager for the `python3` kernel of *this* environment (not one found elsewhere).

    Only this environment's kernelspec folder is searched; without one, jupyter_client falls back
    to the native kernel, which is `sys.executable` as well.
    """
    kernels = Path(sys.prefix) / "share" / "jupyter" / "kernels"
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def problems_in(outputs, where):
    """Human-readable descriptions of error and stderr outputs."""
    found = []
    for out in outputs:
        if out.get("output_type") == "error":
            trace = ("\n".join(out.get("traceback", []))
                     or f"{out.get('ename')}: {out.get('evalue')}")
            found.append(f"{where}: error\n{ANSI_COLOUR.sub('', trace)}")
        elif out.get("output_type") == "stream" and out.get("name") == "stderr":
            found.append(f"{where}: stderr\n{out.get('text', '')}")
    return found


def problems(nb):
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            found += problems_in(cell.get("outputs", []), f"cell {index}")
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model_id, model in widgets.items():
        if model.get("model_name") == "OutputModel":
            found += problems_in(model.get("state", {}).get("outputs", []),
                                 f"output widget {model_id[:8]}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_cleanly(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, km=kernel_manager(), timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(COURSE)}})
    try:
        client.execute()
    except CellTimeoutError as error:
        pytest.fail(f"{path.name}: a cell took longer than {CELL_TIMEOUT} s\n{error}")
    except CellExecutionError as error:
        pytest.fail(f"{path.name} stopped with an error:\n{ANSI_COLOUR.sub('', str(error))}")
    found = problems(nb)
    assert not found, f"{path.name} wrote errors or to stderr:\n\n" + "\n\n".join(found)


def test_there_are_notebooks_to_run():
    assert NOTEBOOKS, f"no notebooks found in {COURSE}"


def test_problems_are_detected():
    """The checker itself notices stderr text and errors, in cells and in output widgets."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="fine\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n")]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": {"abc123456": {
        "model_name": "OutputModel",
        "state": {"outputs": [{"output_type": "error", "ename": "ValueError",
                               "evalue": "bad", "traceback": []}]}}}}}
    found = problems(nb)
    assert len(found) == 2
    assert "UserWarning: careful" in found[0]
    assert "ValueError: bad" in found[1]
